#!/bin/sh
# package.sh - a program outside the tree finds the installed library with find_package(parley) and with
# pkg-config, builds examples/c/forecast.c and gets the same forecast as the in-tree build.
# Usage: package.sh BUILD_DIR      (run from the source tree by ctest)
set -eu
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S examples/c -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cmake" >/dev/null
LD_LIBRARY_PATH="$tmp/prefix/lib:$tmp/prefix/lib/$(ls "$tmp/prefix/lib" | grep -m1 -- '-linux-gnu' || true)" \
    "$tmp/cmake/forecast" examples/jeddah-2025.json >"$tmp/by-cmake"
"$build/example-forecast" examples/jeddah-2025.json >"$tmp/in-tree"
cmp "$tmp/by-cmake" "$tmp/in-tree"
pc=$(find "$tmp/prefix" -name parley.pc -printf '%h\n')
# shellcheck disable=SC2046
cc examples/c/forecast.c $(PKG_CONFIG_PATH="$pc" pkg-config --define-prefix --cflags --libs parley) -lm -o "$tmp/by-pc"
LD_LIBRARY_PATH="$(dirname "$pc")" "$tmp/by-pc" examples/jeddah-2025.json >"$tmp/by-pc.out"
cmp "$tmp/by-pc.out" "$tmp/in-tree"
echo "ok: find_package(parley) and pkg-config both build the example; its forecast equals the in-tree one"
