//! The continuous-review (r, Q) policy with backorders: order Q whenever the inventory
//! position falls to r; lead time L; demand per unit time with mean λ (normal with standard
//! deviation σ per unit time, or Poisson); holding cost h and backorder cost p per unit per
//! unit time, fixed cost K per order (Snyder & Shen, *Fundamentals of Supply Chain Theory*,
//! 2nd ed., ch. 5). Ported from `stockpyl.rq` 1.0.2.
//!
//! Lead-time demand is N(λL, σ²L) or Poisson(λL) — continuous review, so the protection period
//! is L, not L + 1 as for periodic base stock. Costs are per unit time. Every normal function
//! needs λL > 0 and σ√L > 0 (stockpyl fails inside its newsvendor otherwise), so `lead_time`
//! must be positive.

use super::loss::{normal_loss, normal_second_loss, poisson_cdf};
use super::newsvendor::{newsvendor_normal, newsvendor_normal_cost, newsvendor_poisson_cost};
use super::{Result, TextbookError, eoq, positive};
use crate::formulas::safety_factor;
use statrs::distribution::{ContinuousCDF, Normal};

/// An (r, Q) policy (without its cost).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RqPolicy {
    /// Reorder point r, in units of inventory position.
    pub reorder_point: f64,
    /// Order quantity Q, in units.
    pub order_quantity: f64,
}

/// An (r, Q) policy with its expected cost per unit time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RqSolution {
    /// Reorder point r.
    pub reorder_point: f64,
    /// Order quantity Q.
    pub order_quantity: f64,
    /// Expected cost per unit time.
    pub cost: f64,
}

/// An integer (r, Q) policy for Poisson demand with its expected cost per unit time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoissonRqSolution {
    /// Reorder point r.
    pub reorder_point: i64,
    /// Order quantity Q (≥ 1).
    pub order_quantity: i64,
    /// Expected cost per unit time.
    pub cost: f64,
}

