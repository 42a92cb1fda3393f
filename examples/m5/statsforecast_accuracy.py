"""statsforecast's accuracy on the M5 backtest split, for `docs/accuracy.md` and
`tests/m5_backtest.rs`.

Run in a throw-away virtualenv outside the repository, after prepare.py:

    python3 -m venv /tmp/sfvenv && /tmp/sfvenv/bin/pip install statsforecast==2.1.1
    python3 examples/m5/prepare.py
    /tmp/sfvenv/bin/python examples/m5/statsforecast_accuracy.py

Reads `out/sales.csv` next to this file (made by prepare.py: `item_id,date,units`, one row per
item and day with a sale, from Monday 2011-01-31 to Sunday 2016-06-19) and builds what Restock's
models see with `pipeline.toml`: units per ISO week (Monday first; a week without a row is 0),
each item's history starting at the week of its first sale (`leading_zeros = "trim"`). The
split is `pipeline.toml`'s `[backtest]` table: ORIGINS origins STEP weeks apart, each
forecasting HORIZON weeks, the last ending with the last complete week before `as_of`
(2016-06-20), so the 13 windows of 4 weeks tile the last 52 weeks.

statsforecast's `cross_validation` needs every series to cover every window, and 3 items start
selling after the first origin, so at each origin this script fits `StatsForecast.forecast` on
the weeks before it, for the items with a sale by then: that is what `cross_validation` does
per window (refit at each cutoff), without the length requirement. Two models have no value
where Restock has one, and this script uses Restock's documented fallback there
(docs/forecasting.md): `SeasonalNaive` forecasts NaN for the season positions a history
shorter than 52 weeks has not seen (Restock: the last week, the naive forecast), and
`WindowAverage` NaN for a history shorter than its window (Restock: the mean of the whole
history); `AutoETS` raises on histories of six weeks or fewer ("tiny datasets"), where Restock's
`ets` forecasts the history's mean, statsforecast's `HistoricAverage`, given here as
statsforecast's `fallback_model`. The pairs concerned are counted in the output
(`fallback_pairs`).

Each (item, origin) pair is scored as `crates/backtest/src/metrics.rs` scores it — MASE and
scaled bias over the in-sample MAE of the lag-1 naive forecast, RMSSE over its MSE, forecasts
clamped at 0 as Restock's are; pairs whose training series is constant are left out and
counted — and the pair scores are averaged with equal weight.

Twice: over all 823 items (`models`, for docs/accuracy.md) and over the first TEST_ITEMS items
in the source's order (`test_subset`, which tests/m5_backtest.rs runs in a debug build within
its time budget). Writes `statsforecast_accuracy.json` next to this file: aggregate scores
only, with the versions and run times, no data.
"""

import datetime as dt
import json
import pathlib
import platform
import sys
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
    AutoETS,
    CrostonClassic,
    CrostonSBA,
    HistoricAverage,
    Naive,
    SeasonalNaive,
    SimpleExponentialSmoothing,
    WindowAverage,
)

ORIGINS, STEP, HORIZON = 13, 4, 4
AS_OF = dt.date(2016, 6, 20)
SEASON, WINDOW = 52, 4
TEST_ITEMS = 300
HERE = pathlib.Path(__file__).resolve().parent

# Names are the component names in pipeline.toml.
MODELS = {
    "naive": lambda: Naive(),
    "seasonal_naive": lambda: SeasonalNaive(season_length=SEASON),
    "moving_average": lambda: WindowAverage(window_size=WINDOW),
    "ses": lambda: SimpleExponentialSmoothing(alpha=0.1),
    "croston": lambda: CrostonClassic(),
    "sba": lambda: CrostonSBA(),
    "tsb": lambda: TSB(alpha_d=0.2, alpha_p=0.1),
    "adida": lambda: ADIDA(),
    "imapa": lambda: IMAPA(),
    "ets": lambda: AutoETS(season_length=1),
}
# ETS runs over the whole set only: it is not statsforecast-exact (docs/forecasting.md), so the
# test does not compare it, and it is the slow one.
SUBSET_MODELS = [m for m in MODELS if m != "ets"]
# AutoETS raises on "tiny datasets" (n <= parameters + 4: six weeks or fewer with ZZZ); Restock's
# ets forecasts the history's mean there, which is statsforecast's HistoricAverage.
TINY = 6
# The NaN forecasts it warns about are replaced by Restock's fallback below, and counted.
warnings.filterwarnings("ignore", message=r"Historical data \(\d+\) is shorter than season_length")


