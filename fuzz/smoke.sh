#!/bin/sh
# smoke.sh - runs every harness in BUILD_DIR for SECONDS on a scratch copy of its seed corpus and
# prints the executions each ran. Exits non-zero when any harness finds a crash.
# Usage: fuzz/smoke.sh BUILD_DIR SECONDS
set -u
build=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
status=0
total=0
for fmt in json csv bdm ktab decide deu outcomes genius; do
    work=$(mktemp -d)
    cp "$here/corpus/$fmt/"* "$work/" 2>/dev/null
    log="$work.log"
    "$build/fuzz_$fmt" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/crash-" "$work" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    runs=${runs:-0}
    total=$((total + runs))
    if [ $rc -ne 0 ]; then
        echo "fuzz_$fmt: FAILED after $runs executions (exit $rc); last lines of its log:"
        tail -n 30 "$log"
        mkdir -p "$build/artifacts"
        cp "$work"/crash-* "$build/artifacts/" 2>/dev/null
        echo "crash inputs kept in $build/artifacts/"
        status=1
    else
        echo "fuzz_$fmt: $runs executions in ${seconds}s, no crash"
    fi
    rm -rf "$work" "$log"
done
echo "fuzz total: $total executions"
exit $status
