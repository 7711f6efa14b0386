#!/bin/sh
# analyze.sh - parley analyze matches the reference analyses of the GENIUS domains, and refuses bad
# arguments with exit 2.
parley="$1"
root="$(pwd)"
fail=0
python3 tests/cli/analyze_reference.py "$parley" "$root" || fail=1
g=tests/data/genius/laptop
expect_2() {
    "$parley" analyze "$@" >/dev/null 2>/tmp/analyze.$$.err
    rc=$?
    if [ "$rc" -ne 2 ] || ! [ -s /tmp/analyze.$$.err ]; then echo "expected exit 2 with a message for: analyze $*, got $rc"; fail=1; fi
}
expect_2 "$g" --format csv
expect_2 "$g" --actors nobody
expect_2 "$g" --actors laptop_buyer_utility,laptop_buyer_utility
expect_2 "$g" --grid 1
expect_2 "$g" --grid x
expect_2 "$g" --utility cubic
expect_2 "$g" --actors
expect_2 "$g" --bogus
expect_2 examples/jeddah-2025.json --actors all --grid 100
expect_2 tests/data/genius/nowhere
expect_2
# --svg draws the first two parties' plane beside the report
svg=/tmp/analyze.$$.svg
if ! "$parley" analyze tests/data/genius/coffee --svg "$svg" >/dev/null || ! grep -q '^<svg' "$svg" || ! grep -q 'Nash' "$svg"; then
    echo "analyze --svg did not write the chart"; fail=1
fi
# with 3 parties the chart is of the first two, the frontier seen in their plane
if ! "$parley" analyze tests/data/genius/new_sporthal --actors New_sporthal_util3,New_sporthal_util1 --svg "$svg" >/dev/null ||
   ! grep -q 'New_sporthal_util3 (across)' "$svg"; then
    echo "analyze --svg --actors did not chart the chosen pair"; fail=1
fi
rm -f /tmp/analyze.$$.err "$svg"
exit $fail