def weekly_panel(path):
    """(item order, week starts, units[item, week]) over every complete ISO week of the file."""
    long = pd.read_csv(path, dtype={"item_id": str, "units": "int64"}, parse_dates=["date"])
    order = list(dict.fromkeys(long["item_id"]))
    first_day = long["date"].min().date()
    first_week = first_day - dt.timedelta(days=first_day.weekday())
    weeks = (AS_OF - first_week).days // 7
    week_starts = [first_week + dt.timedelta(days=7 * k) for k in range(weeks)]
    week = ((long["date"].dt.date - first_week).map(lambda d: d.days) // 7).to_numpy()
    row = long["item_id"].map({item: i for i, item in enumerate(order)}).to_numpy()
    units = np.zeros((len(order), weeks))
    np.add.at(units, (row, week), long["units"].to_numpy(dtype=float))
    return order, week_starts, units


def origin_indices(weeks):
    """The origins as week indices, as crates/backtest chooses them."""
    last = weeks - HORIZON
    return [last - k * STEP for k in reversed(range(ORIGINS))]


def score(name, make_model, items, week_starts, units, first_sale, origins):
    """Fits `make_model()` at every origin and scores the (item, origin) pairs."""
    ds = pd.DatetimeIndex(week_starts)
    mase, rmsse, bias = [], [], []
    pairs = constant = fallbacks = 0
    seconds = 0.0
    for o in origins:
        rows, keys = [], []
        for i in items:
            f = first_sale[i]
            if f >= o:
                continue  # no sale before the origin: Restock has no history to forecast from
            keys.append(i)
            rows.append(pd.DataFrame({"unique_id": str(i), "ds": ds[f:o], "y": units[i, f:o]}))
        df = pd.concat(rows, ignore_index=True)
        fallback = HistoricAverage() if name == "ets" else None
        sf = StatsForecast(models=[make_model()], freq="W-MON", n_jobs=1, fallback_model=fallback)
        started = time.perf_counter()
        fc = sf.forecast(df=df, h=HORIZON)
        seconds += time.perf_counter() - started
        column = [c for c in fc.columns if c not in ("unique_id", "ds")][0]
        by_item = {uid: g[column].to_numpy() for uid, g in fc.groupby("unique_id")}
        for i in keys:
            pairs += 1
            train = units[i, first_sale[i] : o]
            forecast = by_item[str(i)].copy()
            if name == "ets" and len(train) <= TINY:
                fallbacks += 1
            if np.isnan(forecast).any():
                # Restock's fallbacks (docs/forecasting.md) where statsforecast has no value.
                fallbacks += 1
                if name == "seasonal_naive":
                    forecast[np.isnan(forecast)] = train[-1]
                elif name == "moving_average":
                    forecast[:] = np.mean(train)
                else:
                    raise ValueError(f"{name}: NaN forecast for item {i} at week {o}")
            d = np.diff(train)
            if len(d) == 0 or np.mean(np.abs(d)) == 0:
                constant += 1
                continue
            mae_scale, mse_scale = np.mean(np.abs(d)), np.mean(d * d)
            actual = units[i, o : o + HORIZON]
            forecast = np.maximum(forecast, 0.0)
            err = actual - forecast
            mase.append(np.mean(np.abs(err)) / mae_scale)
            rmsse.append(np.sqrt(np.mean(err * err) / mse_scale))
            bias.append(np.mean(forecast - actual) / mae_scale)
    result = {
        "model": repr(make_model()),
        "pairs": pairs,
        "scored": len(mase),
        "constant_history": constant,
        "fallback_pairs": fallbacks,
        "mase": float(np.mean(mase)),
        "rmsse": float(np.mean(rmsse)),
        "scaled_bias": float(np.mean(bias)),
        "seconds": seconds,
    }
    print(f"{name} ({len(items)} items): {result}", file=sys.stderr)
    return result


def main():
    order, week_starts, units = weekly_panel(HERE / "out" / "sales.csv")
    first_sale = [int(np.argmax(units[i] > 0)) for i in range(len(order))]
    origins = origin_indices(len(week_starts))
    everything = list(range(len(order)))
    subset = everything[:TEST_ITEMS]

    full = {name: score(name, make, everything, week_starts, units, first_sale, origins) for name, make in MODELS.items()}
    small = {
        name: score(name, MODELS[name], subset, week_starts, units, first_sale, origins) for name in SUBSET_MODELS
    }

    out = {
        "generated_by": "examples/m5/statsforecast_accuracy.py",
        "versions": {
            "python": platform.python_version(),
            "statsforecast": statsforecast.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "split": {
            "period": "week",
            "as_of": AS_OF.isoformat(),
            "origins": ORIGINS,
            "step": STEP,
            "horizon": HORIZON,
            "first_origin": week_starts[origins[0]].isoformat(),
            "last_origin": week_starts[origins[-1]].isoformat(),
            "weeks": len(week_starts),
            "series": len(order),
        },
        "models": full,
        "test_subset": {
            "items": len(subset),
            "models": small,
        },
    }
    (HERE / "statsforecast_accuracy.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
