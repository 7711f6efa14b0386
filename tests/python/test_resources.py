# test_resources.py - nothing leaks over 10,000 calls, and Ctrl-C stops a long run promptly.
import gc
import os
import signal
import subprocess
import sys
import textwrap
import tracemalloc

import pytest

import parley
from conftest import FLAGSHIP, ROOT


def _rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _calls(s, n):
    for i in range(n):
        r = s.forecast("compromise,median,mean,nash", seed=i)
        if i % 10 == 0:  # the lists and the writers too, now and then
            assert r.forecasts[0]["issue"] == "ceasefire"
            r.to_json()
        if i % 100 == 0:
            try:
                s.forecast("no-such-model")
            except parley.InputError as e:
                assert e.diagnostics


def test_ten_thousand_calls_leak_no_references_and_no_memory(flagship):
    s = parley.read(FLAGSHIP)
    _calls(s, 500)  # warm up: caches, the plan cache, the pool's threads
    gc.collect()
    refs = sys.getrefcount(s)
    objects = len(gc.get_objects())
    total = getattr(sys, "gettotalrefcount", None)  # a debug build of Python counts every reference
    before_total = total() if total else None
    rss = _rss_kb()
    tracemalloc.start()
    snap = tracemalloc.take_snapshot()
    _calls(s, 10000)
    gc.collect()
    grown = sum(st.size_diff for st in tracemalloc.take_snapshot().compare_to(snap, "filename"))
    tracemalloc.stop()
    assert sys.getrefcount(s) == refs  # no Result kept its scenario alive
    assert len(gc.get_objects()) - objects < 50
    assert grown < 64 * 1024, f"Python memory grew by {grown} bytes over 10,000 calls"
    if before_total is not None:
        assert total() - before_total < 100
    # the library's own allocations (not traced by tracemalloc): the resident set stays put
    assert _rss_kb() - rss < 8 * 1024


def test_error_objects_do_not_leak():
    gc.collect()
    tracemalloc.start()
    snap = tracemalloc.take_snapshot()
    for _ in range(2000):
        try:
            parley.read("tests/data/bad/values.json")
        except parley.InputError:
            pass
    gc.collect()
    grown = sum(st.size_diff for st in tracemalloc.take_snapshot().compare_to(snap, "filename"))
    tracemalloc.stop()
    assert grown < 64 * 1024


CHILD = textwrap.dedent("""
    import sys, parley
    s = parley.read(sys.argv[1])
    print("ready", flush=True)
    try:
        if sys.argv[2] == "forecast":
            s.forecast("bdm:scholz2011,rounds=100,stop=fixed")
        else:
            s.montecarlo(draws=10000000, models="bdm:scholz2011")
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        raise
    print("finished", flush=True)
""")


@pytest.mark.parametrize("what", ["forecast", "montecarlo"])
def test_ctrl_c_in_a_long_run_raises_keyboard_interrupt(tmp_path, bench_bin, what):
    path = tmp_path / "big.json"
    if what == "forecast":  # minutes uninterrupted: 300 actors, 100 issues, 100 rounds of the Scholz form
        with open(path, "w") as f:
            subprocess.run([bench_bin, "generate", "300", "100"], stdout=f, check=True)
    else:
        path = FLAGSHIP
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(path), what], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, cwd=ROOT, env=env)
    try:
        assert p.stdout.readline() == "ready\n"
        import time

        time.sleep(1.0)  # well inside the run
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)  # far less than the run would take: the run stopped
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert out == "interrupted\n", err
    assert p.returncode != 0 and "KeyboardInterrupt" in err


def test_an_ignored_sigint_is_left_ignored(flagship):
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        flagship.forecast("compromise")
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, old)
    flagship.forecast("compromise")
    assert signal.getsignal(signal.SIGINT) is old
