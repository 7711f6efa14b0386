# parley plot: who presses whom in round 1 of the expected-utility model,
# every challenge (--detail full).
parley plot examples/eu-emissions-1994.csv --chart pressure --model bdm --detail full -o - --quiet
