//! The newsvendor / base-stock model: choose a level S before demand D is seen; each unit left
//! over costs h, each unit short costs p; the optimum is the critical fractile
//! S* = F⁻¹(p/(p + h)) (Snyder & Shen, *Fundamentals of Supply Chain Theory*, 2nd ed.,
//! ch. 4). Ported from `stockpyl.newsvendor` 1.0.2.
//!
//! **Base stock with lead time.** Under periodic review with a lead time of L periods, the
//! order placed now arrives at the start of period t + L and must cover demand through the end
//! of that period, so the base-stock level protects **L + 1 periods** of demand: the
//! lead-time demand is N((L + 1)μ, (L + 1)σ²) for i.i.d. normal per-period demand, and
//! Poisson((L + 1)λ) for Poisson demand (Snyder & Shen ch. 4, eqs. (4.30) and (4.37) for the
//! normal case; the zero-lead-time newsvendor is L = 0). Costs are expected holding + stock-out cost per period.

use super::loss::{check_pmf, discrete_loss, normal_loss, poisson_cdf, poisson_loss};
use super::{Result, non_negative, positive};
use crate::formulas::safety_factor;
use statrs::distribution::{Continuous, Normal};

/// A continuous base-stock level with its expected cost per period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewsvendorSolution {
    /// Base-stock (order-up-to) level S, in units.
    pub base_stock_level: f64,
    /// Expected holding + stock-out cost per period, h·n̄(S) + p·n(S).
    pub cost: f64,
}

/// An integer base-stock level with its expected cost per period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiscreteNewsvendorSolution {
    /// Base-stock (order-up-to) level S, in units.
    pub base_stock_level: i64,
    /// Expected holding + stock-out cost per period, h·n̄(S) + p·n(S).
    pub cost: f64,
}

fn check_costs(holding_cost: f64, stockout_cost: f64) -> Result<()> {
    positive("holding_cost", holding_cost)?;
    positive("stockout_cost", stockout_cost)
}

