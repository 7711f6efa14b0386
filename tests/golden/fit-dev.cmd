# The ensemble refitted on DEU III dev: the built-in parameters (h 0.3, beta 0.7, tau 0.6, s 0.2), with provenance and
# the cross-validated figures (median MAE 21.321). src/models/ensemble.json is this output.
parley fit tests/data/deu3/deu3-dev.tsv --quiet
