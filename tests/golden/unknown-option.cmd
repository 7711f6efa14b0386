# So does a misspelt option of a model.
# exit: 2
parley forecast tests/data/bdm/kyoto.csv --model 'median,ties=upper'
