# A control character in an id is shown escaped in a diagnostic, never sent raw to the terminal.
# exit: 2
parley validate tests/data/input/control-in-name-bad.json
