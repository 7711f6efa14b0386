# The same diff as JSON.
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive diff 1 3 --format json --archive runs.db
