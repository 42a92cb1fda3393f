"""Closed-form and exact expected values for crates/simulate/tests/closed_form.rs.

Run in a throw-away virtualenv outside the repository:

    python3 -m venv /tmp/spvenv && /tmp/spvenv/bin/pip install stockpyl==1.0.2
    /tmp/spvenv/bin/python crates/simulate/tests/data/make_reference.py

Writes reference.json beside this script: one case per scenario, with its parameters (named as
in the Rust API), the long-run expected values per period and where each comes from. Nothing
here is simulated: every number is a closed form (stockpyl, scipy) or an exact Markov-chain
computation. The simulator's conventions (Snyder & Shen, *Fundamentals of Supply Chain
Theory*, 2nd ed., section 4.3): in each period the order is placed, then the orders due are
received (an order placed in period t with lead time L arrives in period t + L, before that
period's demand), then demand occurs and costs are charged on the ending inventory level; so a
base-stock level protects L + 1 periods of demand.
"""

import json
import os
import platform
from importlib.metadata import version

import numpy as np
from scipy.stats import norm, poisson, t as student_t

from stockpyl import newsvendor, ss

cases = []


def add(name, scenario, expected, source):
    cases.append({"name": name, "scenario": scenario, "expected": expected, "source": source})


def f(x):
    return float(x)


def normal_shortfall(level, mean, sd):
    """E[(X - level)+] for X ~ N(mean, sd^2): sd * L(z), the standard normal loss function."""
    if sd == 0:
        return max(mean - level, 0.0)
    z = (level - mean) / sd
    return sd * (norm.pdf(z) - z * norm.sf(z))


def poisson_shortfall(level, mean):
    """E[(X - level)+] for X ~ Poisson(mean), level an integer >= 0."""
    if mean == 0:
        return 0.0
    k = np.arange(0, int(level) + 1)
    # E[(X - y)+] = E[X] - y + E[(y - X)+]
    return mean - level + float(np.sum((level - k) * poisson.pmf(k, mean)))


# --- 1. Base stock, normal demand, L = 0: the check ---------------------------------------
# Issue 4 gives cost 1.9976, fill rate 0.9816, P(no stock-out) 0.7953 for these parameters.
S, mu, sd, h, p = 56.6, 50.0, 8.0, 0.18, 0.7
cost = newsvendor.newsvendor_normal_cost(S, h, p, mu, sd, lead_time=0)
# With L = 0 every period starts with IL = S after the order arrives, so the units served from
# stock are min(D, S) and the fill rate is 1 - E[(D - S)+] / mu.
fill = 1 - normal_shortfall(S, mu, sd) / mu
csl = norm.cdf(S, mu, sd)
add("base_stock_normal_lead_time_0",
    {"policy": "base_stock", "order_up_to_level": S, "demand": "normal", "demand_mean": mu,
     "demand_std_dev": sd, "holding_cost": h, "stockout_cost": p, "fixed_order_cost": 0.0,
     "lead_time": 0, "shortage": "backorders"},
    {"cost_per_period": f(cost), "fill_rate": f(fill), "cycle_service_level": f(csl),
     "holding_cost_per_period": f(h * (S - mu + normal_shortfall(S, mu, sd))),
     "stockout_cost_per_period": f(p * normal_shortfall(S, mu, sd)),
     "probability_of_negative_demand": f(norm.cdf(0, mu, sd)),
     "issue_cost_per_period": 1.9976, "issue_fill_rate": 0.9816, "issue_cycle_service_level": 0.7953,
     # What the same S would cost if it had to protect L + 2 = 2 periods (an order placed in t
     # before demand arriving only at the start of t + L + 1): not the number.
     "cost_if_protecting_two_periods": f(newsvendor.newsvendor_normal_cost(S, h, p, mu, sd, lead_time=1))},
    "stockpyl.newsvendor.newsvendor_normal_cost; scipy for fill rate and CSL; issue 4 for the issue_* values")

