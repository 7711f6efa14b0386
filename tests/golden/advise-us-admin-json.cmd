# The US administration's advice as JSON: every move tried with the forecast it gave, the best ones, the trades.
parley advise examples/jeddah-2025.json --actor us_admin --format json --quiet
