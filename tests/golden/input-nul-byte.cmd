# A NUL byte (a binary or broken file) is reported at its line and column; exit 2.
# exit: 2
parley validate tests/data/input/nul.csv
