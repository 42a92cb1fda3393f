//! The economic order quantity family: deterministic, constant demand at rate λ, fixed cost K
//! per order, holding cost h per unit per unit time (Snyder & Shen, *Fundamentals of Supply
//! Chain Theory*, 2nd ed., ch. 3). Ported from `stockpyl.eoq` 1.0.2.
//!
//! Units: any consistent time unit (the textbook uses years); λ in units per time unit, h in
//! money per unit per time unit, K in money per order; costs are money per time unit and
//! exclude the purchase cost.

use super::{Result, TextbookError, non_negative, positive};

/// An order quantity with its average cost per unit time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EoqSolution {
    /// Order quantity Q, in units.
    pub order_quantity: f64,
    /// Average ordering + holding (+ stock-out) cost per unit time.
    pub cost: f64,
}

/// An EOQ-with-backorders solution: order quantity, fraction of each cycle out of stock, cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EoqBackorderSolution {
    /// Order quantity Q, in units.
    pub order_quantity: f64,
    /// Stock-out fraction x: the share of each cycle spent with backorders (in [0, 1]).
    pub stockout_fraction: f64,
    /// Average ordering + holding + backorder cost per unit time.
    pub cost: f64,
}

fn check_eoq(fixed_cost: f64, holding_cost: f64, demand_rate: f64) -> Result<()> {
    non_negative("fixed_cost", fixed_cost)?;
    positive("holding_cost", holding_cost)?;
    non_negative("demand_rate", demand_rate)
}

/// The optimal EOQ: Q* = √(2Kλ/h) and g(Q*) = h·Q* (= √(2Kλh)).
///
/// Errors: `fixed_cost < 0`, `holding_cost <= 0`, `demand_rate < 0`.
///
/// Source: Snyder & Shen, 2nd ed., ch. 3, eqs. (3.4)–(3.5), Example 3.1; `stockpyl.eoq.economic_order_quantity`.
/// Example 3.1: K = 8, h = 0.225, λ = 1300 → Q* = 304.0467800264368, cost 68.41052550594829.
pub fn economic_order_quantity(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
) -> Result<EoqSolution> {
    check_eoq(fixed_cost, holding_cost, demand_rate)?;
    let order_quantity = (2.0 * fixed_cost * demand_rate / holding_cost).sqrt();
    Ok(EoqSolution {
        order_quantity,
        cost: order_quantity * holding_cost,
    })
}

/// The EOQ cost of a given order quantity: g(Q) = Kλ/Q + hQ/2.
///
/// Errors: as [`economic_order_quantity`], and `order_quantity <= 0`.
///
/// Source: Snyder & Shen, 2nd ed., ch. 3 (the cost function behind eqs. (3.4)–(3.5)); `stockpyl.eoq.economic_order_quantity`
/// with `order_quantity` given.
pub fn economic_order_quantity_cost(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    order_quantity: f64,
) -> Result<f64> {
    check_eoq(fixed_cost, holding_cost, demand_rate)?;
    positive("order_quantity", order_quantity)?;
    Ok(fixed_cost * demand_rate / order_quantity + holding_cost * order_quantity / 2.0)
}

fn check_backorders(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
) -> Result<()> {
    non_negative("fixed_cost", fixed_cost)?;
    positive("holding_cost", holding_cost)?;
    positive("stockout_cost", stockout_cost)?;
    non_negative("demand_rate", demand_rate)
}

/// The optimal EOQ with planned backorders (stock-out cost p per unit per unit time):
/// Q* = √(2Kλ(h + p)/(hp)), x* = h/(h + p), g* = Q*·hp/(h + p).
///
/// Errors: `fixed_cost < 0`, `holding_cost <= 0`, `stockout_cost <= 0`, `demand_rate < 0`.
///
/// Source: Snyder & Shen, 2nd ed., ch. 3, eqs. (3.27)–(3.29), Example 3.8;
/// `stockpyl.eoq.economic_order_quantity_with_backorders`.
pub fn economic_order_quantity_with_backorders(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
) -> Result<EoqBackorderSolution> {
    check_backorders(fixed_cost, holding_cost, stockout_cost, demand_rate)?;
    let order_quantity = (2.0 * fixed_cost * demand_rate * (holding_cost + stockout_cost)
        / (holding_cost * stockout_cost))
        .sqrt();
    Ok(EoqBackorderSolution {
        order_quantity,
        stockout_fraction: holding_cost / (holding_cost + stockout_cost),
        cost: order_quantity * (holding_cost * stockout_cost) / (holding_cost + stockout_cost),
    })
}

