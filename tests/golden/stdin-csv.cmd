# Standard input, with the format named, converted to tidy CSV.
parley convert - --from bdm -o out.csv --to csv --quiet < tests/data/bdm/honduras.csv && cat out.csv && rm out.csv
