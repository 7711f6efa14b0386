#!/bin/sh
# write-safety.sh - the parley command never destroys what it writes over, and never claims a write that
# failed: -o on the input, -o on a FIFO, a full disk on standard output.
# Usage: write-safety.sh PATH/TO/parley      (run from the source tree by ctest)
set -u
parley=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check WHAT WANT GOT
    if [ "$2" != "$3" ]; then echo "FAIL: $1: expected $2, found $3"; fail=1; else echo "ok: $1"; fi
}
cp examples/jeddah-2025.json "$tmp/s.json"
before=$(cksum <"$tmp/s.json")

"$parley" forecast "$tmp/s.json" --model mean -o "$tmp/s.json" 2>"$tmp/err"
check "forecast -o on its input exits 2" 2 $?
check "the input is byte-identical" "$before" "$(cksum <"$tmp/s.json")"
grep -q "expected an output other than the input" "$tmp/err"
check "the message says why" 0 $?

"$parley" convert "$tmp/s.json" --to csv -o "$tmp/s.json" 2>/dev/null
check "convert -o on its input exits 2" 2 $?
ln -s s.json "$tmp/link.json"
"$parley" report "$tmp/s.json" -o "$tmp/link.json" 2>/dev/null
check "report -o on a link to its input exits 2" 2 $?
check "the input is still byte-identical" "$before" "$(cksum <"$tmp/s.json")"

mkfifo "$tmp/fifo"
# bounded: if parley never opens the FIFO (a failed build, a crash), the reader must not wait forever
timeout 60 cat "$tmp/fifo" >"$tmp/from-fifo" &
reader=$!
"$parley" forecast "$tmp/s.json" --model mean -o "$tmp/fifo"
check "forecast -o FIFO exits 0" 0 $?
wait $reader
"$parley" forecast "$tmp/s.json" --model mean >"$tmp/direct"
check "the FIFO carried the forecast" "$(cksum <"$tmp/direct")" "$(cksum <"$tmp/from-fifo")"
[ -p "$tmp/fifo" ]
check "the FIFO is still a FIFO" 0 $?

if [ -w /dev/full ]; then
    "$parley" validate "$tmp/s.json" >/dev/full 2>"$tmp/err"
    check "validate to a full disk exits 1" 1 $?
    grep -q "write error" "$tmp/err"
    check "and says so" 0 $?
    "$parley" models >/dev/full 2>/dev/null
    check "models to a full disk exits 1" 1 $?
    "$parley" forecast "$tmp/s.json" --model mean >/dev/full 2>/dev/null
    check "forecast to a full disk exits 1" 1 $?
fi
left=$(ls -A "$tmp" | grep -v -e '^s.json$' -e '^link.json$' -e '^fifo$' -e '^from-fifo$' -e '^direct$' -e '^err$')
check "no temporary file is left" "" "$left"
exit $fail