/// Lead-time demand parameters ((L + 1)μ, σ√(L + 1)) after validation.
fn normal_ltd(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<(f64, f64)> {
    check_costs(holding_cost, stockout_cost)?;
    positive("demand_mean", demand_mean)?;
    positive("demand_sd", demand_sd)?;
    non_negative("lead_time", lead_time)?;
    Ok((
        demand_mean * (lead_time + 1.0),
        demand_sd * (lead_time + 1.0).sqrt(),
    ))
}

/// The optimal base-stock level for i.i.d. normal demand N(μ, σ²) per period and a lead time
/// of L periods (L = 0 is the classic newsvendor): with α = p/(p + h), S* = μ_L + σ_L·Φ⁻¹(α)
/// and g(S*) = (h + p)·φ(Φ⁻¹(α))·σ_L, where μ_L = (L + 1)μ, σ_L = σ√(L + 1).
///
/// Units: demand per period; h and p per unit per period; `lead_time` in periods (may be
/// fractional, as in stockpyl). Errors: `holding_cost`, `stockout_cost`, `demand_mean` or
/// `demand_sd` not positive, `lead_time < 0`.
///
/// Source: Snyder & Shen, 2nd ed., ch. 4, eqs. (4.24), (4.30) and (4.37), Example 4.3;
/// `stockpyl.newsvendor.newsvendor_normal`. Example 4.3: h = 0.18, p = 0.7, N(50, 8²) →
/// S* = 56.60395592743389, cost 1.9976051931766445.
pub fn newsvendor_normal(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<NewsvendorSolution> {
    let (mean, sd) = normal_ltd(
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
    )?;
    let alpha = stockout_cost / (stockout_cost + holding_cost);
    let z = safety_factor(alpha);
    Ok(NewsvendorSolution {
        base_stock_level: mean + sd * z,
        cost: (holding_cost + stockout_cost) * Normal::standard().pdf(z) * sd,
    })
}

/// The expected cost per period of base-stock level `base_stock_level` under normal demand
/// with lead time (conventions as [`newsvendor_normal`]): g(S) = h·n̄(S) + p·n(S) on the
/// N((L + 1)μ, (L + 1)σ²) lead-time demand.
///
/// Errors: as [`newsvendor_normal`].
///
/// Source: Snyder & Shen, 2nd ed., ch. 4, eq. (4.24) and the normal loss function, Example 4.1;
/// `stockpyl.newsvendor.newsvendor_normal_cost`.
pub fn newsvendor_normal_cost(
    base_stock_level: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<f64> {
    let (mean, sd) = normal_ltd(
        holding_cost,
        stockout_cost,
        demand_mean,
        demand_sd,
        lead_time,
    )?;
    let loss = normal_loss(base_stock_level, mean, sd)?;
    Ok(holding_cost * loss.leftover + stockout_cost * loss.shortage)
}

/// Smallest k ≥ 0 with P(D ≤ k) ≥ `q` for D ~ Poisson(`mean`) (scipy's `poisson.ppf`).
fn poisson_ppf(q: f64, mean: f64) -> i64 {
    let mut k = 0;
    while poisson_cdf(k, mean) < q {
        k += 1;
    }
    k
}

/// The optimal integer base-stock level for Poisson(λ) demand in the protection period:
/// S* = min{S : F(S) ≥ p/(p + h)} and g(S*) = h·n̄(S*) + p·n(S*).
///
/// stockpyl's `newsvendor_poisson` has no lead time; for a lead time of L periods use
/// [`base_stock_poisson`], which passes λ(L + 1). Errors: `holding_cost`, `stockout_cost` or
/// `demand_mean` not positive.
///
/// Source: Snyder & Shen, 2nd ed., ch. 4 (discrete demand: the smallest S with F(S) ≥ α) with the
/// Poisson loss function of appendix C; `stockpyl.newsvendor.newsvendor_poisson`. Example: h = 0.18, p = 0.7,
/// λ = 50 → S* = 56, cost 1.797235211809178.
pub fn newsvendor_poisson(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
) -> Result<DiscreteNewsvendorSolution> {
    check_costs(holding_cost, stockout_cost)?;
    positive("demand_mean", demand_mean)?;
    let alpha = stockout_cost / (stockout_cost + holding_cost);
    let base_stock_level = poisson_ppf(alpha, demand_mean);
    Ok(DiscreteNewsvendorSolution {
        base_stock_level,
        cost: newsvendor_poisson_cost(base_stock_level, holding_cost, stockout_cost, demand_mean)?,
    })
}

/// The expected cost per period of integer base-stock level S under Poisson(λ) demand:
/// g(S) = h·n̄(S) + p·n(S). Negative S is allowed (n̄ = 0, n = λ − S).
///
/// Errors: `holding_cost`, `stockout_cost` or `demand_mean` not positive.
///
/// Source: Snyder & Shen, 2nd ed., ch. 4, eq. (4.6); `stockpyl.newsvendor.newsvendor_poisson_cost`.
pub fn newsvendor_poisson_cost(
    base_stock_level: i64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
) -> Result<f64> {
    check_costs(holding_cost, stockout_cost)?;
    positive("demand_mean", demand_mean)?;
    let loss = poisson_loss(base_stock_level, demand_mean)?;
    Ok(holding_cost * loss.leftover + stockout_cost * loss.shortage)
}

/// The optimal base-stock level with Poisson demand of rate λ per period and a lead time of
/// `lead_time` = L whole periods: [`newsvendor_poisson`] on Poisson(λ(L + 1)), i.e. the
/// base-stock level protects L + 1 periods. Cost is per period.
///
/// Errors: as [`newsvendor_poisson`].
///
/// Source: Snyder & Shen, 2nd ed., ch. 4 (lead times: the newsvendor on lead-time demand over
/// L + 1 periods); equals `stockpyl.newsvendor.newsvendor_poisson(h, p, λ·(L + 1))`.
pub fn base_stock_poisson(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    lead_time: u32,
) -> Result<DiscreteNewsvendorSolution> {
    newsvendor_poisson(
        holding_cost,
        stockout_cost,
        demand_mean * (f64::from(lead_time) + 1.0),
    )
}

/// The optimal integer base-stock level for an explicit demand pmf (`pmf[d]` = P(D = d),
/// d = 0 … `pmf.len() − 1`): the first d at which the running sum of the pmf reaches
/// α = p/(p + h) (the last d if it never does, or if p = 0, as stockpyl), with g(S) = h·n̄(S) + p·n(S).
///
/// Errors: `holding_cost <= 0`, `stockout_cost < 0` (stockpyl allows p = 0 here), an empty pmf
/// or a negative or non-finite entry.
///
/// Source: Snyder & Shen, 2nd ed., ch. 4 (discrete demand), Example 4.7 data;
/// `stockpyl.newsvendor.newsvendor_discrete` with `demand_pmf`.
pub fn newsvendor_discrete(
    holding_cost: f64,
    stockout_cost: f64,
    pmf: &[f64],
) -> Result<DiscreteNewsvendorSolution> {
    positive("holding_cost", holding_cost)?;
    non_negative("stockout_cost", stockout_cost)?;
    check_pmf(pmf)?;
    let alpha = stockout_cost / (stockout_cost + holding_cost);
    let mut i = 0;
    let mut cumulative = 0.0;
    while cumulative < alpha {
        cumulative += pmf[i];
        i += 1;
        if i >= pmf.len() {
            break;
        }
    }
    // stockpyl takes `demand_values[i - 1]`; with p = 0 the loop never runs and Python's
    // index −1 picks the largest demand value.
    let base_stock_level = if i == 0 { pmf.len() - 1 } else { i - 1 } as i64;
    Ok(DiscreteNewsvendorSolution {
        base_stock_level,
        cost: newsvendor_discrete_cost(base_stock_level, holding_cost, stockout_cost, pmf)?,
    })
}

/// The expected cost per period of integer base-stock level S for an explicit pmf (as in
/// [`newsvendor_discrete`]): g(S) = h·n̄(S) + p·n(S).
///
/// Errors: as [`newsvendor_discrete`].
///
/// Source: Snyder & Shen, 2nd ed., ch. 4, eq. (4.6); `stockpyl.newsvendor.newsvendor_discrete` with
/// `demand_pmf` and `base_stock_level`.
pub fn newsvendor_discrete_cost(
    base_stock_level: i64,
    holding_cost: f64,
    stockout_cost: f64,
    pmf: &[f64],
) -> Result<f64> {
    positive("holding_cost", holding_cost)?;
    non_negative("stockout_cost", stockout_cost)?;
    let loss = discrete_loss(base_stock_level, pmf)?;
    Ok(holding_cost * loss.leftover + stockout_cost * loss.shortage)
}
