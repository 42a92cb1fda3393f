#!/usr/bin/env python3
"""Time statsforecast 2.1.1's naive … IMAPA on the 2,509 complete carparts series, one thread.

Run it in the throw-away virtualenv that holds the reference (see
tests/data/carparts/make_reference.py), e.g. through benches/compare_methods.sh, which runs this
and `cargo bench -p restock-forecast --bench methods` one after the other. The models and their
settings are those of benches/methods.rs (h = 12). Two ways a user calls them are timed:

- `loop`: `model.forecast(y=y, h=12)` for each series (a float64 numpy array) in a Python loop:
  the same work as the Rust bench (one series in, its forecast out), so the fair comparison;
- `frame`: `StatsForecast(models=[model], freq="MS", n_jobs=1).forecast(df=df, h=12)` on a long
  data frame (unique_id, ds, y) of all series, built once outside the timing: adds statsforecast's
  grouping and its output frame with dates, which the Rust bench does not do.

Each figure is the mean throughput (series per second) of REPEATS passes (default 5) after one
warm-up pass. The last lines (`rate <way> <model> <series/s>`) are for compare_methods.sh.
"""

import csv
import os
import platform
import statistics
import time
import warnings

import numpy as np
import pandas as pd
import statsforecast
from statsforecast import StatsForecast
from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    CrostonClassic,
    CrostonSBA,
    Naive,
    SeasonalNaive,
    SimpleExponentialSmoothing,
    WindowAverage,
)

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "tests", "data", "carparts", "carparts.csv")
REPEATS = int(os.environ.get("REPEATS", "5"))
H = 12

# (name as in benches/methods.rs, model with the parity test's settings)
MODELS = [
    ("naive", Naive()),
    ("seasonal_naive", SeasonalNaive(season_length=12)),
    ("window_average", WindowAverage(window_size=6)),
    ("ses", SimpleExponentialSmoothing(alpha=0.1)),
    ("croston", CrostonClassic()),
    ("sba", CrostonSBA()),
    ("tsb", TSB(alpha_d=0.2, alpha_p=0.1)),
    ("adida", ADIDA()),
    ("imapa", IMAPA()),
]


def series():
    with open(DATA, newline="") as f:
        rows = list(csv.reader(f))[1:]
    return [
        (r[0], np.array([float(c) for c in r[1:]], dtype=np.float64))
        for r in rows
        if all(c != "" for c in r[1:])
    ]


def long_frame(parts):
    n = len(parts[0][1])
    ds = pd.date_range("1998-01-01", periods=n, freq="MS")
    return pd.DataFrame(
        {
            "unique_id": np.repeat([p for p, _ in parts], n),
            "ds": np.tile(ds, len(parts)),
            "y": np.concatenate([y for _, y in parts]),
        }
    )


def mean_rate(n, run):
    run()  # warm-up (numba compilation, caches)
    rates = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        rates.append(n / (time.perf_counter() - start))
    return statistics.mean(rates)


def main():
    warnings.simplefilter("ignore")
    parts = series()
    assert len(parts) == 2509, len(parts)
    ys = [y for _, y in parts]
    df = long_frame(parts)
    print(
        "Python %s, statsforecast %s, numpy %s, pandas %s: %d series x %d passes, h = %d"
        % (platform.python_version(), statsforecast.__version__, np.__version__,
           pd.__version__, len(ys), REPEATS, H)
    )
    results = []
    for name, model in MODELS:

        def loop():
            for y in ys:
                model.forecast(y=y, h=H)

        def frame():
            StatsForecast(models=[model], freq="MS", n_jobs=1).forecast(df=df, h=H)

        loop_rate = mean_rate(len(ys), loop)
        frame_rate = mean_rate(len(ys), frame)
        print("%-15s model.forecast loop %10.1f series/s   StatsForecast.forecast %10.1f series/s"
              % (name, loop_rate, frame_rate))
        results.append((name, loop_rate, frame_rate))
    for name, loop_rate, frame_rate in results:
        print("rate loop %s %.2f" % (name, loop_rate))
        print("rate frame %s %.2f" % (name, frame_rate))


if __name__ == "__main__":
    main()
