"""Expected values for plugins/policy/tests/textbook_parity.rs, computed with stockpyl 1.0.2.

Run in a throw-away virtualenv outside the repository:

    python3 -m venv /tmp/spvenv && /tmp/spvenv/bin/pip install stockpyl==1.0.2
    /tmp/spvenv/bin/python plugins/policy/tests/data/stockpyl/make_reference.py

Writes reference.json beside this script: one case per call, with the function, its
arguments (named as in the Rust API) and stockpyl's outputs.
"""

import json
import os
import platform
from importlib.metadata import version

import numpy
import scipy
from scipy.stats import poisson

from stockpyl import eoq, newsvendor, rq, ss, wagner_whitin
from stockpyl.instances import load_instance

cases = []


def add(function, args, expected, source):
    cases.append({"function": function, "args": args, "expected": expected, "source": source})


def num(x):
    return float(x)


# --- EOQ family (Snyder & Shen ch. 3) ---------------------------------------------------------
for K, h, lam, src in [(8, 0.225, 1300, "Example 3.1"), (150, 2.5, 12000, "extra"),
                       (0.0, 1.0, 50, "K = 0"), (36, 0.4, 2.5, "extra")]:
    q, c = eoq.economic_order_quantity(K, h, lam)
    add("economic_order_quantity", {"fixed_cost": K, "holding_cost": h, "demand_rate": lam},
        {"order_quantity": num(q), "cost": num(c)}, src)
for K, h, lam, q in [(8, 0.225, 1300, 250.0), (8, 0.225, 1300, 304.0467800264368), (150, 2.5, 12000, 1000)]:
    _, c = eoq.economic_order_quantity(K, h, lam, order_quantity=q)
    add("economic_order_quantity_cost",
        {"fixed_cost": K, "holding_cost": h, "demand_rate": lam, "order_quantity": q},
        {"cost": num(c)}, "cost of a given Q")
for K, h, p, lam, src in [(8, 0.225, 5, 1300, "Example 3.8"), (150, 2.5, 10, 12000, "extra")]:
    q, x, c = eoq.economic_order_quantity_with_backorders(K, h, p, lam)
    add("economic_order_quantity_with_backorders",
        {"fixed_cost": K, "holding_cost": h, "stockout_cost": p, "demand_rate": lam},
        {"order_quantity": num(q), "stockout_fraction": num(x), "cost": num(c)}, src)
for K, h, p, lam, q, x in [(8, 0.225, 5, 1300, 300.0, 0.05), (150, 2.5, 10, 12000, 1200.0, 0.3)]:
    _, _, c = eoq.economic_order_quantity_with_backorders(K, h, p, lam, order_quantity=q, stockout_fraction=x)
    add("economic_order_quantity_with_backorders_cost",
        {"fixed_cost": K, "holding_cost": h, "stockout_cost": p, "demand_rate": lam,
         "order_quantity": q, "stockout_fraction": x},
        {"cost": num(c)}, "cost of a given (Q, x)")
for K, h, lam, mu, src in [(8, 0.225, 1300, 1700, "docstring"), (150, 2.5, 12000, 30000, "extra")]:
    q, c = eoq.economic_production_quantity(K, h, lam, mu)
    add("economic_production_quantity",
        {"fixed_cost": K, "holding_cost": h, "demand_rate": lam, "production_rate": mu},
        {"order_quantity": num(q), "cost": num(c)}, src)
for K, h, lam, mu, q in [(8, 0.225, 1300, 1700, 600.0)]:
    _, c = eoq.economic_production_quantity(K, h, lam, mu, order_quantity=q)
    add("economic_production_quantity_cost",
        {"fixed_cost": K, "holding_cost": h, "demand_rate": lam, "production_rate": mu,
         "order_quantity": q},
        {"cost": num(c)}, "cost of a given Q")

