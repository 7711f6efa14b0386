# A scale from -1e308 to 1e308: forecasts on it, its ends and the distances printed as they are (1e+308,
# not 39 wrong digits), the strip drawn without overflow.
parley forecast tests/data/extreme/wide-scale.json --model compromise,median,mean,nash,bdm,exchange,smp --quiet