# --- 2. Base stock, normal demand, L = 2 -------------------------------------------------------------
S, mu, sd, h, p, L = 165.0, 50.0, 8.0, 0.18, 0.7, 2
cost = newsvendor.newsvendor_normal_cost(S, h, p, mu, sd, lead_time=L)
# IL after receipts in period t is S minus L periods of demand, IL at the end S minus L + 1; the
# expected shortage of period t's own demand is n_{L+1}(S) - n_L(S).
n_end = normal_shortfall(S, mu * (L + 1), sd * np.sqrt(L + 1))
n_start = normal_shortfall(S, mu * L, sd * np.sqrt(L))
add("base_stock_normal_lead_time_2",
    {"policy": "base_stock", "order_up_to_level": S, "demand": "normal", "demand_mean": mu,
     "demand_std_dev": sd, "holding_cost": h, "stockout_cost": p, "fixed_order_cost": 0.0,
     "lead_time": L, "shortage": "backorders"},
    {"cost_per_period": f(cost), "fill_rate": f(1 - (n_end - n_start) / mu),
     "cycle_service_level": f(norm.cdf(S, mu * (L + 1), sd * np.sqrt(L + 1))),
     "average_backorders": f(n_end)},
    "stockpyl.newsvendor.newsvendor_normal_cost(lead_time=2); scipy for fill rate and CSL")

# --- 3. (s, S), Poisson demand: Zheng & Federgruen's exact cost -------------------------------------
s, S, h, p, K, lam = 4, 10, 1.0, 4.0, 5.0, 6.0
cost = ss.s_s_cost_discrete(s, S, h, p, K, True, lam)
# Expected periods per order cycle M(S - s) (Zheng & Federgruen 1991; stockpyl's m and M).
pmf = poisson.pmf(range(S - s), lam)
m = np.zeros(S - s)
m[0] = 1.0 / (1 - pmf[0])
for j in range(1, S - s):
    m[j] = m[0] * sum(pmf[l] * m[j - l] for l in range(1, j + 1))
cycle = float(np.sum(m))
# Cross-check by a Markov chain on the inventory position after ordering, y in s+1..S: the next
# period orders when y - D <= s and then starts again at S.
ys = list(range(s + 1, S + 1))
at = {y: i for i, y in enumerate(ys)}
P = np.zeros((len(ys), len(ys)))
for y in ys:
    for dd in range(y - s):
        P[at[y], at[y - dd]] += poisson.pmf(dd, lam)
    P[at[y], at[S]] += poisson.sf(y - s - 1, lam)
A = np.vstack([P.T - np.eye(len(ys)), np.ones(len(ys))])
b = np.zeros(len(ys) + 1)
b[-1] = 1
pi = np.linalg.lstsq(A, b, rcond=None)[0]
markov = sum(pi[at[y]] * (newsvendor.newsvendor_poisson_cost(y, h, p, lam) + K * poisson.sf(y - s - 1, lam))
             for y in ys)
add("s_s_poisson",
    {"policy": "s_s", "reorder_point": s, "order_up_to_level": S, "demand": "poisson", "demand_mean": lam,
     "holding_cost": h, "stockout_cost": p, "fixed_order_cost": K, "lead_time": 0, "shortage": "backorders"},
    {"cost_per_period": f(cost), "orders_per_period": 1 / cycle, "ordering_cost_per_period": K / cycle,
     "markov_chain_cost_per_period": f(markov), "issue_cost_per_period": 8.034111561471644},
    "stockpyl.ss.s_s_cost_discrete (Zheng & Federgruen 1991; Snyder & Shen Example 4.7); issue 4 for issue_cost_per_period")

