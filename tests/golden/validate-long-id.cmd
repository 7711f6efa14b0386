# A diagnostic naming a 3,000-byte id is printed whole, not clipped at a buffer size.
# exit: 2
parley validate tests/data/input/long-id-bad.json
