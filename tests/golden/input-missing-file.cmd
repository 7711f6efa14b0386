# An input file that does not exist is bad input, exit 2 (1 is kept for failures of the machine).
# exit: 2
parley forecast tests/data/input/no_such_file.json
