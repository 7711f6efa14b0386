# A threshold off the issue's scale is an error, not a probability of 0.
# exit: 2
parley montecarlo examples/jeddah-2025.json --draws 5 --model mean --threshold 'ceasefire>=150'
