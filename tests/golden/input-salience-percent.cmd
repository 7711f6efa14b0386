# Saliences above 1 and none strictly between 0 and 1 (0 and 100 may appear) are percentages.
parley validate tests/data/input/salience_percent.csv