/// Validates and returns the lead-time demand (λL, σ√L).
fn normal_ltd(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<(f64, f64)> {
    positive("holding_cost", holding_cost)?;
    positive("stockout_cost", stockout_cost)?;
    positive("demand_mean", demand_mean)?;
    positive("demand_sd", demand_sd)?;
    positive("lead_time", lead_time)?;
    Ok((demand_mean * lead_time, demand_sd * lead_time.sqrt()))
}

/// The exact expected cost per unit time of (r, Q) under normal demand:
/// g(r, Q) = (Kλ + ∫_r^{r+Q} G(y) dy)/Q with G(y) = h·n̄(y) + p·n(y) on lead-time demand
/// N(λL, σ²L). The integral is evaluated in closed form with the second-order loss functions,
/// ∫_r^{r+Q} G = h(n̄²(r+Q) − n̄²(r)) + p(n²(r) − n²(r+Q)); stockpyl integrates numerically
/// (`scipy.integrate.quad`), which agrees to far below 1e-6.
///
/// Errors: h, p, K, λ, σ, L or Q not positive.
///
/// Source: Snyder & Shen, 2nd ed., ch. 5, eq. (5.7), Example 5.1; `stockpyl.rq.r_q_cost`.
/// Example: r = 126.8, Q = 328.5, h = 0.225, p = 7.5, K = 8, λ = 1300, σ = 150, L = 1/12 →
/// 78.07116250928294.
#[allow(clippy::too_many_arguments)]
pub fn r_q_cost(
    reorder_point: f64,
    order_quantity: f64,
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<f64> {
    positive("order_quantity", order_quantity)?;
    positive("fixed_cost", fixed_cost)?;
    let (mu, sigma) = normal_ltd(
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
    )?;
    let lo = normal_second_loss(reorder_point, mu, sigma);
    let hi = normal_second_loss(reorder_point + order_quantity, mu, sigma);
    let integral =
        holding_cost * (hi.leftover - lo.leftover) + stockout_cost * (lo.shortage - hi.shortage);
    Ok((fixed_cost * demand_mean + integral) / order_quantity)
}

/// The optimal reorder point for a given Q under normal demand: the r with G(r) = G(r + Q),
/// found by stockpyl's bisection on [S* − 5Q, S*] (S* the newsvendor level on lead-time
/// demand) until |G(r) − G(r + Q)| ≤ `tol` (stockpyl's default 1e-6).
///
/// Errors: h, p, λ, σ, L or Q not positive.
///
/// Source: Snyder & Shen, 2nd ed., ch. 5, eq. (5.9), Example 5.2;
/// `stockpyl.rq.r_q_optimal_r_for_q`.
/// Example: Q = 300, h = 0.225, p = 7.5, λ = 1300, σ = 150, L = 1/12 → 129.4272799263067.
pub fn r_q_optimal_r_for_q(
    order_quantity: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
    tol: f64,
) -> Result<f64> {
    positive("order_quantity", order_quantity)?;
    positive("tol", tol)?;
    let (mu, sigma) = normal_ltd(
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
    )?;
    let g = |y: f64| newsvendor_normal_cost(y, holding_cost, stockout_cost, mu, sigma, 0.0);
    let s = newsvendor_normal(holding_cost, stockout_cost, mu, sigma, 0.0)?.base_stock_level;
    let mut r_lo = s - 5.0 * order_quantity;
    let mut r_hi = s;
    let mut r = (r_lo + r_hi) / 2.0;
    let mut gr = g(r)?;
    let mut grq = g(r + order_quantity)?;
    while (gr - grq).abs() > tol {
        if gr < grq {
            r_hi = r;
        } else {
            r_lo = r;
        }
        r = (r_lo + r_hi) / 2.0;
        gr = g(r)?;
        grq = g(r + order_quantity)?;
    }
    Ok(r)
}

fn check_fixed(fixed_cost: f64) -> Result<()> {
    positive("fixed_cost", fixed_cost)
}

/// The expected-inventory-level (EIL) approximation: iterate r = F⁻¹(1 − Qh/(pλ)) and
/// Q = √(2λ(K + p·n(r))/h) from the EOQ until both change by at most `tol` (stockpyl's
/// default 1e-6); cost = h(r − λL + Q/2) + Kλ/Q + pλn(r)/Q.
///
/// Errors: h, p, K, λ, σ, L not positive; `1 − Qh/(pλ)` outside (0, 1) at some iteration
/// (stockpyl would return NaN).
///
/// Source: Snyder & Shen, 2nd ed., ch. 5, eqs. (5.16)–(5.18), Example 5.2;
/// `stockpyl.rq.r_q_eil_approximation`. Example: h = 0.225, p = 7.5, K = 8, λ = 1300, σ = 150,
/// L = 1/12 → (213.97044213580244, 318.5901810768729, 95.45114022285196).
pub fn r_q_eil_approximation(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
    tol: f64,
) -> Result<RqSolution> {
    check_fixed(fixed_cost)?;
    positive("tol", tol)?;
    let (mu, sigma) = normal_ltd(
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
    )?;
    let (h, p, k, lambda) = (holding_cost, stockout_cost, fixed_cost, demand_mean);
    let mut q = eoq::economic_order_quantity(k, h, lambda)?.order_quantity;
    let mut r = 0.0;
    let mut q_prev = f64::INFINITY;
    let mut r_prev = f64::INFINITY;
    while (q - q_prev).abs() > tol || (r - r_prev).abs() > tol {
        q_prev = q;
        r_prev = r;
        let fractile = 1.0 - q * h / (p * lambda);
        if !(fractile > 0.0 && fractile < 1.0) {
            return Err(TextbookError {
                parameter: "stockout_cost",
                requirement: "must make 1 - Qh/(p·demand_mean) a probability (EIL iteration)",
            });
        }
        r = mu + sigma * safety_factor(fractile);
        let loss = normal_loss(r, mu, sigma)?.shortage;
        q = (2.0 * lambda * (k + p * loss) / h).sqrt();
    }
    let loss = normal_loss(r, mu, sigma)?.shortage;
    Ok(RqSolution {
        reorder_point: r,
        order_quantity: q,
        cost: h * (r - mu + q / 2.0) + k * lambda / q + p * lambda * loss / q,
    })
}

/// The EOQB approximation: Q from the EOQ with planned backorders, r the optimal reorder point
/// for that Q ([`r_q_optimal_r_for_q`] with tolerance 1e-6).
///
/// Errors: h, p, K, λ, σ, L not positive.
///
/// Source: Snyder & Shen, 2nd ed., ch. 5, eqs. (3.27) and (5.9); Zheng (1992); `stockpyl.rq.r_q_eoqb_approximation`.
/// Example: h = 0.225, p = 7.5, K = 8, λ = 1300, σ = 150, L = 1/12 →
/// (128.63781442427097, 308.5737801203754).
pub fn r_q_eoqb_approximation(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<RqPolicy> {
    check_fixed(fixed_cost)?;
    normal_ltd(
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
    )?;
    let q = eoq::economic_order_quantity_with_backorders(
        fixed_cost,
        holding_cost,
        stockout_cost,
        demand_mean,
    )?
    .order_quantity;
    let r = r_q_optimal_r_for_q(
        q,
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
        1e-6,
    )?;
    Ok(RqPolicy {
        reorder_point: r,
        order_quantity: q,
    })
}

/// The EOQ + SS approximation: Q = the EOQ, r = the newsvendor level on lead-time demand,
/// λL + σ√L·Φ⁻¹(p/(p + h)).
///
/// Errors: h, p, K, λ, σ, L not positive.
///
/// Source: Snyder & Shen, 2nd ed., ch. 5, eqs. (3.4) and (5.21), Example 5.5;
/// `stockpyl.rq.r_q_eoqss_approximation`. Example:
/// h = 0.225, p = 7.5, K = 8, λ = 1300, σ = 150, L = 1/12 → (190.3369965715624,
/// 304.0467800264368).
pub fn r_q_eoqss_approximation(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<RqPolicy> {
    check_fixed(fixed_cost)?;
    let (mu, sigma) = normal_ltd(
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
    )?;
    let q = eoq::economic_order_quantity(fixed_cost, holding_cost, demand_mean)?.order_quantity;
    let r = newsvendor_normal(holding_cost, stockout_cost, mu, sigma, 0.0)?.base_stock_level;
    Ok(RqPolicy {
        reorder_point: r,
        order_quantity: q,
    })
}

/// Solves n(y) = target for the normal loss function (decreasing, convex) by Newton's method
/// from `start`, to full precision (stockpyl uses `scipy.optimize.fsolve`, xtol 1.5e-8).
fn invert_normal_loss(target: f64, mean: f64, sd: f64, start: f64) -> Result<f64> {
    let normal = Normal::new(mean, sd).map_err(|_| TextbookError {
        parameter: "demand_sd",
        requirement: "must be positive",
    })?;
    let mut y = start;
    for _ in 0..200 {
        let f = normal_loss(y, mean, sd)?.shortage - target;
        let slope = -(1.0 - normal.cdf(y));
        if slope == 0.0 {
            break;
        }
        let next = y - f / slope;
        if (next - y).abs() <= 1e-13 * y.abs().max(1.0) {
            return Ok(next);
        }
        y = next;
    }
    Err(TextbookError {
        parameter: "stockout_cost",
        requirement: "must allow the loss-function equation n(r) = hQ/(h + p) to be solved",
    })
}

/// The loss-function approximation: iterate n(r) = hQ/(h + p) and
/// Q = √(2(Kλ + (h + p)·n²(r))/h) from the EOQ until both change by at most `tol`
/// (stockpyl's default 1e-6), n² the second-order loss function.
///
/// Errors: h, p, K, λ, σ, L not positive; the equation for r not solvable.
///
/// Source: Snyder & Shen, 2nd ed., ch. 5, eqs. (5.28)–(5.29), Example 5.6;
/// `stockpyl.rq.r_q_loss_function_approximation`. Example: h = 0.225, p = 7.5, K = 8,
/// λ = 1300, σ = 150, L = 1/12 → (126.8670634479628, 328.4491421980451).
pub fn r_q_loss_function_approximation(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
    tol: f64,
) -> Result<RqPolicy> {
    check_fixed(fixed_cost)?;
    positive("tol", tol)?;
    let (mu, sigma) = normal_ltd(
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
    )?;
    let (h, p, k, lambda) = (holding_cost, stockout_cost, fixed_cost, demand_mean);
    let mut q = eoq::economic_order_quantity(k, h, lambda)?.order_quantity;
    let mut r = 0.0;
    let mut q_prev = f64::INFINITY;
    let mut r_prev = f64::INFINITY;
    while (q - q_prev).abs() > tol || (r - r_prev).abs() > tol {
        q_prev = q;
        r_prev = r;
        r = invert_normal_loss(h * q / (h + p), mu, sigma, r_prev)?;
        let loss2 = normal_second_loss(r, mu, sigma).shortage;
        q = (2.0 * (k * lambda + (h + p) * loss2) / h).sqrt();
    }
    Ok(RqPolicy {
        reorder_point: r,
        order_quantity: q,
    })
}

/// The exact expected cost per unit time of integer (r, Q) under Poisson demand of rate λ:
/// g(r, Q) = (Kλ + Σ_{y=r+1}^{r+Q} G(y))/Q, G the newsvendor cost on Poisson(λL).
///
/// Errors: h, p, K, λ, L not positive; `order_quantity < 1`.
///
/// Source: Snyder & Shen, 2nd ed., ch. 5, eq. (5.48), Example 5.8;
/// `stockpyl.rq.r_q_cost_poisson`. Example: (r, Q) = (3, 5), h = 20, p = 150, K = 100,
/// λ = 1.5, L = 2 → 107.92358063314975.
pub fn r_q_cost_poisson(
    reorder_point: i64,
    order_quantity: i64,
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    lead_time: f64,
) -> Result<f64> {
    if order_quantity < 1 {
        return Err(TextbookError {
            parameter: "order_quantity",
            requirement: "must be a positive integer",
        });
    }
    check_fixed(fixed_cost)?;
    positive("demand_mean", demand_mean)?;
    positive("lead_time", lead_time)?;
    let mu = demand_mean * lead_time;
    let mut cost = fixed_cost * demand_mean;
    for y in reorder_point + 1..=reorder_point + order_quantity {
        cost += newsvendor_poisson_cost(y, holding_cost, stockout_cost, mu)?;
    }
    Ok(cost / order_quantity as f64)
}

/// The optimal integer (r, Q) under Poisson demand, by stockpyl's search: start from
/// Q = 1, r = S* − 1 (S* the newsvendor level on Poisson(λL)); at each step lower r by one if
/// G(r) < G(r + Q + 1), try Q + 1, and stop when the cost rises.
///
/// Errors: h, p, K, λ, L not positive.
///
/// Source: Snyder & Shen, 2nd ed., ch. 5, eq. (5.48), Example 5.8; Federgruen & Zheng
/// (1992), *Operations Research* 40(4); `stockpyl.rq.r_q_poisson_exact`. Example: h = 20, p = 150, K = 100, λ = 1.5, L = 2 →
/// (3, 5), 107.92358063314975.
pub fn r_q_poisson_exact(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    lead_time: f64,
) -> Result<PoissonRqSolution> {
    positive("holding_cost", holding_cost)?;
    positive("stockout_cost", stockout_cost)?;
    check_fixed(fixed_cost)?;
    positive("demand_mean", demand_mean)?;
    positive("lead_time", lead_time)?;
    let (h, p, k, lambda) = (holding_cost, stockout_cost, fixed_cost, demand_mean);
    let alpha = p / (p + h);
    let mu = lambda * lead_time;
    let mut s = 0;
    while poisson_cdf(s, mu) < alpha {
        s += 1;
    }
    let mut q = 1;
    let mut r = s - 1;
    let mut g = r_q_cost_poisson(r, q, h, p, k, lambda, lead_time)?;
    loop {
        let g_prev = g;
        let r_prev = r;
        let g_r = newsvendor_poisson_cost(r, h, p, mu)?;
        let g_rq1 = newsvendor_poisson_cost(r + q + 1, h, p, mu)?;
        if g_r < g_rq1 {
            r -= 1;
        }
        g = r_q_cost_poisson(r, q + 1, h, p, k, lambda, lead_time)?;
        if g > g_prev {
            return Ok(PoissonRqSolution {
                reorder_point: r_prev,
                order_quantity: q,
                cost: g_prev,
            });
        }
        q += 1;
    }
}
