# A reversed operator (=> for >=) is named as such, before any draw runs.
# exit: 2
parley montecarlo examples/jeddah-2025.json --draws 5 --model mean --threshold 'ceasefire=>50'
