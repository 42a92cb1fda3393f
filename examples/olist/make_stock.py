"""Writes stock_illustrative.csv: ILLUSTRATIVE stock positions per product category.

Olist publishes no stock levels, lead times or costs. To show the reorder-point strategy at work,
this script invents them, deterministically (seed 42), at a plausible scale for each of the 30
categories with the most order items in the sample:

- on_hand: between 0 and 10 weeks of the category's mean weekly units over the 26 complete
  weeks before 2018-09-01 (the pipeline's as_of), rounded to whole units;
- on_order: 0, or 1 to 4 weeks of demand for about a third of the categories;
- lead time: 7, 10, 14, 21 or 30 days, standard deviation 20 % of it;
- unit_cost: 60 % of the category's median item price (BRL); holding_cost_rate 0.25 a year;
- ordering_cost: 40 BRL for half the categories (those get EOQ order quantities), empty for
  the rest (those order the strategy's review period of demand);
- moq and case_pack: empty, or small numbers; service_level: empty (the strategy's default) or
  0.98 for a few.

Run from this folder with the standard library only: python3 make_stock.py
"""

import csv
import datetime as dt
import random
import statistics
from collections import defaultdict

AS_OF = dt.date(2018, 9, 1)
WEEKS = 26

orders = {r["order_id"]: r for r in csv.DictReader(open("data/olist_orders_dataset.csv", encoding="utf-8"))}
english = {
    r["product_category_name"]: r["product_category_name_english"]
    for r in csv.DictReader(open("data/product_category_name_translation.csv", encoding="utf-8"))
}
category = {}
for r in csv.DictReader(open("data/olist_products_dataset.csv", encoding="utf-8")):
    if r["product_category_name"] in english:
        category[r["product_id"]] = english[r["product_category_name"]]

# Monday of the week holding as_of; the 26 complete weeks end the day before it.
window_end = AS_OF - dt.timedelta(days=AS_OF.weekday())
window_start = window_end - dt.timedelta(weeks=WEEKS)
units = defaultdict(float)
items = defaultdict(int)
prices = defaultdict(list)
for r in csv.DictReader(open("data/olist_order_items_dataset.csv", encoding="utf-8")):
    c = category.get(r["product_id"])
    if c is None:
        continue
    items[c] += 1
    prices[c].append(float(r["price"]))
    day = dt.date.fromisoformat(orders[r["order_id"]]["order_purchase_timestamp"][:10])
    if window_start <= day < window_end:
        units[c] += 1

rng = random.Random(42)
top = sorted(items, key=lambda c: (-items[c], c))[:30]
with open("stock_illustrative.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["category", "on_hand", "on_order", "backorders", "lead_time_days", "lead_time_std_days",
                "unit_cost", "holding_cost_rate", "ordering_cost", "moq", "case_pack", "service_level"])
    for c in sorted(top):
        weekly = units[c] / WEEKS
        lead = rng.choice([7, 10, 14, 21, 30])
        on_order = round(weekly * rng.uniform(1, 4)) if rng.random() < 0.33 else 0
        w.writerow([
            c,
            round(weekly * rng.uniform(0, 10)),
            on_order,
            0,
            lead,
            round(lead * 0.2, 1),
            round(statistics.median(prices[c]) * 0.6, 2),
            0.25,
            40 if rng.random() < 0.5 else "",
            rng.choice(["", "", 5, 10]),
            rng.choice(["", 1, 6, 12]),
            0.98 if rng.random() < 0.2 else "",
        ])
