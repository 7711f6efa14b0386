# A control character in a scenario name is shown escaped by validate, never sent raw to the terminal.
parley validate tests/data/input/control-in-name.json
