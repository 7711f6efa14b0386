# A variant that names an actor the scenario does not have is an error, with its place in the file.
# exit: 2
parley validate tests/data/bad/bad_variant.json
