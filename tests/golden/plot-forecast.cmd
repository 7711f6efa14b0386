# parley plot: the scale, the actors on it and each model's forecast.
parley plot tests/data/three_actors.csv --chart forecast --model compromise,median,mean -o - --quiet
