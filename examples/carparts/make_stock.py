"""Illustrative stock positions for the carparts example (the data set has none).

Run from this folder with plain Python 3 (standard library only):

    python3 make_stock.py

Writes `stock_illustrative.csv`: one row per part in `data/sales.csv`, with nothing on hand or
on order (the backtest starts every part empty and lets the strategy build stock up), a lead
time of one month (30 days), and costs that are plausible for car parts but INVENTED: a unit
cost drawn from a fixed-seed log-normal (median 40), holding at 24 % of unit cost a year, 15 per
order, and a stock-out cost of 50 % of unit cost per unit per month backordered. The seed is
fixed, so the file is reproducible.
"""

import csv
import math
import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent


def main():
    parts = []
    seen = set()
    with open(HERE / "data" / "sales.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["part"] not in seen:
                seen.add(row["part"])
                parts.append(row["part"])
    rng = random.Random(20021)
    with open(HERE / "stock_illustrative.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            ["part", "on_hand", "on_order", "lead_time_days", "unit_cost",
             "holding_cost_rate", "ordering_cost", "stockout_cost"]
        )
        for part in parts:
            unit_cost = round(math.exp(rng.gauss(math.log(40.0), 0.8)), 2)
            w.writerow([part, 0, 0, 30, unit_cost, 0.24, 15, round(0.5 * unit_cost, 2)])


if __name__ == "__main__":
    main()
