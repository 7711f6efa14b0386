# Capabilities of 1e308 and 5e-324 beside ordinary ones: every model weighs them by their ratios (the two
# giants decide; the denormal weighs nothing), with no overflow, no false "zero capability" note, no NaN.
parley forecast tests/data/extreme/capabilities.json --model compromise,median,mean,nash,bdm,exchange,smp --quiet