/// The cost of a given EOQ-with-backorders solution:
/// g(Q, x) = hQ(1 − x)²/2 + pQx²/2 + Kλ/Q.
///
/// Errors: as [`economic_order_quantity_with_backorders`], `order_quantity <= 0`, and
/// `stockout_fraction` outside [0, 1].
///
/// Source: Snyder & Shen, 2nd ed., ch. 3 (the cost function behind eqs. (3.27)–(3.29));
/// `stockpyl.eoq.economic_order_quantity_with_backorders` with both Q and x given.
pub fn economic_order_quantity_with_backorders_cost(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
    order_quantity: f64,
    stockout_fraction: f64,
) -> Result<f64> {
    check_backorders(fixed_cost, holding_cost, stockout_cost, demand_rate)?;
    positive("order_quantity", order_quantity)?;
    if !(0.0..=1.0).contains(&stockout_fraction) {
        return Err(TextbookError {
            parameter: "stockout_fraction",
            requirement: "must be between 0 and 1",
        });
    }
    let x = stockout_fraction;
    Ok(holding_cost * order_quantity * (1.0 - x).powi(2) / 2.0
        + stockout_cost * order_quantity * x.powi(2) / 2.0
        + fixed_cost * demand_rate / order_quantity)
}

fn check_epq(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
) -> Result<f64> {
    check_eoq(fixed_cost, holding_cost, demand_rate)?;
    positive("production_rate", production_rate)?;
    if demand_rate >= production_rate {
        return Err(TextbookError {
            parameter: "demand_rate",
            requirement: "must be less than production_rate",
        });
    }
    Ok(demand_rate / production_rate)
}

/// The optimal economic production quantity (finite production rate μ > λ, ρ = λ/μ):
/// Q* = √(2Kλ/(h(1 − ρ))), g* = Q*·h(1 − ρ).
///
/// Errors: as [`economic_order_quantity`], `production_rate <= 0`, and
/// `demand_rate >= production_rate`.
///
/// Source: Snyder & Shen, 2nd ed., ch. 3, eqs. (3.31)–(3.32);
/// `stockpyl.eoq.economic_production_quantity`.
pub fn economic_production_quantity(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
) -> Result<EoqSolution> {
    let rho = check_epq(fixed_cost, holding_cost, demand_rate, production_rate)?;
    let order_quantity = (2.0 * fixed_cost * demand_rate / (holding_cost * (1.0 - rho))).sqrt();
    Ok(EoqSolution {
        order_quantity,
        cost: order_quantity * holding_cost * (1.0 - rho),
    })
}

/// The EPQ cost of a given production quantity: g(Q) = Kλ/Q + h(1 − ρ)Q/2.
///
/// Errors: as [`economic_production_quantity`], and `order_quantity <= 0`.
///
/// Source: Snyder & Shen, 2nd ed., ch. 3 (the cost function behind eqs. (3.31)–(3.32)); `stockpyl.eoq.economic_production_quantity`
/// with `order_quantity` given.
pub fn economic_production_quantity_cost(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
    order_quantity: f64,
) -> Result<f64> {
    let rho = check_epq(fixed_cost, holding_cost, demand_rate, production_rate)?;
    positive("order_quantity", order_quantity)?;
    Ok(fixed_cost * demand_rate / order_quantity
        + holding_cost * (1.0 - rho) * order_quantity / 2.0)
}

/// An order quantity under quantity discounts: Q, its price region and the total annual cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiscountSolution {
    /// Order quantity Q, in units.
    pub order_quantity: f64,
    /// Index j of the price region [b_j, b_{j+1}) that Q falls in.
    pub region: usize,
    /// Purchase + ordering + holding cost per unit time.
    pub cost: f64,
}

fn check_discounts(
    fixed_cost: f64,
    holding_cost_rate: f64,
    demand_rate: f64,
    breakpoints: &[f64],
    unit_costs: &[f64],
) -> Result<()> {
    non_negative("fixed_cost", fixed_cost)?;
    positive("holding_cost_rate", holding_cost_rate)?;
    non_negative("demand_rate", demand_rate)?;
    if breakpoints.first() != Some(&0.0) {
        return Err(TextbookError {
            parameter: "breakpoints",
            requirement: "must be a list starting with 0",
        });
    }
    if breakpoints.iter().any(|b| !b.is_finite()) || breakpoints.windows(2).any(|w| w[0] >= w[1]) {
        return Err(TextbookError {
            parameter: "breakpoints",
            requirement: "must be finite and strictly increasing",
        });
    }
    if unit_costs.len() != breakpoints.len() {
        return Err(TextbookError {
            parameter: "unit_costs",
            requirement: "must have the same length as breakpoints",
        });
    }
    for &c in unit_costs {
        positive("unit_costs", c)?;
    }
    Ok(())
}

/// Whether Q lies in region j: [b_j, b_{j+1}), or [b_n, ∞) for the last.
fn realizable(q: f64, j: usize, breakpoints: &[f64]) -> bool {
    q >= breakpoints[j] && breakpoints.get(j + 1).is_none_or(|&next| q < next)
}

/// The cheapest candidate (the first in order on ties, as Python's `min`).
fn cheapest(
    candidates: Vec<DiscountSolution>,
    requirement: &'static str,
) -> Result<DiscountSolution> {
    let mut best: Option<DiscountSolution> = None;
    for candidate in candidates {
        if best.is_none_or(|b| candidate.cost < b.cost) {
            best = Some(candidate);
        }
    }
    best.ok_or(TextbookError {
        parameter: "breakpoints",
        requirement,
    })
}

