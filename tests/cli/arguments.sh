#!/bin/sh
# arguments.sh - numbers on the command line and in the environment are read exactly or refused: no
# " 5" read as 5, no "-1" read as 2^64-1, no PARLEY_THREADS=abc read as "one per core".
# Usage: arguments.sh PATH/TO/parley      (run from the source tree by ctest)
set -u
parley=$1
fail=0
status() { # status WANT WHAT COMMAND...: the command must exit WANT
    want=$1 what=$2
    shift 2
    "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" != "$want" ]; then echo "FAIL: $what: exit $got, expected $want"; fail=1; else echo "ok: $what"; fi
}
f=tests/data/bdm/kyoto.csv
for bad in abc 0 65 -1 " 2" "2 " 1e1 ""; do
    status 2 "PARLEY_THREADS=\"$bad\" is refused" env PARLEY_THREADS="$bad" "$parley" forecast "$f" --model mean
done
for good in 1 2 64; do
    status 0 "PARLEY_THREADS=$good is taken" env PARLEY_THREADS=$good "$parley" forecast "$f" --model mean
done
msg=$(PARLEY_THREADS=abc "$parley" models 2>&1 >/dev/null)
[ "$msg" = 'parley: PARLEY_THREADS: expected a whole number from 1 to 64, found "abc"' ] || { echo "FAIL: message: $msg"; fail=1; }
for bad in -1 +5 " 5" 5x 18446744073709551616 ""; do
    status 2 "--seed \"$bad\" is refused" "$parley" forecast "$f" --model mean --seed "$bad"
done
for bad in 1e4 500abc +5 " 5" 0; do
    status 2 "--draws \"$bad\" is refused" "$parley" montecarlo "$f" --model mean --draws "$bad"
done
status 0 "--seed 0 is taken" "$parley" forecast "$f" --model mean --seed 0
exit $fail
