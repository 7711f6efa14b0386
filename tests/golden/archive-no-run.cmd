# A run id that does not exist is the caller's mistake: exit 2, naming the ids there are.
# exit: 2
parley --version >/dev/null && d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/golden/archive-fixture.sh "$PARLEY" "$d" && cd "$d" && "$PARLEY" archive show 9 --archive runs.db