for K, i, lam, b, c, src in [(200, 0.2, 1000, [0, 200, 500], [500, 475, 450], "docstring"),
                             (8, 0.3, 1300, [0, 400, 800], [1.0, 0.98, 0.96], "extra: EOQ region wins"),
                             (100, 0.25, 5000, [0, 1000], [10.0, 9.9], "extra")]:
    q, j, cost = eoq.economic_order_quantity_with_all_units_discounts(K, i, lam, b, c)
    add("economic_order_quantity_with_all_units_discounts",
        {"fixed_cost": K, "holding_cost_rate": i, "demand_rate": lam, "breakpoints": b, "unit_costs": c},
        {"order_quantity": num(q), "region": int(j), "cost": num(cost)}, src)
for K, i, lam, b, c, src in [(150, 0.25, 2400, [0, 300, 600], [100, 90, 80], "docstring"),
                             (8, 0.3, 1300, [0, 400, 800], [1.0, 0.98, 0.96], "extra"),
                             (100, 0.25, 5000, [0, 1000], [10.0, 9.9], "extra")]:
    q, j, cost = eoq.economic_order_quantity_with_incremental_discounts(K, i, lam, b, c)
    add("economic_order_quantity_with_incremental_discounts",
        {"fixed_cost": K, "holding_cost_rate": i, "demand_rate": lam, "breakpoints": b, "unit_costs": c},
        {"order_quantity": num(q), "region": int(j), "cost": num(cost)}, src)

# --- Newsvendor / base stock (Snyder & Shen §4.3) ----------------------------------------------
for h, p, m, sd, L, src in [(0.18, 0.70, 50, 8, 0, "Example 4.3"), (0.18, 0.70, 50, 8, 3, "lead time 3"),
                            (1, 19, 100, 30, 0, "extra"), (2, 1, 20, 5, 1.5, "fractional lead time")]:
    S, c = newsvendor.newsvendor_normal(h, p, m, sd, lead_time=L)
    add("newsvendor_normal",
        {"holding_cost": h, "stockout_cost": p, "demand_mean": m, "demand_sd": sd, "lead_time": L},
        {"base_stock_level": num(S), "cost": num(c)}, src)
for S, h, p, m, sd, L in [(60, 0.18, 0.70, 50, 8, 0), (40, 0.18, 0.70, 50, 8, 0), (220, 0.18, 0.70, 50, 8, 3)]:
    c = newsvendor.newsvendor_normal_cost(S, h, p, m, sd, lead_time=L)
    add("newsvendor_normal_cost",
        {"base_stock_level": S, "holding_cost": h, "stockout_cost": p, "demand_mean": m,
         "demand_sd": sd, "lead_time": L},
        {"cost": num(c)}, "docstring" if S == 60 else "extra")
for h, p, m, src in [(0.18, 0.70, 50, "docstring"), (1, 4, 6, "Example 4.7 data"), (1, 9, 75, "extra"),
                     (0.5, 0.5, 0.3, "small mean")]:
    S, c = newsvendor.newsvendor_poisson(h, p, m)
    add("newsvendor_poisson", {"holding_cost": h, "stockout_cost": p, "demand_mean": m},
        {"base_stock_level": int(S), "cost": num(c)}, src)
for S, h, p, m in [(56, 0.18, 0.70, 50), (0, 1, 4, 6), (-3, 1, 4, 6), (12, 1, 4, 6)]:
    c = newsvendor.newsvendor_poisson_cost(S, h, p, m)
    add("newsvendor_poisson_cost",
        {"base_stock_level": S, "holding_cost": h, "stockout_cost": p, "demand_mean": m},
        {"cost": num(c)}, "docstring" if S == 56 else "extra")
# Base stock with Poisson demand and lead time L: stockpyl's newsvendor_poisson on λ(L + 1).
for h, p, m, L in [(1, 4, 6, 2), (0.18, 0.70, 10, 4)]:
    S, c = newsvendor.newsvendor_poisson(h, p, m * (L + 1))
    add("base_stock_poisson", {"holding_cost": h, "stockout_cost": p, "demand_mean": m, "lead_time": L},
        {"base_stock_level": int(S), "cost": num(c)}, "newsvendor_poisson(h, p, mean*(L+1))")
