#!/bin/sh
# run.sh - runs one golden case: the command in CASE.cmd must print CASE.out on standard output,
# CASE.err (when present) on standard error, and exit with the status its "# exit: N" line gives (0 if none).
# Usage: run.sh PATH/TO/parley CASE.cmd      (UPDATE=1 rewrites the expected files instead)
set -u
parley=$1
case_file=$2
base=${case_file%.cmd}
cmd=$(grep -v '^#' "$case_file" | grep -v '^[[:space:]]*$' | head -n 1)
want_status=$(sed -n 's/^# exit: *\([0-9]*\).*/\1/p' "$case_file")
want_status=${want_status:-0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# "parley" at the start of the command is the binary under test.
PARLEY="$parley" sh -c "\"\$PARLEY\"${cmd#parley}" >"$tmp/out" 2>"$tmp/err"
status=$?
if [ "${UPDATE:-0}" = 1 ]; then
    cp "$tmp/out" "$base.out"
    if [ -s "$tmp/err" ]; then cp "$tmp/err" "$base.err"; else rm -f "$base.err"; fi
    exit 0
fi
fail=0
if [ "$status" != "$want_status" ]; then
    echo "exit status $status, expected $want_status"
    fail=1
fi
if ! diff -u "$base.out" "$tmp/out"; then fail=1; fi
if [ -f "$base.err" ] && ! diff -u "$base.err" "$tmp/err"; then fail=1; fi
exit $fail
