# A --detail level that does not exist is a usage error (exit 2) naming the levels and what was given.
# exit: 2
parley forecast examples/jeddah-2025.json --detail verbose
