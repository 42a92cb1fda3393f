"""Writes out/sales.csv: the M5 subset (Walmart, store TX_3, department FOODS_3) in long format.

The source, ../shared/data/m5_walmart_tx3_foods3/ beside the repository (see its PROVENANCE.md:
no open licence, so the data stay out of the repository and this script reads them where they
are), is wide and split in three files by day:

    sales_train_validation_afcs2025.csv   id, d_1    ... d_1913
    sales_test_validation_afcs2025.csv    id, d_1914 ... d_1941
    sales_test_evaluation_afcs_2025.csv   id, d_1942 ... d_1969

holding units sold per item (823 rows) and day, and a calendar whose data row k is day d_k with
its date written M/D/YYYY (1/29/2011 = d_1). This script joins the three files by id and writes

    item_id,date,units

one row per item and day **with a sale** (units > 0), dates as YYYY-MM-DD, items in the source's
order and then by date, **from the calendar's first Monday** (d_3, 2011-01-31). Restock's weeks
start on Monday (ISO) and the data on a Saturday: the two days before (d_1, d_2) would make a
first "week" of two days, read as a week's demand by every item that sold on them (269 do), so
they are left out and counted in the message. A day without a row is a day without demand: that is how Restock reads
a sales file (periods without sales are 0), so nothing is lost, and the file has the shape of a
sales ledger at a third of the size of the full panel (62 % of the item-days are zero).
`item_id` is the source's `id` without its `_validation` suffix, which the source puts on every
row, even in the evaluation file (FOODS_3_001_TX_3_validation -> FOODS_3_001_TX_3).

    python3 examples/m5/prepare.py [SOURCE_DIR] [TARGET_CSV]

Standard library only. Defaults: SOURCE_DIR = ../shared/data/m5_walmart_tx3_foods3 from the
repository root, TARGET_CSV = out/sales.csv next to this script (ignored by git, `**/out/`).
tests/m5_backtest.rs does the same conversion in Rust; both must stay in step.
"""

import csv
import datetime as dt
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SOURCE = os.path.join(ROOT, "..", "shared", "data", "m5_walmart_tx3_foods3")
TARGET = os.path.join(HERE, "out", "sales.csv")
CALENDAR = "calendar_afcs2025.csv"
SALES = [
    "sales_train_validation_afcs2025.csv",
    "sales_test_validation_afcs2025.csv",
    "sales_test_evaluation_afcs_2025.csv",
]
ITEMS, DAYS = 823, 1969
SUFFIX = "_validation"


def read_calendar(path):
    """ISO date per day (index 0 = d_1; row k of the calendar is day d_k), and the index of the
    first Monday."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    dates = []
    for row in rows:
        month, day, year = (int(x) for x in row["date"].split("/"))
        dates.append(dt.date(year, month, day))
    assert len(dates) == DAYS, len(dates)
    assert all((b - a).days == 1 for a, b in zip(dates, dates[1:])), "calendar days not consecutive"
    assert all(d.strftime("%A") == row["weekday"] for d, row in zip(dates, rows)), "weekday mismatch"
    first_monday = next(k for k, row in enumerate(rows) if row["weekday"] == "Monday")
    return [d.isoformat() for d in dates], first_monday


def read_sales(source):
    """id -> units for d_1 ... d_DAYS, joining the three files by id."""
    units = {}
    order = []
    next_day = 1
    for name in SALES:
        with open(os.path.join(source, name), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, data = rows[0], rows[1:]
        assert header[0] == "id", header[0]
        days = [int(h[2:]) for h in header[1:]]
        assert days == list(range(next_day, next_day + len(days))), f"{name}: days not d_{next_day}..."
        next_day += len(days)
        assert len(data) == ITEMS, (name, len(data))
        for row in data:
            assert len(row) == len(header), row[0]
            if name == SALES[0]:
                order.append(row[0])
                units[row[0]] = []
            values = [int(cell) for cell in row[1:]]
            assert all(v >= 0 for v in values), row[0]
            units[row[0]].extend(values)
    assert next_day == DAYS + 1, next_day
    assert all(len(v) == DAYS for v in units.values()), "an id is missing from a file"
    return order, units


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    target = sys.argv[2] if len(sys.argv) > 2 else TARGET
    dates, first_monday = read_calendar(os.path.join(source, CALENDAR))
    order, units = read_sales(source)
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    written = total = left_out = 0
    with open(target, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["item_id", "date", "units"])
        for source_id in order:
            assert source_id.endswith(SUFFIX), source_id
            item = source_id[: -len(SUFFIX)]
            left_out += sum(units[source_id][:first_monday])
            for date, value in zip(dates[first_monday:], units[source_id][first_monday:]):
                if value > 0:
                    out.writerow([item, date, value])
                    written += 1
                    total += value
    print(
        f"wrote {written} rows ({len(order)} items, {total} units, {dates[first_monday]} .. {dates[-1]}) "
        f"to {target}; left out the {first_monday} days before the first Monday ({left_out} units)"
    )


if __name__ == "__main__":
    main()
