//! Wagner–Whitin lot sizing: a known, time-varying demand plan over T periods, a fixed cost per
//! order, per-unit purchase and holding costs, no backorders; the dynamic programme over the
//! period of the next order (H. M. Wagner and T. M. Whitin, "Dynamic version of the economic
//! lot size model", *Management Science* 5(1), 1958; Snyder & Shen, *Fundamentals of Supply
//! Chain Theory*, 2nd ed., ch. 3, Algorithm 3.1). Ported from `stockpyl.wagner_whitin` 1.0.2.

use super::{Result, TextbookError, non_negative};

/// An optimal lot-sizing plan. Periods are numbered 1 … T as in the textbook; vectors are
/// indexed from 0 (index t − 1 is period t).
#[derive(Debug, Clone, PartialEq)]
pub struct WagnerWhitinSolution {
    /// Units ordered at the start of each period 1 … T (0 where nothing is ordered).
    pub order_quantities: Vec<f64>,
    /// Total cost over the horizon, θ₁.
    pub cost: f64,
    /// Cost-to-go θ_t for t = 1 … T + 1 (θ_{T+1} = 0).
    pub cost_to_go: Vec<f64>,
    /// For each period t = 1 … T, the period s (t < s ≤ T + 1) of the next order if one is
    /// placed in t (T + 1: none before the horizon ends).
    pub next_order_period: Vec<usize>,
}

/// Solves Wagner–Whitin: θ_{T+1} = 0 and
/// θ_t = min_{t < s ≤ T+1} { K_t·[Σ_{i=t}^{s−1} d_i > 0] + Σ_{i=t}^{s−1} (c_t + h_t(i − t))·d_i + θ_s },
/// i.e. stockpyl's variant: the holding cost of the ordering period t applies to every unit
/// carried from t, and no fixed cost is charged for an order covering zero demand. Ties go to
/// the earliest s.
///
/// Shapes: `holding_cost`, `fixed_cost`, `purchase_cost` and `demand` each have one entry per
/// period (T entries; repeat a constant). Units: demand in units per period, h per unit per
/// period, K per order, c per unit. Errors: slices of different lengths, or a negative or
/// non-finite entry.
///
/// Source: Snyder & Shen, 2nd ed., ch. 3, Algorithm 3.1 and (modified) eq. (3.39), Example 3.9;
/// `stockpyl.wagner_whitin.wagner_whitin`. Example 3.9: h = 2, K = 500, d = [90, 120, 80, 70]
/// → orders [210, 0, 150, 0], cost 1380.
pub fn wagner_whitin(
    holding_cost: &[f64],
    fixed_cost: &[f64],
    demand: &[f64],
    purchase_cost: &[f64],
) -> Result<WagnerWhitinSolution> {
    let periods = demand.len();
    if holding_cost.len() != periods
        || fixed_cost.len() != periods
        || purchase_cost.len() != periods
    {
        return Err(TextbookError {
            parameter: "holding_cost",
            requirement: "fixed_cost, demand and purchase_cost must all have one entry per period",
        });
    }
    for (name, values) in [
        ("holding_cost", holding_cost),
        ("fixed_cost", fixed_cost),
        ("demand", demand),
        ("purchase_cost", purchase_cost),
    ] {
        for &v in values {
            non_negative(name, v)?;
            if !v.is_finite() {
                return Err(TextbookError {
                    parameter: name,
                    requirement: "must be finite",
                });
            }
        }
    }
    // 1-based: index t is period t; theta has T + 2 entries (θ_{T+1} = 0).
    let d = |i: usize| demand[i - 1];
    let mut theta = vec![0.0; periods + 2];
    let mut next = vec![0usize; periods + 1];
    for t in (1..=periods).rev() {
        let mut best_cost = f64::INFINITY;
        let mut best_s = periods + 1;
        for (s, &theta_s) in theta.iter().enumerate().skip(t + 1) {
            let covered: f64 = (t..s).map(d).sum();
            let mut cost = if covered > 0.0 {
                fixed_cost[t - 1]
            } else {
                0.0
            };
            for i in t..s {
                cost += purchase_cost[t - 1] * d(i) + holding_cost[t - 1] * (i - t) as f64 * d(i);
            }
            cost += theta_s;
            if cost < best_cost {
                best_cost = cost;
                best_s = s;
            }
        }
        theta[t] = best_cost;
        next[t] = best_s;
    }
    let mut order_quantities = vec![0.0; periods];
    let mut t = 1;
    while t <= periods {
        order_quantities[t - 1] = (t..next[t]).map(d).sum();
        t = next[t];
    }
    Ok(WagnerWhitinSolution {
        order_quantities,
        cost: theta[1],
        cost_to_go: theta[1..].to_vec(),
        next_order_period: next[1..].to_vec(),
    })
}
