# The largest seed, 2^64-1, is recorded in JSON as that exact integer (not as a negative number).
# exit: 0
parley forecast tests/data/bdm/kyoto.csv --quiet --model mean --seed 18446744073709551615 --format json
