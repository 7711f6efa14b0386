# The list as JSON: {"runs": [{"id", "date", "scenario", ...}]}.
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive list --format json --archive runs.db
