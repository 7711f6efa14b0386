# Every run of the archive, oldest first (tests/golden/archive-fixture.sh builds it: three revisions of the flagship and a compare).
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive list --archive runs.db
