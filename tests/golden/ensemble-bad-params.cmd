# A parameter file with an option the model does not have.
# exit: 2
parley forecast examples/jeddah-2025.json --model ensemble,params=tests/data/ensemble/bad-params.json
