# exit: 2
parley forecast examples/jeddah-2025.json --seed -4
