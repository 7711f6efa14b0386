# All 10 actors as JSON: the frontier is not listed beyond 3 parties ("pareto": null), the points are.
parley analyze examples/jeddah-2025.json --actors all --format json
