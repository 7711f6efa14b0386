# parley advise for the US administration on the flagship: what the headline forecast is worth to it per issue,
# its own strongest lever, whom to persuade, and its trades, each figure from a rerun of the models.
parley advise examples/jeddah-2025.json --actor us_admin --quiet
