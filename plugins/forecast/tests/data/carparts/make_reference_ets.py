"""Reference AutoETS fits from statsforecast 2.1.1 for `tests/ets_parity.rs` and `tests/ets_awkward.rs`.

Run in a throw-away virtualenv outside the repository (the same one as make_reference.py):

    python3 -m venv /tmp/sfvenv && /tmp/sfvenv/bin/pip install statsforecast==2.1.1
    /tmp/sfvenv/bin/python plugins/forecast/tests/data/carparts/make_reference_ets.py

Reads `carparts.csv` next to this file (see PROVENANCE.md), keeps every complete series (no NA;
2,509 of 2,674) and fits `AutoETS(season_length=m, model="ZZZ")` through statsforecast's own
`ets_f` (what `AutoETS.forecast` calls) for m = 12 and m = 1, then forecasts H = 12 periods
with `forecast_ets`. Writes `reference_ets.tsv` next to this file: comment lines with the
versions and settings, a header, then one row per part and season length with the chosen model
(`components` as statsforecast writes it: error, trend, season, damped `D`/`N`), AICc, sigma2,
alpha, beta, gamma, phi (`nan` when the model has none), the initial states (level, trend,
seasonal states as statsforecast stores them, space-separated) and the point forecasts for
h = 1 .. 12 (space-separated). Every number is Python's shortest round-trip `repr`.

It also writes `reference_ets_awkward.tsv`: the same columns for a few short or awkward series
and a few fixed models (`AutoETS(season_length=m, model=..., damped=...).forecast(y, h=3)`; the
`part` column is `name:model` with `d` marking a damped trend), or `error <ExceptionName>`
where statsforecast raises.
"""

import csv
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy
import statsforecast
import statsmodels
from statsforecast.ets import ets_f, forecast_ets
from statsforecast.models import AutoETS

HERE = Path(__file__).resolve().parent
H = 12
SEASON_LENGTHS = [12, 1]

PI_15 = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]
SEASONAL_30 = [5, 9, 14, 7, 4, 3, 6, 10, 15, 8, 5, 3, 6, 11, 17, 9, 5, 4,
               7, 12, 18, 9, 6, 4, 8, 13, 19, 10, 6, 5]
# Short and awkward series for tests/ets_awkward.rs: (name, season_length, values), fitted as
# ZZZ; then fixed models: (name, season_length, values, model, damped).
AWKWARD = [
    ("constant_3", 1, [60, 60, 60]),
    ("constant_12", 12, [60] * 12),
    ("constant_51", 12, [60] * 51),
    ("zeros_12", 12, [0] * 12),
    ("zeros_51", 12, [0] * 51),
    ("single", 1, [5]),
    ("two", 1, [1, 2]),
    ("six", 1, [3, 1, 4, 1, 5, 9]),
    ("seven", 1, [3, 1, 4, 1, 5, 9, 2]),
    ("linear_8", 1, [1, 2, 3, 4, 5, 6, 7, 8]),
    ("pi_15", 12, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]),
    ("pi_15_m4", 4, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]),
    ("positive_seasonal_30", 6, SEASONAL_30),
    ("spike", 1, [0, 0, 0, 0, 0, 3, 0, 0, 0, 0]),
    ("falling_to_zero", 1, [9, 8, 6, 5, 3, 2, 1, 0, 0, 0, 0, 0]),
    ("falling", 1, [30, 27, 25, 22, 20, 17, 15, 13, 10, 8, 6, 5]),
]
FIXED = [
    ("pi_15", 1, PI_15, "ANN", None),
    ("pi_15", 1, PI_15, "AAN", False),
    ("pi_15", 1, PI_15, "AAN", True),
    ("pi_15", 1, PI_15, "MNN", None),
    ("pi_15", 1, PI_15, "MAN", True),
    ("seasonal_30", 6, SEASONAL_30, "ANA", None),
    ("seasonal_30", 6, SEASONAL_30, "MAM", False),
    ("seasonal_30", 6, SEASONAL_30, "MNM", None),
    ("seasonal_30", 6, SEASONAL_30, "MMN", False),
]

COLUMNS = ["part", "season_length", "model", "aicc", "sigma2", "alpha", "beta", "gamma",
           "phi", "initial_states", "mean"]


def row(name, m, fit, mean):
    par = fit["par"]
    nums = lambda a: " ".join(repr(float(v)) for v in a)
    return "\t".join(
        [name, str(m), fit["components"], repr(float(fit["aicc"])), repr(float(fit["sigma2"]))]
        + [repr(float(v)) for v in par[:4]]
        + [nums(par[4:]), nums(mean)]
    )


def header_lines(extra):
    return [
        f"# statsforecast {statsforecast.__version__} numpy {np.__version__} "
        f"scipy {scipy.__version__} statsmodels {statsmodels.__version__} "
        f"python {platform.python_version()}",
        extra,
        "\t".join(COLUMNS),
    ]


def main() -> None:
    warnings.simplefilter("ignore")
    with open(HERE / "carparts.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    complete = [r for r in body if all(c != "" for c in r[1:])]
    out = header_lines(
        f"# source carparts.csv: {len(complete)} complete series of {len(body)}, "
        f"{len(header) - 1} months each; AutoETS(model='ZZZ', season_length=m) via ets_f, "
        f"h={H}, m in {SEASON_LENGTHS}"
    )
    for m in SEASON_LENGTHS:
        start = time.perf_counter()
        for r in complete:
            y = np.array([float(c) for c in r[1:]], dtype=np.float64)
            fit = ets_f(y, m=m, model="ZZZ")
            mean = forecast_ets(fit, h=H)["mean"]
            out.append(row(r[0], m, fit, mean))
        took = time.perf_counter() - start
        print(f"m={m}: {len(complete)} series in {took:.1f} s", file=sys.stderr)
    (HERE / "reference_ets.tsv").write_text("\n".join(out) + "\n")

    out = header_lines("# awkward series: AutoETS(season_length=m).forecast(y, h=3)")
    cases = [(name, m, values, "ZZZ", None) for name, m, values in AWKWARD] + FIXED
    for name, m, values, model, damped in cases:
        y = np.array(values, dtype=np.float64)
        label = name if model == "ZZZ" else f"{name}:{model[0]}{model[1]}{'d' if damped else ''}{model[2]}"
        try:
            mean = AutoETS(season_length=m, model=model, damped=damped).forecast(y=y, h=3)["mean"]
            fit = ets_f(y, m=m, model=model, damped=damped)
            out.append(row(label, m, fit, mean))
        except Exception as ex:  # statsforecast refuses or crashes: record which
            out.append("\t".join([label, str(m), f"error {type(ex).__name__}"]))
    (HERE / "reference_ets_awkward.tsv").write_text("\n".join(out) + "\n")
    print(f"wrote {len(complete)} series x {len(SEASON_LENGTHS)} and {len(cases)} awkward",
          file=sys.stderr)


if __name__ == "__main__":
    main()
