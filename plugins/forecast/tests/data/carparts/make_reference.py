"""Reference point forecasts from statsforecast 2.1.1 for `tests/methods_parity.rs`.

Run in a throw-away virtualenv outside the repository:

    python3 -m venv /tmp/sfvenv && /tmp/sfvenv/bin/pip install statsforecast==2.1.1
    /tmp/sfvenv/bin/python plugins/forecast/tests/data/carparts/make_reference.py

Reads `carparts.csv` next to this file (see PROVENANCE.md), keeps every complete series (no NA;
2,509 of 2,674), fits each model with its `forecast(y, h)` method on the series as float64 and
writes `reference.tsv` next to this file: comment lines with the versions and the model
settings, then one row per part with one column per method. A cell holds the point forecasts
for h = 1 .. H separated by spaces (H = 12 for seasonal_naive, whose forecast cycles, 1 for the
others, whose forecasts are flat), each as Python's shortest round-trip `repr`.
"""

import csv
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
import statsforecast
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

HERE = Path(__file__).resolve().parent

# (column, model, horizon). The Rust test uses the same settings.
MODELS = [
    ("naive", Naive(), 1),
    ("seasonal_naive_12", SeasonalNaive(season_length=12), 12),
    ("window_average_6", WindowAverage(window_size=6), 1),
    ("ses_0.1", SimpleExponentialSmoothing(alpha=0.1), 1),
    ("ses_0.3", SimpleExponentialSmoothing(alpha=0.3), 1),
    ("croston", CrostonClassic(), 1),
    ("sba", CrostonSBA(), 1),
    ("tsb_0.2_0.1", TSB(alpha_d=0.2, alpha_p=0.1), 1),
    ("adida", ADIDA(), 1),
    ("imapa", IMAPA(), 1),
]


def main() -> None:
    with open(HERE / "carparts.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    complete = [r for r in body if all(c != "" for c in r[1:])]
    out = [
        f"# statsforecast {statsforecast.__version__} numpy {np.__version__} "
        f"scipy {scipy.__version__} python {platform.python_version()}",
        f"# source carparts.csv: {len(complete)} complete series of {len(body)}, "
        f"{len(header) - 1} months each",
        "# models: " + ", ".join(f"{name}={model!r} h={h}" for name, model, h in MODELS),
        "\t".join(["part"] + [name for name, _, _ in MODELS]),
    ]
    for r in complete:
        y = np.array([float(c) for c in r[1:]], dtype=np.float64)
        cells = [r[0]]
        for _, model, h in MODELS:
            mean = np.asarray(model.forecast(y=y, h=h)["mean"], dtype=np.float64)
            cells.append(" ".join(repr(float(v)) for v in mean))
        out.append("\t".join(cells))
    (HERE / "reference.tsv").write_text("\n".join(out) + "\n")
    print(f"wrote {len(complete)} series x {len(MODELS)} models", file=sys.stderr)


if __name__ == "__main__":
    main()
