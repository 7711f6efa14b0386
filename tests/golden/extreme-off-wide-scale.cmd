# A position past the end of a scale as wide as doubles allow is refused (the slack stays finite).
# exit: 2
parley validate tests/data/extreme/off-wide-scale.json
