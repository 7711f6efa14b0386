# Scales 1e-300 wide and saliences down to 5e-324, as CSV: every forecast exactly, in shortest round-trip form.
parley forecast tests/data/extreme/narrow-scale.json --model compromise,median,mean,nash,bdm,exchange,smp --format csv --quiet
