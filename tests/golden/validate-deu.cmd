# Validating a DEU III file: a batch of decisions with reference points and known outcomes.
parley validate tests/data/deu3/deu3-test.tsv
