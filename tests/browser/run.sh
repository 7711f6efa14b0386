#!/bin/sh
# run.sh - the browser tests: installs playwright-core from npm on first use (package-lock.json pins it),
# then drives Debian's chromium headless: the UI and the report (ui.test.js; screenshots land in
# ARTIFACTS), and pages of other origins that try to use the server (cross_origin.test.js).
# Usage: tests/browser/run.sh PARLEY_BINARY ARTIFACTS
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/node_modules/playwright-core" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
node "$here/ui.test.js" "$1" "$2"
exec node "$here/cross_origin.test.js" "$1"
