# An option given twice for one model is an error, not a silent last-one-wins.
# exit: 2
parley forecast tests/data/bdm/kyoto.csv --quiet --model 'median,tie=upper,tie=lower'
