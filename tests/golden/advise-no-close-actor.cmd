# An --actor close to no id lists the ids there are.
# exit: 2
parley advise examples/jeddah-2025.json --actor xyz
