# --detail full: everything, every round of each round-based model under its own heading, every trade of
# every round and the whole pressure map (each challenge, its region, offer and whether it was taken).
parley forecast tests/data/extreme/capabilities.json --model 'ensemble,bdm,rounds=3,exchange,rounds=3' --detail full --quiet
