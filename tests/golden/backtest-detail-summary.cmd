# --detail summary: the backtest's table of figures alone.
parley backtest examples/jeddah-2025.json --outcomes examples/jeddah-2025-outcomes.csv --model ensemble,compromise,median --detail summary --quiet