# --- 4. Lost sales, base stock, Poisson demand, L = 1: exact Markov chain ----------------------------
S, lam, h, p, L = 9, 5.0, 1.0, 9.0, 1
# State at the start of a period, before ordering: (x, o) = on hand, order placed last period
# (arriving this period). Order q = S - x - o; receive o; demand D; x' = (x + o - D)+; next (x', q).
dmax = 200
d = np.arange(dmax + 1)
pd = poisson.pmf(d, lam)
pd[-1] += poisson.sf(dmax, lam)
states = [(x, o) for x in range(S + 1) for o in range(S + 1) if x + o <= S]
index = {st: i for i, st in enumerate(states)}
P = np.zeros((len(states), len(states)))
for (x, o), i in index.items():
    q = max(S - x - o, 0)
    y = x + o
    for dd, pr in zip(d, pd):
        P[i, index[(max(y - dd, 0), q)]] += pr
A = np.vstack([P.T - np.eye(len(states)), np.ones(len(states))])
b = np.zeros(len(states) + 1)
b[-1] = 1
pi = np.linalg.lstsq(A, b, rcond=None)[0]
on_hand = lost = served = no_stockout = orders = 0.0
for (x, o), i in index.items():
    y = x + o
    short = poisson_shortfall(y, lam)
    on_hand += pi[i] * (y - lam + short)
    lost += pi[i] * short
    served += pi[i] * (lam - short)
    no_stockout += pi[i] * poisson.cdf(y, lam)
    orders += pi[i] * (S - x - o > 0)
add("lost_sales_poisson_lead_time_1",
    {"policy": "base_stock", "order_up_to_level": S, "demand": "poisson", "demand_mean": lam,
     "holding_cost": h, "stockout_cost": p, "fixed_order_cost": 0.0, "lead_time": L, "shortage": "lost_sales"},
    {"cost_per_period": f(h * on_hand + p * lost), "fill_rate": f(served / lam),
     "cycle_service_level": f(no_stockout), "average_on_hand": f(on_hand), "lost_sales_per_period": f(lost),
     "orders_per_period": f(orders)},
    "exact stationary distribution of the (on hand, pipeline) Markov chain (numpy, scipy)")

# --- 5. Random lead times with order crossing, base stock, Poisson demand ---------------------------
# With i.i.d. lead times and crossing allowed, base stock orders q_u = D_{u-1}, and the order of
# period t - k is still outstanding after period t's receipts with probability P(L > k),
# independently of everything else. So the ending IL is S - X with
# X = D_t + sum_k B_k D_{t-k-1}, B_k ~ Bernoulli(P(L > k)): a whole order is outstanding or not
# (this is not a thinned Poisson: Var X = lam (1 + E[L]) + lam^2 sum_k P(L > k) P(L <= k)).
# Its pmf is the exact convolution of independent terms; the inventory level after receipts,
# before period t's demand, is S - Y with Y = X - D_t.
S, lam, h, p = 14, 4.0, 1.0, 9.0
lead_pmf = [0.2, 0.5, 0.3]
dmax = 200
d = np.arange(dmax + 1)
pd = poisson.pmf(d, lam)
pd[-1] += poisson.sf(dmax, lam)
y_pmf = np.array([1.0])
for k in range(len(lead_pmf)):
    outstanding = sum(lead_pmf[k + 1:])  # P(L > k)
    term = outstanding * pd
    term[0] += 1 - outstanding
    y_pmf = np.convolve(y_pmf, term)
