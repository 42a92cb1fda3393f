"""statsforecast's accuracy on the carparts backtest split, for `docs/accuracy.md` and
`tests/carparts_backtest.rs`.

Run in a throw-away virtualenv outside the repository:

    python3 -m venv /tmp/sfvenv && /tmp/sfvenv/bin/pip install statsforecast==2.1.1
    /tmp/sfvenv/bin/python examples/carparts/statsforecast_accuracy.py

Reads `data/sales.csv` next to this file (long format, `NA` = missing), keeps the complete
series (the incomplete ones have no actuals in the evaluation window: see PROVENANCE.md), and
runs statsforecast's `cross_validation` with the split of `pipeline.toml`'s `[backtest]` table:
ORIGINS windows, STEP apart, HORIZON months each, the last ending at the last month. Each
(series, cutoff) pair is scored as `crates/backtest/src/metrics.rs` scores it — MASE and scaled
bias over the in-sample MAE of the lag-1 naive forecast, RMSSE over its MSE; pairs whose training
series is constant are left out and counted — and the pair scores are averaged with equal
weight. Writes `statsforecast_accuracy.json` next to this file, with the versions.
"""

import json
import pathlib
import platform
import sys
import time

import numpy as np
import pandas as pd
import statsforecast
from statsforecast import StatsForecast
from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    AutoETS,
    CrostonClassic,
    CrostonSBA,
    Naive,
    SeasonalNaive,
    SimpleExponentialSmoothing,
    WindowAverage,
)

ORIGINS, STEP, HORIZON = 12, 1, 3
HERE = pathlib.Path(__file__).resolve().parent

# Names are the component names in pipeline.toml.
MODELS = {
    "naive": Naive(),
    "seasonal_naive": SeasonalNaive(season_length=12),
    "moving_average": WindowAverage(window_size=6),
    "ses": SimpleExponentialSmoothing(alpha=0.1),
    "croston": CrostonClassic(),
    "sba": CrostonSBA(),
    "tsb": TSB(alpha_d=0.2, alpha_p=0.1),
    "adida": ADIDA(),
    "imapa": IMAPA(),
    "ets": AutoETS(season_length=12),
}


def main():
    long = pd.read_csv(HERE / "data" / "sales.csv", dtype={"part": str}, na_values=["NA"])
    long["ds"] = pd.to_datetime(long["month"])
    complete = long.groupby("part")["units"].apply(lambda s: s.notna().all())
    keep = complete[complete].index
    df = (
        long[long["part"].isin(keep)]
        .rename(columns={"part": "unique_id", "units": "y"})[["unique_id", "ds", "y"]]
        .astype({"y": "float64"})
        .sort_values(["unique_id", "ds"])
    )
    series = {k: g["y"].to_numpy() for k, g in df.groupby("unique_id")}
    dates = np.sort(df["ds"].unique())

    results = {}
    for name, model in MODELS.items():
        sf = StatsForecast(models=[model], freq="MS", n_jobs=1)
        started = time.perf_counter()
        cv = sf.cross_validation(df=df, h=HORIZON, n_windows=ORIGINS, step_size=STEP)
        seconds = time.perf_counter() - started
        column = [c for c in cv.columns if c not in ("unique_id", "ds", "cutoff", "y")][0]
        mase, rmsse, bias = [], [], []
        constant = 0
        for (uid, cutoff), g in cv.groupby(["unique_id", "cutoff"]):
            y = series[uid]
            n_train = int(np.searchsorted(dates, np.datetime64(cutoff), side="right"))
            train = y[:n_train]
            d = np.diff(train)
            mae_scale, mse_scale = np.mean(np.abs(d)), np.mean(d * d)
            if len(d) == 0 or mae_scale == 0:
                constant += 1
                continue
            actual = g["y"].to_numpy()
            fc = np.maximum(g[column].to_numpy(), 0.0)
            err = actual - fc
            mase.append(np.mean(np.abs(err)) / mae_scale)
            rmsse.append(np.sqrt(np.mean(err * err) / mse_scale))
            bias.append(np.mean(fc - actual) / mae_scale)
        results[name] = {
            "model": repr(model),
            "pairs": int(cv.groupby(["unique_id", "cutoff"]).ngroups),
            "scored": len(mase),
            "constant_history": constant,
            "mase": float(np.mean(mase)),
            "rmsse": float(np.mean(rmsse)),
            "scaled_bias": float(np.mean(bias)),
            "seconds": seconds,
        }
        print(f"{name}: {results[name]}", file=sys.stderr)

    out = {
        "generated_by": "examples/carparts/statsforecast_accuracy.py",
        "versions": {
            "python": platform.python_version(),
            "statsforecast": statsforecast.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "split": {"origins": ORIGINS, "step": STEP, "horizon": HORIZON, "series": len(series)},
        "models": results,
    }
    (HERE / "statsforecast_accuracy.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
