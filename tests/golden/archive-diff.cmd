# What changed from the first revision to the third, and how each forecast moved.
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive diff 1 3 --archive runs.db
