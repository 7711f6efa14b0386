# conftest.py - shared fixtures of the Python suite: the CLI to compare against, the flagship, the DEU batch.
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLAGSHIP = os.path.join(ROOT, "examples", "jeddah-2025.json")
DEU_DEV = os.path.join(ROOT, "tests", "data", "deu3", "deu3-dev.tsv")


def _bin(name, env):
    path = os.environ.get(env, os.path.join(ROOT, "build", name))
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} not found: build with `make` (or set {env})")
    return path


@pytest.fixture(scope="session")
def cli():
    """Runs the parley command with arguments; returns (exit status, stdout bytes, stderr text)."""
    exe = _bin("parley", "PARLEY_BIN")

    def run(*args):
        p = subprocess.run([exe, *args], capture_output=True, cwd=ROOT)
        return p.returncode, p.stdout, p.stderr.decode()

    return run


@pytest.fixture(scope="session")
def bench_bin():
    return _bin("parley-bench", "PARLEY_BENCH")


@pytest.fixture(scope="session")
def flagship():
    import parley

    return parley.read(FLAGSHIP)