poisson6 = [float(poisson.pmf(d, 6)) for d in range(0, 41)]
custom = [0.1, 0.2, 0.0, 0.3, 0.25, 0.15]
for h, p, pmf, src in [(1, 4, poisson6, "docstring: Poisson(6) pmf on 0..40"), (1, 4, custom, "extra"),
                       (2, 1, custom, "extra"), (1, 0, custom, "p = 0 quirk")]:
    S, c = newsvendor.newsvendor_discrete(h, p, demand_pmf=dict(enumerate(pmf)))
    add("newsvendor_discrete", {"holding_cost": h, "stockout_cost": p, "pmf": pmf},
        {"base_stock_level": int(S), "cost": num(c)}, src)
for S, h, p, pmf in [(5, 1, 4, poisson6), (2, 1, 4, custom), (-1, 1, 4, custom), (9, 1, 4, custom)]:
    _, c = newsvendor.newsvendor_discrete(h, p, demand_pmf=dict(enumerate(pmf)), base_stock_level=S)
    add("newsvendor_discrete_cost", {"base_stock_level": S, "holding_cost": h, "stockout_cost": p, "pmf": pmf},
        {"cost": num(c)}, "extra")

# --- (s, S) (Snyder & Shen §4.6; Zheng & Federgruen 1991) ----------------------------------------
ex47 = load_instance("example_4_7")
p431 = load_instance("problem_4_31")
named = [("Example 4.7", ex47), ("Problem 4.31", p431)]
for src, inst in named:
    args = {"holding_cost": inst["holding_cost"], "stockout_cost": inst["stockout_cost"],
            "fixed_cost": inst["fixed_cost"], "demand_mean": inst["demand_mean"]}
    s, S, g = ss.s_s_discrete_exact(args["holding_cost"], args["stockout_cost"], args["fixed_cost"], True,
                                    args["demand_mean"])
    add("s_s_discrete_exact_poisson", args,
        {"reorder_point": int(s), "order_up_to_level": int(S), "cost": num(g)}, src)
for src, inst, pairs in [("Example 4.7", ex47, [(4, 10), (6, 18), (0, 1), (-2, 5)]),
                         ("Problem 4.31", p431, [(4, 10), (2, 7)])]:
    for s, S in pairs:
        args = {"reorder_point": s, "order_up_to_level": S, "holding_cost": inst["holding_cost"],
                "stockout_cost": inst["stockout_cost"], "fixed_cost": inst["fixed_cost"],
                "demand_mean": inst["demand_mean"]}
        g = ss.s_s_cost_discrete(s, S, inst["holding_cost"], inst["stockout_cost"], inst["fixed_cost"], True,
                                 inst["demand_mean"])
        add("s_s_cost_poisson", args, {"cost": num(g)}, src)
for h, p, K, m, sd, src in [(0.18, 0.70, 2.5, 50, 8, "docstring"),
                           (load_instance("example_4_8")["holding_cost"], load_instance("example_4_8")["stockout_cost"],
                            load_instance("example_4_8")["fixed_cost"], load_instance("example_4_8")["demand_mean"],
                            load_instance("example_4_8")["demand_sd"], "Example 4.8"),
                           (load_instance("problem_4_32")["holding_cost"], load_instance("problem_4_32")["stockout_cost"],
                            load_instance("problem_4_32")["fixed_cost"], load_instance("problem_4_32")["demand_mean"],
                            load_instance("problem_4_32")["demand_sd"], "Problem 4.32")]:
    s, S = ss.s_s_power_approximation(h, p, K, m, sd)
    add("s_s_power_approximation",
        {"holding_cost": h, "stockout_cost": p, "fixed_cost": K, "demand_mean": m, "demand_sd": sd},
        {"reorder_point": num(s), "order_up_to_level": num(S)}, src)
