#!/usr/bin/env python3
# analyze_reference.py - checks `parley analyze --format json` on every GENIUS domain in tests/data/genius
# against its expected analysis (tests/data/genius/expected: exact rational arithmetic): the outcome
# count, rational count, Pareto frontier and the four point tie sets, utilities to 1e-9.
import json, os, subprocess, sys

parley, root = sys.argv[1], sys.argv[2]
failures = 0

def key(outcome, names):
    return tuple(str(outcome[n]) if isinstance(outcome[n], str) else float(outcome[n]) for n in names)

def check_set(domain, what, mine, ref, names):
    global failures
    got = {key(e["outcome"], names): e for e in mine}
    want = {tuple(str(v) if isinstance(v, str) else float(v) for v in e["outcome"]): e for e in ref}
    if set(got) != set(want):
        print(f"{domain}: {what}: {len(got)} outcomes, expected {len(want)}; missing {sorted(set(want) - set(got))[:3]}, extra {sorted(set(got) - set(want))[:3]}")
        failures += 1
        return
    for k, e in want.items():
        us = list(got[k]["utilities"].values())
        if any(abs(a - b) > 1e-9 for a, b in zip(us, e["utilities"])) or len(us) != len(e["utilities"]):
            print(f"{domain}: {what}: utilities of {k}: {us}, expected {e['utilities']}")
            failures += 1
        if "rational" in e and got[k]["rational"] != e["rational"]:
            print(f"{domain}: {what}: rational flag of {k}")
            failures += 1

expected = os.path.join(root, "tests/data/genius/expected")
for f in sorted(os.listdir(expected)):
    domain = f[:-5]
    ref = json.load(open(os.path.join(expected, f)))
    files = [ref["files"]["domain"]] + ref["files"]["profiles"]
    paths = [os.path.join(root, "tests/data/genius", domain, x) for x in files]
    out = subprocess.run([parley, "analyze", *paths, "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        print(f"{domain}: exit {out.returncode}: {out.stderr}")
        failures += 1
        continue
    mine = json.loads(out.stdout)
    names = [i["name"] for i in ref["issues"]]
    for a, b in (("outcome_count", "outcome_count"), ("rational_count", "rational_outcome_count")):
        if mine[a] != ref[b]:
            print(f"{domain}: {a} {mine[a]}, expected {ref[b]}")
            failures += 1
    check_set(domain, "pareto", mine["pareto"], ref["pareto_frontier_all"], names)
    for p in ("nash", "kalai_smorodinsky", "egalitarian", "max_welfare"):
        check_set(domain, p, mine["points"][p], ref[p]["points"], names)
    print(f"{domain}: {mine['outcome_count']} outcomes, {len(mine['pareto'])} on the frontier: "
          + ", ".join(f"{p} {len(mine['points'][p])}" for p in mine["points"]))
sys.exit(1 if failures else 0)
