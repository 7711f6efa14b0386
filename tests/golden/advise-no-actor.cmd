# parley advise needs the actor to advise.
# exit: 2
parley advise examples/jeddah-2025.json