# Explicit pmfs (use_poisson=False). stockpyl leaves the pmf's last entry out of G inside g(s, S).
spread = [0.05, 0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.05] + [0.0] * 13
for h, p, K, pmf, src in [(1, 4, 5, poisson6, "Example 4.7 with the Poisson(6) pmf on 0..40"),
                          (1, 4, 1, custom, "extra"), (1, 4, 2, custom, "extra"), (1, 4, 5, custom, "extra"),
                          (1, 4, 1, spread, "extra"), (1, 4, 5, spread, "extra"), (1, 4, 20, spread, "extra")]:
    args = {"holding_cost": h, "stockout_cost": p, "fixed_cost": K, "pmf": pmf}
    s, S, g = ss.s_s_discrete_exact(h, p, K, False, None, len(pmf) - 1, pmf)
    add("s_s_discrete_exact_pmf", args, {"reorder_point": int(s), "order_up_to_level": int(S), "cost": num(g)}, src)
    for s2, S2 in [(int(s), int(S)), (int(s) - 1, int(S)), (int(s), int(S) + 1)]:
        if S2 - s2 <= len(pmf):
            g2 = ss.s_s_cost_discrete(s2, S2, h, p, K, False, None, len(pmf) - 1, pmf)
            add("s_s_cost_pmf", dict(args, reorder_point=s2, order_up_to_level=S2), {"cost": num(g2)}, src)
# The 24 Zheng-Federgruen (1991) instances, as listed in stockpyl's tests/test_ss.py:
# h = 1, p = 9, K = 64, mu in 10, 15, ..., 75 and 21-24, 51, 52, 59, 61, 63, 64.
zf_mu = list(range(10, 80, 5)) + [21, 22, 23, 24, 51, 52, 59, 61, 63, 64]
for mu in zf_mu:
    args = {"holding_cost": 1, "stockout_cost": 9, "fixed_cost": 64, "demand_mean": mu}
    s, S, g = ss.s_s_discrete_exact(1, 9, 64, True, mu)
    add("s_s_discrete_exact_poisson", args,
        {"reorder_point": int(s), "order_up_to_level": int(S), "cost": num(g)}, "Zheng-Federgruen 1991")
    for ds, dS in [(0, 0), (-1, 0), (1, 0), (0, 1), (0, -1)]:
        cargs = {"reorder_point": int(s) + ds, "order_up_to_level": int(S) + dS, "holding_cost": 1,
                 "stockout_cost": 9, "fixed_cost": 64, "demand_mean": mu}
        g2 = ss.s_s_cost_discrete(cargs["reorder_point"], cargs["order_up_to_level"], 1, 9, 64, True, mu)
        add("s_s_cost_poisson", cargs, {"cost": num(g2)}, "Zheng-Federgruen 1991, around the optimum")

# --- (r, Q) (Snyder & Shen ch. 5) ----------------------------------------------------------------
def rq_args(h, p, K, lam, sd, L):
    return {"holding_cost": h, "stockout_cost": p, "fixed_cost": K, "demand_mean": lam, "demand_sd": sd,
            "lead_time": L}


rq_instances = [(0.225, 7.5, 8, 1300, 150, 1 / 12, "Examples 5.1-5.6"), (1, 19, 100, 500, 40, 0.5, "extra"),
                (2, 10, 50, 200, 30, 2, "extra")]
for r, Q, (h, p, K, lam, sd, L, src) in [(126.8, 328.5, rq_instances[0]), (190.0, 304.0, rq_instances[0]),
                                         (260.0, 230.0, rq_instances[1]), (400.0, 120.0, rq_instances[2])]:
    args = dict(rq_args(h, p, K, lam, sd, L), reorder_point=r, order_quantity=Q)
    add("r_q_cost", args, {"cost": num(rq.r_q_cost(r, Q, h, p, K, lam, sd, L))}, src)
