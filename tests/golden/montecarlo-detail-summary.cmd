# --detail summary: Monte Carlo keeps the headline model's rows (the ensemble), with the threshold's probability.
parley montecarlo examples/jeddah-2025.json --draws 200 --detail summary --threshold 'ceasefire>=50' --quiet
