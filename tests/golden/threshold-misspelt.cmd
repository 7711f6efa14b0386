# A misspelt issue in a threshold gets a did-you-mean, before any draw runs.
# exit: 2
parley montecarlo examples/jeddah-2025.json --draws 5 --model mean --threshold 'ceasfire>=50'
