# A decimal comma in a comma-separated file makes a row one cell longer than the header; a row that lost
# its last cell is one shorter. Each is one error naming the row's cell count and the header's (no
# follow-on errors, no guessed scale); exit 2.
# exit: 2
parley validate tests/data/input/decimal_comma.csv
