# A misspelt model name gets a did-you-mean hint and exit status 2.
# exit: 2
parley forecast tests/data/bdm/kyoto.csv --model medain
