"""Writes data/sales.csv: the carparts panel in long format, one row per part and month.

The source, plugins/forecast/tests/data/carparts/carparts.csv (R package expsmooth, GPL-3; see
its PROVENANCE.md), is wide: a `Part` column, then 51 monthly columns `Jan-98` ... `Mar-02`
holding units sold, an empty cell meaning NA (not recorded). This script writes

    part,month,units

with `month` the first day of the month (YYYY-MM-01) and `units` copied as written, or `NA` for
an empty cell. Every part and every month is kept (2,674 x 51 = 136,374 rows), in the source's
part order and then month order, so the file reads with `records = "sales"` and
`missing_values = ["NA"]`: an NA month is demand recorded as unknown, not zero.

Run from this folder with the standard library only: python3 make_long.py
"""

import csv
import datetime as dt
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "plugins", "forecast", "tests", "data", "carparts", "carparts.csv")
TARGET = os.path.join(HERE, "data", "sales.csv")
PARTS, MONTHS = 2674, 51
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def first_day(header):
    """`Jan-98` -> 1998-01-01; two-digit years 50-99 are 19xx, 00-49 are 20xx."""
    month = MONTH_NAMES.index(header[:3]) + 1  # not strptime: %b follows the locale
    year = int(header[4:])
    year += 1900 if year >= 50 else 2000
    return dt.date(year, month, 1)


def main():
    with open(SOURCE, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    assert header[0] == "Part", header[0]
    months = [first_day(h) for h in header[1:]]
    assert len(months) == MONTHS, len(months)
    assert all(b > a for a, b in zip(months, months[1:])), "months out of order"
    assert len(data) == PARTS, len(data)

    written = missing = 0
    os.makedirs(os.path.dirname(TARGET), exist_ok=True)
    with open(TARGET, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["part", "month", "units"])
        for row in data:
            assert len(row) == MONTHS + 1, row[0]
            part = row[0]
            for month, cell in zip(months, row[1:]):
                if cell == "":
                    cell = "NA"
                    missing += 1
                else:
                    assert int(cell) >= 0, (part, month, cell)
                out.writerow([part, month.isoformat(), cell])
                written += 1
    assert written == PARTS * MONTHS, written
    print(f"wrote {written} rows ({missing} NA) to {os.path.relpath(TARGET, HERE)}")


if __name__ == "__main__":
    main()
