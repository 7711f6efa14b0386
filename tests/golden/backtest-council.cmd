# The same with Council votes under the Nice treaty as capabilities.
parley backtest tests/data/deu3/deu3-dev.tsv --capabilities examples/capabilities/council-votes-nice.csv --quiet
