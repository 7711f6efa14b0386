# A Decide file with two faults: both are reported, each with its line, column and field; exit 2.
# exit: 2
parley validate tests/data/exchange/copenhagen_with_errors.csv
