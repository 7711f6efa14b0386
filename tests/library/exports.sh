#!/bin/sh
# exports.sh - the shared library exports exactly the documented API: every exported symbol is a parley_*
# name declared with PARLEY_API in include/parley/, and every such declaration is exported.
# Usage: exports.sh PATH/TO/libparley.so      (run from the source tree by ctest)
set -u
lib=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRV]$/ {print $3}' | sort -u >"$tmp/exported"
grep -ho 'PARLEY_API [^(]*\bparley_[a-z0-9_]*(' include/parley/*.h | grep -o 'parley_[a-z0-9_]*($' | tr -d '(' |
    sort -u >"$tmp/declared"
fail=0
if grep -v '^parley_' "$tmp/exported" >"$tmp/foreign"; then
    echo "FAIL: exported symbols outside the parley_ prefix:"; cat "$tmp/foreign"; fail=1
fi
comm -23 "$tmp/exported" "$tmp/declared" >"$tmp/undeclared"
if [ -s "$tmp/undeclared" ]; then echo "FAIL: exported but not declared with PARLEY_API:"; cat "$tmp/undeclared"; fail=1; fi
comm -13 "$tmp/exported" "$tmp/declared" >"$tmp/missing"
if [ -s "$tmp/missing" ]; then echo "FAIL: declared with PARLEY_API but not exported:"; cat "$tmp/missing"; fail=1; fi
echo "$(wc -l <"$tmp/exported") symbols exported, all parley_* and declared"
exit $fail
