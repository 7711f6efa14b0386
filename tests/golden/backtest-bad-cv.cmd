# --cv takes proposals or none: anything else is the caller's mistake.
# exit: 2
parley backtest tests/data/deu3/deu3-dev.tsv --cv folds
