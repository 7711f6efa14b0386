#!/bin/sh
# interrupt.sh - Ctrl-C (SIGINT) during a long run cancels it cleanly: one line on stderr, nothing on
# stdout, exit 130; montecarlo still reports the draws it completed.
# Usage: interrupt.sh PATH/TO/parley      (run from the source tree by ctest)
set -u
parley=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 200 actors on 4 issues: smp held to 1000 turns runs for minutes, so the signal lands mid-run.
make_long() { # make_long ACTORS OUTCOME(0|1) > FILE
    awk -v n="$1" -v outcome="$2" 'BEGIN {
    srand(7); printf "{\"issues\": [";
    for (k = 1; k <= 4; k++) printf "%s{\"id\": \"i%d\", \"low\": 0, \"high\": 100%s}", (k > 1 ? ", " : ""), k, (outcome ? ", \"outcome\": 50" : "");
    printf "], \"actors\": [";
    for (a = 1; a <= n; a++) printf "%s{\"id\": \"a%d\", \"capability\": %.3f}", (a > 1 ? ", " : ""), a, 1 + 99 * rand();
    printf "], \"stances\": [";
    c = 0;
    for (a = 1; a <= n; a++) for (k = 1; k <= 4; k++)
        printf "%s{\"actor\": \"a%d\", \"issue\": \"i%d\", \"position\": %.2f, \"salience\": %.3f}", (c++ ? ", " : ""), a, k, 100 * rand(), 0.05 + 0.9 * rand();
    printf "]}\n" }'
}
make_long 200 0 >"$tmp/long.json"
# started COMMAND...: runs it in the background as $pid, with a watchdog (a run that ignores the signal
# fails, never hangs), and returns once its run is under way: the pool's threads exist (PARLEY_THREADS=2),
# which is after the command installed its handler.
started() {
    PARLEY_THREADS=2 "$@" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    (sleep 120; kill -KILL $pid) >/dev/null 2>&1 &
    dog=$!
    n=0
    while [ "$(ls /proc/$pid/task 2>/dev/null | wc -l)" -lt 2 ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
}
stopped() { # stopped: sends SIGINT to $pid, waits; sets got to its exit status
    kill -INT $pid
    wait $pid
    got=$?
    kill $dog 2>/dev/null
}
interrupt() { # interrupt NAME COMMAND...: SIGINT mid-run; exit 130, one note, no output
    name=$1
    shift
    started "$@"
    stopped
    if [ "$got" != 130 ]; then echo "FAIL: $name: exit $got, expected 130"; fail=1; else echo "ok: $name exits 130"; fi
    if [ "$(cat "$tmp/err")" != "parley $name: interrupted" ]; then echo "FAIL: $name: stderr: $(cat "$tmp/err")"; fail=1; fi
    if [ -s "$tmp/out" ]; then echo "FAIL: $name: wrote output"; fail=1; fi
}
spec=smp,max_turns=1000,min_turns=1000
interrupt forecast "$parley" forecast "$tmp/long.json" --model "$spec"
interrupt report "$parley" report "$tmp/long.json" --model "$spec" -o "$tmp/report.html"
[ -e "$tmp/report.html" ] && { echo "FAIL: report: wrote the file"; fail=1; }
# a backtest stops at the next round too, not after all its issues: 400 actors on issues with known
# outcomes, which run to their end would outlast the watchdog (about 6 minutes)
make_long 400 1 >"$tmp/long-outcomes.json"
interrupt backtest "$parley" backtest "$tmp/long-outcomes.json" --quiet --model "$spec"
# montecarlo keeps its partial results: the draws done so far are reported, and the exit is 130 (bdm: a
# quick base run, then draws until the signal).
started "$parley" montecarlo "$tmp/long.json" --model bdm --draws 10000000
stopped
[ "$got" = 130 ] || { echo "FAIL: montecarlo: exit $got, expected 130"; fail=1; }
grep -q '^parley montecarlo: interrupted; reporting the [0-9]* draws completed$' "$tmp/err" ||
    { echo "FAIL: montecarlo: stderr: $(cat "$tmp/err")"; fail=1; }
[ -s "$tmp/out" ] || { echo "FAIL: montecarlo: no report"; fail=1; }
exit $fail
