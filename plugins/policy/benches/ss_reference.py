#!/usr/bin/env python3
"""Time stockpyl 1.0.2's exact (s, S) search on the 24 Zheng-Federgruen instances, one thread.

Run it in the throw-away virtualenv that holds the reference (see
tests/data/stockpyl/make_reference.py), e.g. through benches/compare.sh, which runs this and
`cargo bench -p restock-policy --bench ss` one after the other. The instances (h = 1, p = 9,
K = 64, Poisson means 10, 15, ..., 75 and 21-24, 51, 52, 59, 61, 63, 64) are read from
tests/data/stockpyl/reference.json, as benches/ss.rs reads them; each is solved the way a user
calls stockpyl, `ss.s_s_discrete_exact(h, p, K, True, mean)`, and its (s, S) checked against the
file. One warm-up call (mean 10), then REPEATS passes (default 1) over the 24 instances; the
figure is the mean throughput. The last line (`rate <optimisations/s>`) is for compare.sh.
"""

import json
import os
import platform
import statistics
import time
from importlib.metadata import version

from stockpyl import ss

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "tests", "data", "stockpyl", "reference.json")
REPEATS = int(os.environ.get("REPEATS", "1"))


def instances():
    with open(REFERENCE) as f:
        cases = json.load(f)["cases"]
    out = [
        c for c in cases
        if c["function"] == "s_s_discrete_exact_poisson" and c["source"] == "Zheng-Federgruen 1991"
    ]
    assert len(out) == 24, len(out)
    return out


def solve(case):
    a = case["args"]
    return ss.s_s_discrete_exact(a["holding_cost"], a["stockout_cost"], a["fixed_cost"], True,
                                 a["demand_mean"])


def main():
    cases = instances()
    solve(cases[0])  # warm-up (imports, scipy's first calls)
    rates, slowest = [], (0.0, None)
    for _ in range(REPEATS):
        start = time.perf_counter()
        for case in cases:
            t0 = time.perf_counter()
            s, S, _ = solve(case)
            dt = time.perf_counter() - t0
            slowest = max(slowest, (dt, case["args"]["demand_mean"]), key=lambda x: x[0])
            expected = case["expected"]
            assert (int(s), int(S)) == (expected["reorder_point"], expected["order_up_to_level"])
        rates.append(len(cases) / (time.perf_counter() - start))
    rate = statistics.mean(rates)
    print("Python %s, stockpyl %s, scipy %s: %d instances x %d passes: mean %.3f optimisations/s "
          "(%.3f s per instance; slowest mean %s, %.3f s)"
          % (platform.python_version(), version("stockpyl"), version("scipy"), len(cases), REPEATS,
             rate, 1 / rate, slowest[1], slowest[0]))
    print("rate %.6f" % rate)


if __name__ == "__main__":
    main()
