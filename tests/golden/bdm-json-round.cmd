# One round of the paper preset on three actors, as JSON: positions and risk exponents per round, and the
# whole pressure map at --detail full (who presses whom, the region, the offer, whether it was taken). Computed by hand in
# tests/test_bdm.c.
parley forecast tests/data/three_actors.csv --model 'bdm,rounds=1,stop=fixed' --format json --detail full --quiet
