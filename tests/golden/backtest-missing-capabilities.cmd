# A capability file that is not there is the caller's mistake: exit 2, with the reason.
# exit: 2
parley backtest tests/data/deu3/deu3-dev.tsv --quiet --capabilities tests/data/no-such-capabilities.csv
