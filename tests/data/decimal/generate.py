#!/usr/bin/env python3
"""Writes vectors.txt: operations on random decimals with Python's default context (28 digits, half
even), the semantics src/core/decimal.c must reproduce. Run from this folder; the output is committed."""
import random
from decimal import Decimal, getcontext

getcontext().prec = 28
rng = random.Random(20261130)

def operand():
    kind = rng.random()
    if kind < 0.15:  # the exact value of a binary double, as Decimal(float) builds it
        return Decimal(rng.choice([0.1, 0.4, 0.7, 1 / 3, 2 / 3, 1e-10, 15.38, 6.5]) * rng.choice([1, -1]))
    if kind < 0.35:  # short literals, as a CSV holds them
        return Decimal(rng.choice(["0", "1", "100", "0.5", "0.7", "0.95", "3.0", "6.5", "7", "0.1", "-2.25"]))
    digits = rng.randint(1, 28)
    coef = rng.randint(10 ** (digits - 1), 10 ** digits - 1) * rng.choice([1, -1])
    exp = rng.randint(-40, 10) if rng.random() < 0.2 else rng.randint(-30, 2)
    return Decimal(coef).scaleb(exp, context=getcontext().__class__(prec=200))

ops = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b}
with open("vectors.txt", "w") as f:
    f.write("# op a b result: Python Decimal, prec 28, ROUND_HALF_EVEN (generate.py)\n")
    for i in range(6000):
        op = rng.choice(list(ops))
        a, b = operand(), operand()
        if i % 10 == 0:  # near-ties: a sum that rounds exactly at the 28th digit
            b = a.scaleb(-rng.randint(27, 33), context=getcontext().__class__(prec=200))
            op = rng.choice(["add", "sub"])
        if op == "div" and b == 0:
            continue
        f.write(f"{op} {a:E} {b:E} {ops[op](a, b):E}\n")
