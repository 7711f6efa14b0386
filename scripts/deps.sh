#!/bin/sh
# deps.sh - makes sure the Debian packages a make target needs are installed.
# Usage: scripts/deps.sh [build|python|check|fuzz|mpi|ci]
# As root it installs what is missing (apt-get); otherwise it names the exact command to run.
set -eu
need="cmake make gcc pkg-config libjansson-dev libexpat1-dev libsqlite3-dev libcmocka-dev libmicrohttpd-dev"
# The Python module (make python), and for its tests and notebook (make check) Debian's python3 packages.
python="python3-dev python3-setuptools"
python_check="$python python3-pytest python3-pandas python3-matplotlib jupyter-nbconvert python3-ipykernel"
case "${1:-build}" in
    python) need="$need $python" ;;
    fuzz) need="$need clang libclang-rt-14-dev" ;;
    check) need="$need chromium $python_check" ;;
    mpi) need="$need libopenmpi-dev openmpi-bin" ;;
    ci) need="$need chromium clang libclang-rt-14-dev libopenmpi-dev openmpi-bin $python_check" ;;
esac
# The browser tests need node and npm; Debian's packages serve when the machine has none of its own.
case "${1:-build}" in
    check | ci) command -v node >/dev/null 2>&1 || need="$need nodejs npm" ;;
esac
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: not a Debian system; make sure these (or their equivalents) are installed: $need" >&2
    exit 0
fi
missing=""
for p in $need; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: install them with: sudo apt-get install$missing" >&2
    exit 1
fi
