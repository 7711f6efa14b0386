# A misspelt model in the scenario's "models" key is an error at the key, in validate as in forecast; exit 2.
# exit: 2
parley validate tests/data/input/bad_models.json