/// EOQ with all-units quantity discounts: unit price c_j applies to the whole order when
/// Q ∈ [b_j, b_{j+1}); holding cost is i·c_j per unit per unit time (`holding_cost_rate` i).
/// Candidates are each region's EOQ Q*_j = √(2Kλ/(i·c_j)) when it lies in its region, and every
/// breakpoint b_k (k ≥ 1) priced at c_k; the cheapest by g_j(Q) = c_jλ + Kλ/Q + i·c_jQ/2 wins.
///
/// Shapes: `breakpoints` = [0, b_1, …, b_n] strictly increasing, `unit_costs` the same length.
/// Errors: `fixed_cost < 0`, `holding_cost_rate <= 0`, `demand_rate < 0`, malformed
/// breakpoints or unit costs (non-positive).
///
/// Source: Snyder & Shen, 2nd ed., ch. 3, eqs. (3.18)–(3.19);
/// `stockpyl.eoq.economic_order_quantity_with_all_units_discounts`. Example: K = 200, i = 0.2,
/// λ = 1000, b = [0, 200, 500], c = [500, 475, 450] → Q = 500, region 2, cost 472900.
pub fn economic_order_quantity_with_all_units_discounts(
    fixed_cost: f64,
    holding_cost_rate: f64,
    demand_rate: f64,
    breakpoints: &[f64],
    unit_costs: &[f64],
) -> Result<DiscountSolution> {
    check_discounts(
        fixed_cost,
        holding_cost_rate,
        demand_rate,
        breakpoints,
        unit_costs,
    )?;
    let g = |q: f64, j: usize| {
        unit_costs[j] * demand_rate
            + fixed_cost * demand_rate / q
            + holding_cost_rate * unit_costs[j] * q / 2.0
    };
    let mut candidates = Vec::new();
    for (j, &c) in unit_costs.iter().enumerate() {
        let q = (2.0 * fixed_cost * demand_rate / (holding_cost_rate * c)).sqrt();
        if realizable(q, j, breakpoints) {
            candidates.push(DiscountSolution {
                order_quantity: q,
                region: j,
                cost: g(q, j),
            });
        }
    }
    for (k, &b) in breakpoints.iter().enumerate().skip(1) {
        candidates.push(DiscountSolution {
            order_quantity: b,
            region: k,
            cost: g(b, k),
        });
    }
    cheapest(candidates, "must give a feasible order quantity")
}

/// EOQ with incremental quantity discounts: units in [b_j, b_{j+1}) cost c_j each, so an order
/// Q in region j costs c̄_j + c_jQ with c̄_j = Σ_{i<j} c_i(b_{i+1} − b_i) − c_j·b_j. Each
/// region's Q*_j = √(2(K + c̄_j)λ/(i·c_j)) is a candidate when it lies in its region, costed
/// g_j(Q) = c_jλ + i·c̄_j/2 + (K + c̄_j)λ/Q + i·c_jQ/2; the cheapest wins.
///
/// Shapes and errors: as [`economic_order_quantity_with_all_units_discounts`], and an error
/// when no Q*_j is realizable.
///
/// Source: Snyder & Shen, 2nd ed., ch. 3, eqs. (3.20)–(3.22);
/// `stockpyl.eoq.economic_order_quantity_with_incremental_discounts`. Example: K = 150,
/// i = 0.25, λ = 2400, b = [0, 300, 600], c = [100, 90, 80] → Q = 1481.8906842274164, region 2,
/// cost 222762.8136845483.
pub fn economic_order_quantity_with_incremental_discounts(
    fixed_cost: f64,
    holding_cost_rate: f64,
    demand_rate: f64,
    breakpoints: &[f64],
    unit_costs: &[f64],
) -> Result<DiscountSolution> {
    check_discounts(
        fixed_cost,
        holding_cost_rate,
        demand_rate,
        breakpoints,
        unit_costs,
    )?;
    let c_bar = |j: usize| {
        if j == 0 {
            return 0.0;
        }
        (0..j)
            .map(|i| unit_costs[i] * (breakpoints[i + 1] - breakpoints[i]))
            .sum::<f64>()
            - unit_costs[j] * breakpoints[j]
    };
    let mut candidates = Vec::new();
    for (j, &c) in unit_costs.iter().enumerate() {
        let cb = c_bar(j);
        let q = (2.0 * (fixed_cost + cb) * demand_rate / (holding_cost_rate * c)).sqrt();
        if realizable(q, j, breakpoints) {
            candidates.push(DiscountSolution {
                order_quantity: q,
                region: j,
                cost: c * demand_rate
                    + holding_cost_rate * cb / 2.0
                    + (fixed_cost + cb) * demand_rate / q
                    + holding_cost_rate * c * q / 2.0,
            });
        }
    }
    cheapest(candidates, "must give a realizable order quantity")
}
