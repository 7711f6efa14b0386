#!/bin/sh
# brief.sh - parley brief: the HTML holds its sections and needs no network; with chromium present, the PDF
# has exactly two pages; a missing chromium is a clear error, and advise --format html is one page too.
# Usage: brief.sh PATH/TO/parley      (run from the source tree by ctest)
set -u
parley=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
f=examples/jeddah-2025.json
"$parley" brief "$f" -o "$tmp/brief.html" --draws 200 --quiet || bad "brief -o brief.html exits $?"
for want in 'id="page-1"' 'id="page-2"' 'id="glance-table"' 'id="variants-table"' 'data-chart="forecast"' \
    'class="movers"' '@page{size:A4' 'deal or no deal'; do
    grep -q "$want" "$tmp/brief.html" && ok "the brief holds $want" || bad "the brief lacks $want"
done
n=$(grep -o 'data-chart="forecast"' "$tmp/brief.html" | wc -l)
[ "$n" = 6 ] && ok "one chart per issue" || bad "$n forecast charts for 6 issues"
n=$(grep -o '<ol class="movers">' "$tmp/brief.html" | wc -l)
[ "$n" = 6 ] && ok "what moves each of the 6 forecasts" || bad "$n lists of inputs for 6 issues"
if grep -Eq '(src|href)="(https?:)?//' "$tmp/brief.html"; then bad "the brief loads something from the network"; else ok "no network"; fi
"$parley" brief "$f" --draws 200 --quiet >"$tmp/stdout.html" || bad "brief to standard output exits $?"
cmp -s "$tmp/stdout.html" "$tmp/brief.html" && ok "standard output is the same HTML" || bad "standard output differs from -o"
PARLEY_CHROMIUM=/nonexistent/chromium "$parley" brief "$f" -o "$tmp/x.pdf" --draws 50 --quiet 2>"$tmp/err"
st=$?
[ "$st" = 2 ] && grep -q 'cannot run /nonexistent/chromium' "$tmp/err" && ok "a missing chromium is a usage error naming it" ||
    bad "missing chromium: exit $st, $(cat "$tmp/err")"
[ -e "$tmp/x.pdf" ] && bad "a failed print left a file"
chromium=${PARLEY_CHROMIUM:-$(command -v chromium || true)}
if [ -n "$chromium" ] && [ -x "$chromium" ]; then
    PARLEY_CHROMIUM=$chromium "$parley" brief "$f" -o "$tmp/brief.pdf" --draws 200 --quiet || bad "brief -o brief.pdf exits $?"
    head -c 5 "$tmp/brief.pdf" | grep -q '%PDF-' && ok "the PDF is a PDF" || bad "brief.pdf is not a PDF"
    pages=$(grep -a -o '/Type */Page\([^s]\|$\)' "$tmp/brief.pdf" | wc -l)
    [ "$pages" = 2 ] && ok "the PDF has two pages" || bad "the PDF has $pages pages, expected 2"
else
    echo "skip: no chromium: the PDF is not checked"
fi
"$parley" advise "$f" --actor ukraine --format html -o "$tmp/advise.html" --quiet || bad "advise --format html exits $?"
grep -q '<h1 id="advise">What Government of Ukraine can do</h1>' "$tmp/advise.html" && ok "advise html has its heading" ||
    bad "advise html lacks its heading"
exit $fail
