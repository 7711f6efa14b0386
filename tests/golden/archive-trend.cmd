# Each issue's headline forecast over the three revisions' dates (and the compare run).
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive trend 'Jeddah talks on a ceasefire in Ukraine' --archive runs.db
