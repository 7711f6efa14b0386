# parley plot: every actor's position and salience on every issue, as deterministic SVG.
parley plot tests/data/three_actors.csv --chart positions -o - --quiet
