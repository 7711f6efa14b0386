# Control characters in names, labels and the scenario name are shown escaped (\x1b, \r, \u009b), so an
# ESC[2J in an actor's name cannot clear the screen; UTF-8 text (Zürich, 日本) is kept as it is.
parley forecast tests/data/extreme/control-names.json --model median,bdm --quiet
