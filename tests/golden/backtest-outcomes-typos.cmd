# Every fault of an outcomes file at its line and column, in one run: an unknown issue with the
# closest id, an outcome off the scale, one that is not a number, a date that is not one, an issue twice.
# exit: 2
parley backtest examples/jeddah-2025.json --outcomes tests/data/outcomes/jeddah-typos.csv --model median
