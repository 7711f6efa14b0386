#!/usr/bin/env python3
"""python.py - what the Python module adds to a model run: Scenario.forecast against the same call in C.

    PYTHONPATH=python /usr/bin/python3 bench/python.py [FILE [SPEC [N]]]

Times N calls of forecast(SPEC) on FILE from a Python loop (the result's lists untouched) and N runs of
the same plan by a C loop in the same process (parley._native._c_calls: parley_run_with and
parley_result_free, as bench.c's `call` does), in alternating batches so that a loaded machine slows
both alike; prints the medians, the overhead per call and the ratio. Target (issue 16): at most 20% over
C, and 10,000 calls under 2 s. A benchmark measures: it never fails.
"""
import statistics
import sys
import time

import parley
from parley import _native


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "examples/jeddah-2025.json"
    spec = sys.argv[2] if len(sys.argv) > 2 else "compromise,median,mean,nash"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    s = parley.read(path)
    forecast = s.forecast
    forecast(spec)  # the plan is parsed once and cached, as a loop would have it
    c, py, loop = [], [], []
    for _ in range(9):
        c.append(_native._c_calls(s, spec, n))
        t0 = time.perf_counter()
        for _ in range(n):
            forecast(spec)
        dt = time.perf_counter() - t0
        loop.append(dt)
        py.append(dt / n)
    mc, mp = statistics.median(c), statistics.median(py)
    print(f"parley {parley.version}: {spec} on {path}, {n} calls per batch, 9 alternating batches (medians)")
    print(f"  C loop (parley_run_with + free):  {mc * 1e6:7.3f} us per call")
    print(f"  Python loop (Scenario.forecast):  {mp * 1e6:7.3f} us per call")
    print(f"  overhead: {(mp - mc) * 1e6:.3f} us per call, {100 * (mp / mc - 1):.1f}% over C "
          f"(best batches: {min(c) * 1e6:.3f} vs {min(py) * 1e6:.3f} us)")
    print(f"  {n} calls from Python: {statistics.median(loop):.3f} s (median batch)")


if __name__ == "__main__":
    main()
