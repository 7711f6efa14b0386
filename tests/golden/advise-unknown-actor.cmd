# An --actor the scenario does not have is a usage error with the closest id as a hint.
# exit: 2
parley advise examples/jeddah-2025.json --actor usadmin
