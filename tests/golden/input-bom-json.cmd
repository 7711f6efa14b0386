# JSON saved with a UTF-8 byte-order mark (as some Windows editors do) reads like any other.
parley validate tests/data/input/bom.json
