"""Writes mann_kendall_reference.json: inputs and pymannkendall's answers, for the Rust tests.

Run in a throw-away virtualenv, outside the repository:
    python3 -m venv /tmp/mkvenv && /tmp/mkvenv/bin/pip install pymannkendall==1.4.3
    /tmp/mkvenv/bin/python make_mann_kendall_reference.py
The versions used are written into the JSON.
"""

import json
import random
import sys

import numpy
import pymannkendall as mk
import scipy

rng = random.Random(20261130)
series = [
    [1, 2, 3, 4, 5, 6, 7, 8],
    [8, 7, 6, 5, 4, 3, 2, 1],
    [0, 0, 0, 3, 0, 0, 1, 0, 0, 2, 0, 0],
    [5, 5, 5, 5, 6, 6, 6, 7, 7, 8],
    [3.5, 1.25, 4.0, 4.0, 2.5, 6.0, 5.5, 7.25, 6.0, 9.0],
    [5, 1, 4, 2, 3, 3, 2, 4, 1, 5],
]
# Weekly-demand-like count series: Poisson-ish with and without drift, many ties.
for drift in (-0.08, 0.0, 0.0, 0.05, 0.12):
    n = rng.choice([12, 26, 52])
    base = rng.uniform(1.0, 6.0)
    s = []
    for t in range(n):
        lam = max(0.1, base * (1 + drift * (t - n / 2) / 4))
        # Knuth's Poisson sampler, so the inputs need nothing but the standard library.
        L, k, p = pow(2.718281828459045, -lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= L:
                break
            k += 1
        s.append(k)
    series.append(s)
# Star ratings in date order: heavy ties.
for _ in range(3):
    series.append([rng.choice([1, 2, 3, 4, 5, 5, 5, 4]) for _ in range(rng.choice([9, 30, 80]))])

cases = []
for x in series:
    r = mk.original_test(x, alpha=0.05)
    cases.append({
        "x": x,
        "s": float(r.s),
        "var_s": float(r.var_s),
        "z": float(r.z),
        "p": float(r.p),
        "slope": float(r.slope),
        "trend": r.trend,
    })

json.dump({
    "generator": "make_mann_kendall_reference.py",
    "reference": "pymannkendall.original_test (alpha = 0.05)",
    "versions": {"python": sys.version.split()[0], "pymannkendall": mk.__version__,
                 "numpy": numpy.__version__, "scipy": scipy.__version__},
    "cases": cases,
}, open("mann_kendall_reference.json", "w"), indent=1)
print(len(cases), "cases")
