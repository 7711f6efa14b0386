# An outcomes file whose header is not issue,outcome,date,why,source: the column that differs, with a hint.
# exit: 2
parley backtest examples/jeddah-2025.json --outcomes tests/data/outcomes/jeddah-bad-header.csv --model median
