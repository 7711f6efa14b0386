# Only the ensemble has fitted parameters.
# exit: 2
parley fit tests/data/deu3/deu3-dev.tsv --model bdm --quiet
