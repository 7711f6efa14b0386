# The flagship scored against what happened (examples/jeddah-2025-outcomes.csv, as of 30 April 2025):
# every issue scored, with the scenario's own capabilities, and each outcome listed with its date,
# reason and source. The model list is explicit so that the default plan can grow.
parley backtest examples/jeddah-2025.json --outcomes examples/jeddah-2025-outcomes.csv --model compromise,median,mean,nash
