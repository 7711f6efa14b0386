# The exchange model in the reference implementation's 28-digit decimal arithmetic, which reproduces its
# every trade; the road-toll example of the Decide model.
parley forecast tests/data/exchange/sample_data.txt --model exchange,numerics=decimal --quiet
