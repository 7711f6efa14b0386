# Past the enumeration limit the analysis stops and says how many outcomes each issue makes.
# exit: 2
parley analyze examples/jeddah-2025.json --grid 101
