#!/bin/sh
# mpi-check.sh - builds parley-mpi and checks that Monte Carlo over MPI ranks writes exactly what one
# process writes for the same seed (text and JSON, 2 and 3 ranks).
# Usage: scripts/mpi-check.sh [BUILD_DIR]     (needs libopenmpi-dev and openmpi-bin)
set -eu
build=${1:-build-mpi}
cmake -S . -B "$build" -DPARLEY_MPI=ON -DPARLEY_TESTS=OFF -DPARLEY_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args="montecarlo examples/jeddah-2025.json --draws 300 --model compromise,median,bdm,rounds=10,exchange,rounds=3 --threshold ceasefire>=60 --quiet"
for fmt in text json; do
    # shellcheck disable=SC2086
    "$build/parley" $args --format "$fmt" -o "$tmp/one.$fmt"
    for np in 2 3; do
        # shellcheck disable=SC2086
        mpirun -np "$np" --oversubscribe "$build/parley-mpi" $args --format "$fmt" -o "$tmp/mpi$np.$fmt"
        cmp "$tmp/one.$fmt" "$tmp/mpi$np.$fmt"
        echo "mpi-check: $np ranks, $fmt: identical to one process"
    done
done
