# Forecasts under uncertainty: 500 draws of the flagship's ranges, the spread of each model's forecast,
# and the chance that the ceasefire lands at 60 or above.
parley montecarlo examples/jeddah-2025.json --draws 500 --model compromise,median,bdm,rounds=10 --threshold 'ceasefire>=60' --quiet
