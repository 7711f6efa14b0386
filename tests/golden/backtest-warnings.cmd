# A model's warnings repeated on every issue are said once for the backtest, with the issues they concern.
parley backtest tests/data/deu3/deu3-dev.tsv --model compromise,smp
