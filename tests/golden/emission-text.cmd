# The 1994 EU car-emission case (a BDM table) as a person reads it: the scale, each model's
# forecast, the member states on a strip of the scale, and who sits closest to the forecast.
parley forecast tests/data/bdm/emission_1994.csv
