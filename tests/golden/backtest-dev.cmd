# The DEU III development file scored with equal capabilities: the compromise model's MAE is 22.494.
parley backtest tests/data/deu3/deu3-dev.tsv --quiet
