# An unknown output format is a usage error.
# exit: 2
parley forecast examples/jeddah-2025.json --format xml --quiet
