# The 1994 EU emission case under the expected-utility model as Scholz et al. (2011) replicate it:
# the forecast after 10 rounds, and who pressed whom in round 1, in words.
parley forecast tests/data/bdm/emission_1994.csv --model bdm:scholz2011 --quiet