x_pmf = np.convolve(y_pmf, pd)
x = np.arange(len(x_pmf))
y = np.arange(len(y_pmf))
available = np.maximum(S - y, 0)
served = sum(y_pmf[i] * np.sum(pd * np.minimum(d, available[i])) for i in range(len(y_pmf)))
add("random_lead_time_crossing_poisson",
    {"policy": "base_stock", "order_up_to_level": S, "demand": "poisson", "demand_mean": lam,
     "holding_cost": h, "stockout_cost": p, "fixed_order_cost": 0.0, "lead_time_pmf": lead_pmf,
     "shortage": "backorders"},
    {"cost_per_period": f(np.sum(x_pmf * (h * np.maximum(S - x, 0) + p * np.maximum(x - S, 0)))),
     "fill_rate": f(served / lam),
     "cycle_service_level": f(np.sum(x_pmf[: S + 1])),
     "average_backorders": f(np.sum(x_pmf * np.maximum(x - S, 0))),
     "inventory_level_variance": f(np.sum(x_pmf * x**2) - np.sum(x_pmf * x) ** 2),
     # What a thinned Poisson(lam (1 + E[L])) would give: wrong here, kept to show the difference.
     "thinned_poisson_cost_per_period": f(newsvendor.newsvendor_poisson_cost(
         S, h, p, lam * (1 + sum(k * q for k, q in enumerate(lead_pmf)))))},
    "exact convolution (numpy, scipy); stockpyl.newsvendor.newsvendor_poisson_cost for the thinned-Poisson contrast")

# --- 6. (R, S) periodic review, normal demand --------------------------------------------------------
R, S, mu, sd, h, p, K, L = 3, 215.0, 50.0, 8.0, 0.18, 0.7, 20.0, 1
# Ordering up to S at review t, the ending IL of period t + L + k (k = 0..R-1) is S minus
# L + 1 + k periods of demand; every review orders (demand is continuous).
parts = [newsvendor.newsvendor_normal_cost(S, h, p, mu, sd, lead_time=L + k) for k in range(R)]
add("periodic_review_normal",
    {"policy": "periodic_review", "review_period": R, "order_up_to_level": S, "demand": "normal",
     "demand_mean": mu, "demand_std_dev": sd, "holding_cost": h, "stockout_cost": p, "fixed_order_cost": K,
     "lead_time": L, "shortage": "backorders"},
    {"cost_per_period": f(K / R + sum(parts) / R), "orders_per_period": 1 / R,
     "cycle_service_level": f(np.mean([norm.cdf(S, mu * (L + 1 + k), sd * np.sqrt(L + 1 + k)) for k in range(R)]))},
    "stockpyl.newsvendor.newsvendor_normal_cost(lead_time=L+k) averaged over the review cycle; scipy for CSL")

# --- 7. (r, Q) periodic review, Poisson demand --------------------------------------------------------
# The inventory position after ordering is uniform on r+1..r+Q (its transition is doubly
# stochastic); the ending IL of period t + L is that position minus L + 1 periods of demand.
r, Q, lam, h, p, K, L = 5, 8, 3.0, 1.0, 6.0, 10.0, 1
positions = range(r + 1, r + Q + 1)
holding_stockout = np.mean([newsvendor.newsvendor_poisson_cost(y, h, p, lam * (L + 1)) for y in positions])
order_probability = np.mean([poisson.sf(j - 1, lam) for j in range(1, Q + 1)])  # P(D >= y - r)
add("r_q_poisson",
    {"policy": "r_q", "reorder_point": r, "order_quantity": Q, "demand": "poisson", "demand_mean": lam,
     "holding_cost": h, "stockout_cost": p, "fixed_order_cost": K, "lead_time": L, "shortage": "backorders"},
    {"cost_per_period": f(holding_stockout + K * order_probability), "orders_per_period": f(order_probability),
     "cycle_service_level": f(np.mean([poisson.cdf(y, lam * (L + 1)) for y in positions]))},
    "stockpyl.newsvendor.newsvendor_poisson_cost averaged over the uniform inventory position; scipy")

# --- Student t quantiles for the confidence intervals -------------------------------------------------
quantiles = [{"probability": q, "degrees_of_freedom": df, "quantile": f(student_t.ppf(q, df))}
             for q, df in [(0.975, 9), (0.95, 19), (0.995, 29), (0.975, 1), (0.9, 4)]]

out = {
    "versions": {"stockpyl": version("stockpyl"), "scipy": version("scipy"), "numpy": version("numpy"),
                 "python": platform.python_version()},
    "cases": cases,
    "student_t_quantiles": quantiles,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json"), "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
