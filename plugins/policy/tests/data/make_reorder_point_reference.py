"""Writes reorder_point_reference.json: textbook reorder-point cases computed independently of
the Rust code, with Python's standard library only (statistics.NormalDist), for the tests.

    python3 make_reorder_point_reference.py

Each case: demand per period (mean, std dev, period days), lead time (mean, std dev, days),
target cycle service level, costs, stock position; expected safety stock, reorder point (rounded
up to whole units), order quantity (lot Q in whole units, at least the MOQ, in whole case packs;
n·Q with IP + n·Q > ROP), cycle service level and fill rate (P2 = 1 − (n(ROP) − n(ROP + Q))/Q
with the normal loss function n), per the formulas in docs/formulas.md (Silver, Pyke & Thomas,
4th ed., ch. 6; Harris's EOQ).
"""

import json
import math
import sys
from statistics import NormalDist

N = NormalDist()

cases = [
    # name, mean/period, sd/period, period days, L, sd L, CSL, K, c, r, on_hand, on_order, backorders, moq, pack, review days, trend factor
    ("weekly, EOQ", 70.0, 14.0, 7, 14.0, 2.0, 0.95, 50.0, 20.0, 0.25, 100.0, 0.0, 0.0, None, None, 7.0, 1.0),
    ("weekly, review-period cover, case pack", 35.0, 10.0, 7, 10.0, 0.0, 0.90, None, None, None, 20.0, 10.0, 5.0, None, 12.0, 14.0, 1.0),
    ("monthly, MOQ", 300.0, 90.0, 365.25 / 12, 21.0, 4.0, 0.98, None, None, None, 50.0, 0.0, 0.0, 500.0, None, 7.0, 1.0),
    ("daily, above ROP", 4.0, 2.0, 1, 5.0, 1.0, 0.95, None, None, None, 80.0, 0.0, 0.0, None, None, 7.0, 1.0),
    ("weekly, increasing trend", 14.0, 5.0, 7, 7.0, 1.5, 0.95, 30.0, 12.0, 0.2, 3.0, 0.0, 0.0, None, 6.0, 7.0, 1.1),
]

def loss(x, mean, sd):
    """E[(D - x)+] for D ~ N(mean, sd^2)."""
    z = (x - mean) / sd
    return sd * (N.pdf(z) - z * (1 - N.cdf(z)))


out = []
for (name, m, s, pd, L, sL, csl, K, c, r, oh, oo, bo, moq, pack, review, factor) in cases:
    d = m / pd * factor
    sd = s / math.sqrt(pd)
    sigma = math.sqrt(L * sd * sd + d * d * sL * sL)
    z = N.inv_cdf(csl)
    ss = z * sigma
    rop = math.ceil(d * L + ss - 1e-9)
    if K and c and r:
        lot = math.sqrt(2 * 365 * d * K / (r * c))
    else:
        lot = d * review
    lot = max(math.ceil(lot - 1e-9), 1)
    if moq and moq > lot:
        lot = moq
    if pack:
        lot = math.ceil(lot / pack - 1e-9) * pack
    ip = oh + oo - bo
    q = 0.0
    if ip <= rop:
        q = (math.floor((rop - ip) / lot) + 1) * lot
    out.append({
        "name": name,
        "demand_mean": m, "demand_std_dev": s, "period_days": pd,
        "lead_time_days": L, "lead_time_std_days": sL, "service_level": csl,
        "ordering_cost": K, "unit_cost": c, "holding_cost_rate": r,
        "on_hand": oh, "on_order": oo, "backorders": bo, "moq": moq, "case_pack": pack,
        "review_period_days": review, "trend_factor": factor,
        "expected": {
            "demand_per_day": d,
            "safety_stock": ss,
            "reorder_point": rop,
            "order_quantity": q,
            "order_up_to": rop + lot,
            "expected_cycle_service_level": N.cdf((rop - d * L) / sigma),
            "stockout_risk": 1 - N.cdf((ip - d * L) / sigma),
            "expected_fill_rate": 1 - (loss(rop, d * L, sigma) - loss(rop + lot, d * L, sigma)) / lot,
        },
    })

json.dump({"generator": "make_reorder_point_reference.py", "python": sys.version.split()[0], "cases": out},
          open("reorder_point_reference.json", "w"), indent=1)
print(len(out), "cases")
