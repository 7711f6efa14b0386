# A file without known outcomes has nothing to fit on.
# exit: 2
parley fit examples/jeddah-2025.json
