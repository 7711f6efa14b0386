#!/bin/sh
# run.sh PYTHON BUILD [pytest|notebook] - builds the Python module against BUILD/libparley.a into
# BUILD/python-lib (never the source tree: each build folder tests its own library), then runs the pytest
# suite (tests/python) or executes the notebook headless (examples/notebooks/jeddah.ipynb).
set -eu
py=$1 build=$(cd "$2" && pwd) what=${3:-pytest}
root=$(cd "$(dirname "$0")/../.." && pwd)
lib=$build/python-lib
if ! "$py" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
    echo "python: $py has no Python.h: install python3-dev (scripts/deps.sh check installs it)" >&2
    exit 1
fi
case $what in
build)
    cd "$root/python"
    PARLEY_BUILD=$build "$py" setup.py -q build --build-base "$build/python-build" --build-lib "$lib" >"$build/python-build.log" 2>&1 ||
        { cat "$build/python-build.log" >&2; exit 1; }
    ;;
pytest)
    cd "$root"
    PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$lib PARLEY_BIN=$build/parley PARLEY_BENCH=$build/parley-bench \
        exec "$py" -m pytest -q -p no:cacheprovider tests/python
    ;;
notebook)
    cd "$root"
    out=$build/notebooks
    mkdir -p "$out"
    PYTHONPATH=$lib PYDEVD_DISABLE_FILE_VALIDATION=1 exec "$py" -m nbconvert --to notebook --execute \
        --ExecutePreprocessor.timeout=300 --output-dir "$out" examples/notebooks/jeddah.ipynb
    ;;
*)
    echo "usage: run.sh PYTHON BUILD [build|pytest|notebook]" >&2
    exit 2
    ;;
esac
