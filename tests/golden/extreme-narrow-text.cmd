# The same scales 1e-300 wide for people: 7e-301, not 0.
parley forecast tests/data/extreme/narrow-scale.json --model compromise,median,nash --quiet
