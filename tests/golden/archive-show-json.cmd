# One run as JSON, the compare run with its variants' forecasts.
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive show 4 --format json --archive runs.db