for Q, (h, p, K, lam, sd, L, src) in [(300, rq_instances[0]), (230, rq_instances[1]), (120, rq_instances[2])]:
    args = dict(rq_args(h, p, K, lam, sd, L), order_quantity=Q)
    del args["fixed_cost"]
    add("r_q_optimal_r_for_q", args, {"reorder_point": num(rq.r_q_optimal_r_for_q(Q, h, p, lam, sd, L))}, src)
for h, p, K, lam, sd, L, src in rq_instances:
    args = rq_args(h, p, K, lam, sd, L)
    r, Q, c = rq.r_q_eil_approximation(h, p, K, lam, sd, L)
    add("r_q_eil_approximation", args, {"reorder_point": num(r), "order_quantity": num(Q), "cost": num(c)}, src)
    r, Q = rq.r_q_eoqb_approximation(h, p, K, lam, sd, L)
    add("r_q_eoqb_approximation", args, {"reorder_point": num(r), "order_quantity": num(Q)}, src)
    r, Q = rq.r_q_eoqss_approximation(h, p, K, lam, sd, L)
    add("r_q_eoqss_approximation", args, {"reorder_point": num(r), "order_quantity": num(Q)}, src)
    r, Q = rq.r_q_loss_function_approximation(h, p, K, lam, sd, L)
    add("r_q_loss_function_approximation", args, {"reorder_point": num(r), "order_quantity": num(Q)}, src)
for h, p, K, lam, L, src in [(20, 150, 100, 1.5, 2, "Example 5.8"), (1, 9, 64, 10, 1, "extra"),
                             (0.5, 10, 20, 4, 3, "extra")]:
    args = {"holding_cost": h, "stockout_cost": p, "fixed_cost": K, "demand_mean": lam, "lead_time": L}
    r, Q, g = rq.r_q_poisson_exact(h, p, K, lam, L)
    add("r_q_poisson_exact", args, {"reorder_point": int(r), "order_quantity": int(Q), "cost": num(g)}, src)
    for r2, Q2 in [(int(r), int(Q)), (int(r) - 1, int(Q) + 2), (-2, 1)]:
        add("r_q_cost_poisson", dict(args, reorder_point=r2, order_quantity=Q2),
            {"cost": num(rq.r_q_cost_poisson(r2, Q2, h, p, K, lam, L))}, src)

# --- Wagner-Whitin (Snyder & Shen ch. 3) --------------------------------------------------------
for h, K, d, c, src in [(2, 500, [90, 120, 80, 70], 0, "Example 3.9"),
                        (1, 100, [20, 50, 10, 50, 50, 10, 20, 40, 20, 30], 0, "extra"),
                        ([1, 2, 1, 2, 1, 2], [80, 120, 60, 90, 100, 70], [30, 0, 0, 45, 10, 25],
                         [5, 4, 6, 5, 4, 6], "extra: time-varying costs, zero demand"),
                        (0.5, 40, [0, 0, 15, 0, 25], 2, "extra: leading zeros")]:
    T = len(d)
    def per_period(x):
        return [float(v) for v in (x if isinstance(x, list) else [x] * T)]
    Q, cost, theta, nxt = wagner_whitin.wagner_whitin(T, h, K, d, c)
    add("wagner_whitin",
        {"holding_cost": per_period(h), "fixed_cost": per_period(K), "demand": per_period(d),
         "purchase_cost": per_period(c)},
        {"order_quantities": [float(q) for q in Q[1:]], "cost": num(cost), "cost_to_go": [float(v) for v in theta[1:]],
         "next_order_period": [int(v) for v in nxt[1:]]}, src)

out = {
    "generator": "plugins/policy/tests/data/stockpyl/make_reference.py",
    "versions": {"stockpyl": version("stockpyl"), "scipy": scipy.__version__, "numpy": numpy.__version__,
                 "python": platform.python_version()},
    "cases": cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {path}")
