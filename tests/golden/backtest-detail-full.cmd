# --detail full: every issue's outcome and each model's forecast, with the ensemble's 80% interval.
parley backtest examples/jeddah-2025.json --outcomes examples/jeddah-2025-outcomes.csv --model ensemble,compromise,median --detail full --quiet
