# saop on the flagship: ten parties, twenty rounds, no deal; the forecast falls back on the reference
# point and says why.
parley forecast examples/jeddah-2025.json --model saop:negmas,strategies=conceder
