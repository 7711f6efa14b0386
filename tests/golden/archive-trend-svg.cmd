# The trend as an SVG chart, one panel per issue.
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive trend 'Jeddah talks on a ceasefire in Ukraine' --format svg --archive runs.db
