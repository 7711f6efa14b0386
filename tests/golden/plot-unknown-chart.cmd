# An unknown chart name is rejected with a did-you-mean before the scenario is read or any model runs.
# exit: 2
parley plot examples/jeddah-2025.json --chart tornadoo
