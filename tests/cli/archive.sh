#!/bin/sh
# archive.sh - the run archive from a shell: --archive and PARLEY_ARCHIVE change no output, every command
# that runs models records, two parley processes writing 50 runs each lose none, the archive subcommands
# record nothing and create no file, bad files and ids exit 2, and a flagship run stays a few KB.
# Usage: archive.sh PATH/TO/parley      (run from the source tree by ctest)
set -u
parley=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check WHAT WANT GOT
    if [ "$2" != "$3" ]; then echo "FAIL: $1: expected $2, found $3"; fail=1; else echo "ok: $1"; fi
}
runs() { "$parley" archive list --format json --archive "$1" | grep -c '"id":'; }
flag=examples/jeddah-2025.json
db=$tmp/runs.db

"$parley" forecast $flag -q >"$tmp/plain"
"$parley" forecast $flag -q --archive "$db" >"$tmp/archived"
check "forecast --archive exits 0" 0 $?
check "archiving adds nothing to standard output" "$(cksum <"$tmp/plain")" "$(cksum <"$tmp/archived")"
PARLEY_ARCHIVE=$db "$parley" forecast $flag -q --format json >"$tmp/env"
check "PARLEY_ARCHIVE records too" 2 "$(runs "$db")"
"$parley" forecast $flag -q --format json >"$tmp/env-plain"
check "and changes no output either" "$(cksum <"$tmp/env-plain")" "$(cksum <"$tmp/env")"

# the size of one more flagship run, the scenario being stored already (page-granular: averaged over 20)
"$parley" archive list --archive "$db" >/dev/null
before=$(wc -c <"$db")
i=0
while [ $i -lt 20 ]; do "$parley" forecast $flag -q --seed $i --archive "$db" >/dev/null; i=$((i + 1)); done
after=$(wc -c <"$db")
per_run=$(((after - before) / 20))
echo "size: the first flagship run made a $before-byte file; each further forecast adds $per_run bytes"
[ $per_run -lt 8192 ]
check "a flagship forecast adds under 8 KB" 0 $?

for cmd in "compare $flag" "montecarlo $flag --draws 50" "sensitivity $flag --draws 50" "backtest $flag" "report $flag --draws 20 -o $tmp/r.html"; do
    # shellcheck disable=SC2086
    "$parley" $cmd -q --archive "$db" >/dev/null
    check "${cmd%% *} --archive exits 0" 0 $?
done
check "each of them recorded one run" 27 "$(runs "$db")"
grep -q "How the forecast moved" "$tmp/r.html"
check "report --archive shows the trend of the archived runs" 0 $?
"$parley" report $flag -q --draws 20 -o "$tmp/plain.html"
grep -q "How the forecast moved" "$tmp/plain.html"
check "and without --archive it does not" 1 $?
"$parley" archive show 27 --archive "$db" | grep -q "variant:"
check "report keeps the variants' forecasts" 0 $?
"$parley" archive show 24 --archive "$db" | grep -q "^montecarlo"
check "montecarlo keeps the draws' medians" 0 $?

# the readers record nothing and make no file
"$parley" archive diff 1 27 --archive "$db" >/dev/null
"$parley" archive trend "Jeddah talks on a ceasefire in Ukraine" --archive "$db" -o "$tmp/t.svg"
check "trend -o writes an SVG" "<svg" "$(head -c 4 "$tmp/t.svg")"
check "the subcommands recorded no run" 27 "$(runs "$db")"
"$parley" archive list --archive "$tmp/none.db" 2>"$tmp/err"
check "list on a missing archive exits 2" 2 $?
[ ! -e "$tmp/none.db" ]
check "and creates no file" 0 $?

# two processes writing at once: every run is kept
conc=$tmp/conc.db
writer() {
    i=0
    while [ $i -lt 50 ]; do
        "$parley" forecast $flag -q --seed "$1$i" --model median --archive "$conc" >/dev/null || echo "run $1 $i failed"
        i=$((i + 1))
    done
}
writer 1 >"$tmp/w1" 2>&1 &
p1=$!
writer 2 >"$tmp/w2" 2>&1 &
p2=$!
wait $p1 $p2
check "no writer failed" "" "$(cat "$tmp/w1" "$tmp/w2")"
check "two processes writing 50 runs each: 100 runs" 100 "$(runs "$conc")"

# bad files and ids: exit 2, a clear message, the file untouched
echo "not a database" >"$tmp/notes.txt"
"$parley" forecast $flag -q --archive "$tmp/notes.txt" >"$tmp/out" 2>"$tmp/err"
check "forecast --archive on a text file exits 2" 2 $?
check "and prints no forecast" 0 "$(wc -c <"$tmp/out" | tr -d ' ')"
grep -q "notes.txt: error: opening the archive: not a parley archive: the file is not an SQLite database" "$tmp/err"
check "the message names the file and says why" 0 $?
check "the file is untouched" "not a database" "$(cat "$tmp/notes.txt")"
"$parley" archive show 999 --archive "$db" 2>"$tmp/err"
check "show of a run that does not exist exits 2" 2 $?
grep -q "no run 999: the archive holds runs 1 to 27" "$tmp/err"
check "and names the runs there are" 0 $?
"$parley" archive show x1 --archive "$db" 2>/dev/null
check "a run id that is no number exits 2" 2 $?
"$parley" forecast $flag -q --archive "$tmp" 2>/dev/null >/dev/null
check "--archive on a folder exits 2" 2 $?
exit $fail
