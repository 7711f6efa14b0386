# A scenario name the archive does not hold: exit 2, naming those it does.
# exit: 2
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive trend Jeddah --archive runs.db
