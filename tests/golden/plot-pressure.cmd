# parley plot: who presses whom in round 1 of the expected-utility model.
parley plot examples/eu-emissions-1994.csv --chart pressure --model bdm -o - --quiet
