# --detail summary: the At a glance table alone, the ensemble's forecast of each issue in the scale's own
# words, its 80% interval, the other models' range and a flag (!) where they spread wider than the interval.
parley forecast examples/jeddah-2025.json --detail summary --quiet
