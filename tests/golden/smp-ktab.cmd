# The spatial model on a KTAB scenario (13 actors, 2 dimensions), read directly from KTAB's CSV: the
# forecast, who challenged whom in the first turn and how the turns went. KTAB printed the same history.
parley forecast tests/data/ktab/SOE-Pol-Comp.csv --model smp --quiet
