# The same round at the default detail: the pressure map keeps, per pressed actor, the challenge it accepted
# and its strongest other one (c accepted none; b's conflict outranks a's stalemate), and counts the rest.
parley forecast tests/data/three_actors.csv --model 'bdm,rounds=1,stop=fixed' --format json --quiet
