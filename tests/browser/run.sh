#!/bin/sh
# run.sh - the browser tests: installs playwright-core from npm on first use (package-lock.json pins it),
# then drives Debian's chromium headless. Screenshots land in ARTIFACTS.
# Usage: tests/browser/run.sh PARLEY_BINARY ARTIFACTS
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/node_modules/playwright-core" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/ui.test.js" "$1" "$2"
