# parley compare leads with the same headline as forecast: the base case's At a glance table, then the
# headline forecast of each variant with its change; --detail summary stops there.
parley compare examples/jeddah-2025.json --detail summary --quiet
