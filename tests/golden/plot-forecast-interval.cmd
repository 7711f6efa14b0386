# The forecast strip marks the headline's 80% interval (a band on the axis) and the status quo (a tick).
parley plot examples/jeddah-2025.json --chart forecast --issue ceasefire --model ensemble,compromise,nash -o - --quiet
