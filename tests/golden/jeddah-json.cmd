# The flagship as JSON: provenance (version, input SHA-256, seed, resolved options) and forecasts.
parley forecast examples/jeddah-2025.json --format json --model 'compromise,median,tie=midpoint,nash,disagreement=worst'
