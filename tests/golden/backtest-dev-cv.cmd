# The DEU III dev file with the ensemble cross-validated by proposal (each of the 92 folds refitted on the
# other proposals): its row scores the CV figures of docs/models/ensemble.md (MAE 21.321, CRPS 15.173).
parley backtest tests/data/deu3/deu3-dev.tsv --cv proposals --quiet
