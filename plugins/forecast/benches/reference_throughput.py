#!/usr/bin/env python3
"""Time statsforecast 2.1.1's AutoETS on the 2,509 complete carparts series, single thread.

Run it in the throw-away virtualenv that holds the reference (see
tests/data/carparts/make_reference_ets.py), e.g. through benches/compare.sh, which runs this and
the criterion bench one after the other. Each pass fits and forecasts (h = 12) every series with
`AutoETS(season_length=m).forecast(y, h=12)`, as benches/ets.rs does; it prints the throughput
of REPEATS passes per season length (after one warm-up series).
"""

import csv
import os
import platform
import statistics
import time
import warnings

import numpy as np
import statsforecast
from statsforecast.models import AutoETS

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "tests", "data", "carparts", "carparts.csv")
REPEATS = int(os.environ.get("REPEATS", "1"))


def series():
    with open(DATA, newline="") as f:
        rows = list(csv.reader(f))[1:]
    return [np.array([float(c) for c in r[1:]]) for r in rows if all(c != "" for c in r[1:])]


def main():
    warnings.simplefilter("ignore")
    ys = series()
    assert len(ys) == 2509, len(ys)
    for m in (1, 12):
        model = AutoETS(season_length=m)
        model.forecast(y=ys[0], h=12)  # warm-up (imports, first call)
        rates = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            for y in ys:
                model.forecast(y=y, h=12)
            rates.append(len(ys) / (time.perf_counter() - start))
        print(
            "Python %s, statsforecast %s, AutoETS(season_length=%d): %d series x %d passes: "
            "mean %.1f series/s"
            % (platform.python_version(), statsforecast.__version__, m, len(ys), REPEATS,
               statistics.mean(rates))
        )
        # For compare.sh.
        print("mean_series_per_s_m%d %.2f" % (m, statistics.mean(rates)))


if __name__ == "__main__":
    main()
