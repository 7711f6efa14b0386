# parley plot: the spread of two models' forecasts over 50 Monte Carlo draws of the flagship's ranges.
parley plot examples/jeddah-2025.json --chart distribution --issue ceasefire --model compromise,median --draws 50 -o - --quiet
