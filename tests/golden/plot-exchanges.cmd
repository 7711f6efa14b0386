# parley plot: the exchange model's round-1 trade between two actors.
parley plot tests/data/two_traders.json --chart exchanges --model exchange -o - --quiet
