# parley plot: the expected-utility model's rounds on the 1994 emissions decision, one line per actor.
parley plot examples/eu-emissions-1994.csv --chart trajectories --model bdm -o - --quiet
