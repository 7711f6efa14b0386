# The same forecasts as CSV, one row per model and issue, for a spreadsheet.
parley forecast tests/data/bdm/emission_1994.csv --format csv --quiet
