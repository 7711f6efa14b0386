#!/bin/sh
# genius.sh - GENIUS XML negotiations on the command line: a domain and its profiles, or their folder;
# JSON round trips; --real-grid; faults with file, line and column; scale models refusing option issues.
# Usage: genius.sh PATH/TO/parley      (run from the source tree by ctest)
set -u
parley=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g=tests/data/genius
check() { # check WANT_EXIT WHAT PATTERN COMMAND...: exit WANT_EXIT and PATTERN (grep -E) in stdout+stderr
    want=$1 what=$2 pattern=$3
    shift 3
    out=$("$@" 2>&1)
    got=$?
    if [ "$got" != "$want" ]; then echo "FAIL: $what: exit $got, expected $want: $out"; fail=1
    elif ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then echo "FAIL: $what: no \"$pattern\" in: $out"; fail=1
    else echo "ok: $what"; fi
}
l=$g/laptop
check 0 "domain and profiles validate" 'valid genius scenario "LaptopDomain": 2 actors, 3 issues, 6 stances' \
    "$parley" validate $l/laptop_domain.xml $l/laptop_buyer_utility.xml $l/laptop_seller_utility.xml
check 0 "a folder validates" 'valid genius scenario "Politics": 3 actors, 8 issues, 24 stances' "$parley" validate $g/politics
check 2 "a lone domain asks for its profiles" 'DOMAIN.xml PROFILE.xml' "$parley" validate $l/laptop_domain.xml
check 2 "JSON and XML inputs do not mix" 'expected one input file, found a second' "$parley" validate tests/data/two_traders.json $l/laptop_domain.xml
printf '<utility_space>\n<objective>\n<issue index="1" name="a" type="discrete">\n</objective>\n' >"$tmp/bad.xml"
check 2 "bad XML names file, line and column" "$tmp/bad.xml:4:3: error: invalid XML: mismatched tag" \
    "$parley" validate "$tmp/bad.xml" $l/laptop_buyer_utility.xml
check 2 "a named scale model refuses option issues, with the reason" 'model bdm does not suit this scenario: .*option issues' \
    "$parley" forecast $l --model bdm
check 2 "the default plan says why nothing suits" 'no model of the default plan suits this scenario' "$parley" forecast $l
check 2 "CSV cannot hold option issues" 'CSV cannot hold option issues' "$parley" convert $l --to csv -o "$tmp/l.csv"
check 0 "a real issue keeps its scale: the models run" 'One_and_only_issue' "$parley" forecast $g/fuzzyagent_real
# A GENIUS negotiation written as JSON reads back to the same bytes.
"$parley" convert $g/politics -o "$tmp/p.json" 2>/dev/null && "$parley" convert "$tmp/p.json" -o "$tmp/p2.json" 2>/dev/null &&
    cmp -s "$tmp/p.json" "$tmp/p2.json" && echo "ok: politics round-trips through JSON" || { echo "FAIL: politics JSON round trip"; fail=1; }
"$parley" convert $g/fuzzyagent_real --real-grid 11 -o "$tmp/f.json" 2>/dev/null
grep -q '"grid": 11' "$tmp/f.json" && echo "ok: --real-grid sets the grid" || { echo "FAIL: --real-grid"; fail=1; }
check 2 "--real-grid 1 is refused" 'real-grid expects a whole number of points from 2' "$parley" validate $g/fuzzyagent_real --real-grid 1
cp -r $l "$tmp/lap"
check 2 "-o may not overwrite a profile" 'input' "$parley" convert "$tmp/lap/laptop_domain.xml" "$tmp/lap/laptop_buyer_utility.xml" \
    "$tmp/lap/laptop_seller_utility.xml" --to json -o "$tmp/lap/laptop_seller_utility.xml"
cmp -s "$tmp/lap/laptop_seller_utility.xml" $l/laptop_seller_utility.xml && echo "ok: the profile is intact" || { echo "FAIL: profile overwritten"; fail=1; }
exit $fail
