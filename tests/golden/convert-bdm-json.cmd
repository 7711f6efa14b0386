# A BDM table converted to parley's native JSON: the issue is named after the file, the scale is the
# observed range of positions.
parley convert tests/data/bdm/honduras.csv -o - --quiet --to json
