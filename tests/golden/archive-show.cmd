# One run whole: its inputs and every forecast, the headline marked.
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive show 3 --archive runs.db
