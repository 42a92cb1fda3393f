//! The exact optimal (s, S) policy for periodic review with i.i.d. integer demand, fixed order
//! cost K, holding cost h and backorder cost p per unit per period, zero lead time: order up to
//! S whenever the inventory position is at or below s (Snyder & Shen, *Fundamentals of Supply
//! Chain Theory*, 2nd ed., ch. 4; Y.-S. Zheng and A. Federgruen, "Finding optimal (s, S)
//! policies is about as simple as evaluating a single policy", *Operations Research* 39(4):
//! 654–665, 1991). Ported from `stockpyl.ss` 1.0.2 for Poisson demand and explicit pmfs.
//!
//! **Lead time.** With a lead time of L periods, the order placed at the start of period t is
//! the last to affect the inventory level at the end of period t + L, so the one-period cost G
//! is taken on demand over **L + 1 periods** (the protection period) while the inventory
//! position still falls by one period's demand per period: the renewal quantities m(j) use the
//! one-period distribution, G the (L + 1)-period one (Zheng & Federgruen 1991, §1; Snyder &
//! Shen ch. 4). stockpyl has no lead time; the `*_lead_time` functions add it and equal the
//! stockpyl ports at L = 0.

use super::loss::{check_pmf, poisson_pmf};
use super::newsvendor::{
    newsvendor_discrete, newsvendor_discrete_cost, newsvendor_poisson, newsvendor_poisson_cost,
};
use super::{Result, TextbookError, positive};

/// An (s, S) policy with its expected cost per period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SsSolution {
    /// Reorder point s: order when the inventory position is ≤ s.
    pub reorder_point: i64,
    /// Order-up-to level S (> s).
    pub order_up_to_level: i64,
    /// Expected fixed + holding + stock-out cost per period, g(s, S).
    pub cost: f64,
}

fn check_hpk(holding_cost: f64, stockout_cost: f64, fixed_cost: f64) -> Result<()> {
    positive("holding_cost", holding_cost)?;
    positive("stockout_cost", stockout_cost)?;
    positive("fixed_cost", fixed_cost)
}

fn check_costs(holding_cost: f64, stockout_cost: f64, fixed_cost: f64, mean: f64) -> Result<()> {
    check_hpk(holding_cost, stockout_cost, fixed_cost)?;
    positive("demand_mean", mean)
}

/// The demand an (s, S) function works on: per period (the renewal m(j)) and over the
/// protection period (the one-period cost G).
#[derive(Clone, Copy)]
enum Demand<'a> {
    /// Poisson with these means per period and over the protection period (equal at L = 0).
    Poisson { period: f64, protection: f64 },
    /// stockpyl's explicit pmf, one period, with its quirk inside g (see [`s_s_cost_pmf`]).
    Pmf(&'a [f64]),
    /// Explicit pmfs per period and over the protection period, both used in full.
    LeadTime {
        period: &'a [f64],
        protection: &'a [f64],
    },
}

impl Demand<'_> {
    /// f(d) for 0 ≤ d < n, as stockpyl indexes it (an explicit pmf must be long enough; the
    /// lead-time form pads with zeros, its pmf being the whole support).
    fn pmf_prefix(self, n: usize) -> Result<Vec<f64>> {
        match self {
            Demand::Poisson { period, .. } => {
                Ok((0..n as i64).map(|d| poisson_pmf(d, period)).collect())
            }
            Demand::Pmf(pmf) if n <= pmf.len() => Ok(pmf[..n].to_vec()),
            Demand::Pmf(_) => Err(TextbookError {
                parameter: "pmf",
                requirement: "must have at least S - s entries (stockpyl indexes past its end)",
            }),
            Demand::LeadTime { period, .. } => Ok((0..n)
                .map(|d| period.get(d).copied().unwrap_or(0.0))
                .collect()),
        }
    }

    /// G(y) inside g(s, S). For an explicit pmf stockpyl 1.0.2 passes
    /// `{n: demand_pmf[n] for n in range(demand_hi)}`, i.e. without the last entry.
    fn cost_in_g(self, y: i64, h: f64, p: f64) -> Result<f64> {
        match self {
            Demand::Pmf(pmf) => newsvendor_discrete_cost(y, h, p, &pmf[..pmf.len() - 1]),
            _ => self.cost_in_search(y, h, p),
        }
    }

    /// G(y) in the search (the full pmf).
    fn cost_in_search(self, y: i64, h: f64, p: f64) -> Result<f64> {
        match self {
            Demand::Poisson { protection, .. } => newsvendor_poisson_cost(y, h, p, protection),
            Demand::Pmf(pmf) => newsvendor_discrete_cost(y, h, p, pmf),
            Demand::LeadTime { protection, .. } => newsvendor_discrete_cost(y, h, p, protection),
        }
    }

    /// The newsvendor optimum y*.
    fn y_star(self, h: f64, p: f64) -> Result<i64> {
        Ok(match self {
            Demand::Poisson { protection, .. } => {
                newsvendor_poisson(h, p, protection)?.base_stock_level
            }
            Demand::Pmf(pmf)
            | Demand::LeadTime {
                protection: pmf, ..
            } => newsvendor_discrete(h, p, pmf)?.base_stock_level,
        })
    }

    fn check(self) -> Result<()> {
        match self {
            Demand::Poisson { period, protection } => {
                positive("demand_mean", period)?;
                positive("demand_mean", protection)
            }
            Demand::Pmf(pmf) => {
                check_pmf(pmf)?;
                if pmf.len() < 2 {
                    return Err(TextbookError {
                        parameter: "pmf",
                        requirement: "must have at least two entries",
                    });
                }
                Ok(())
            }
            Demand::LeadTime { period, protection } => {
                check_pmf(period)?;
                check_pmf(protection)?;
                if period[0] >= 1.0 {
                    return Err(TextbookError {
                        parameter: "period_pmf",
                        requirement: "must give positive demand some probability",
                    });
                }
                Ok(())
            }
        }
    }
}

/// The renewal quantities of an (s, S) cycle: m(0) = 1/(1 − f(0)) and
/// m(j) = m(0)·Σ_{l=1..j} f(l)·m(j − l) for j < `n`, where `pmf` = f(0), f(1), … (at least `n`
/// entries). m(j) is the expected number of periods per cycle that the inventory position spends
/// at S − j, so Σ m(j) is the expected cycle length (Zheng & Federgruen 1991).
pub fn renewal(pmf: &[f64], n: usize) -> Vec<f64> {
    let mut m = vec![0.0; n];
    if n == 0 {
        return m;
    }
    m[0] = 1.0 / (1.0 - pmf[0]);
    for j in 1..n {
        let sum: f64 = (1..=j).map(|l| pmf[l] * m[j - l]).sum();
        m[j] = m[0] * sum;
    }
    m
}

/// g(s, S) without the cost checks (Zheng & Federgruen's renewal-reward cost): with
/// m(0) = 1/(1 − f(0)), m(j) = m(0)·Σ_{l=1..j} f(l)·m(j − l) and M(j) = Σ_{i<j} m(i),
/// g(s, S) = [K + Σ_{d=0}^{S−s−1} m(d)·G(S − d)] / M(S − s).
fn cost_unchecked(s: i64, big_s: i64, h: f64, p: f64, k: f64, demand: Demand) -> Result<f64> {
    if big_s <= s {
        return Err(TextbookError {
            parameter: "order_up_to_level",
            requirement: "must exceed reorder_point",
        });
    }
    let n = (big_s - s) as usize;
    let pmf = demand.pmf_prefix(n)?;
    let m = renewal(&pmf, n);
    let total_m: f64 = m.iter().sum();
    let mut cost = k;
    for (d, &md) in m.iter().enumerate() {
        cost += md * demand.cost_in_g(big_s - d as i64, h, p)?;
    }
    Ok(cost / total_m)
}

/// Zheng & Federgruen's search, step for step as `stockpyl.ss.s_s_discrete_exact`.
fn exact(h: f64, p: f64, k: f64, demand: Demand) -> Result<SsSolution> {
    let g = |s: i64, big_s: i64| cost_unchecked(s, big_s, h, p, k, demand);
    let big_g = |y: i64| demand.cost_in_search(y, h, p);

    let y_star = demand.y_star(h, p)?;
    // Find s(S⁰), S⁰ = y*.
    let s0_level = y_star;
    let mut s = y_star;
    loop {
        s -= 1;
        if g(s, s0_level)? <= big_g(s)? {
            break;
        }
    }
    let mut s_hat = s;
    let mut big_s_hat = s0_level;
    let mut g_hat = g(s_hat, big_s_hat)?;
    let mut big_s = big_s_hat + 1;
    while big_g(big_s)? <= g_hat {
        if g(s_hat, big_s)? < g_hat {
            big_s_hat = big_s;
            let mut gs = big_g(s + 1)?;
            while g(s, big_s_hat)? <= gs {
                s += 1;
                gs = big_g(s + 1)?;
            }
            s_hat = s;
            g_hat = g(s_hat, big_s_hat)?;
        }
        big_s += 1;
    }
    Ok(SsSolution {
        reorder_point: s_hat,
        order_up_to_level: big_s_hat,
        cost: g_hat,
    })
}

/// The expected cost per period g(s, S) of an (s, S) policy under Poisson(λ = `demand_mean`)
/// demand per period, by Zheng & Federgruen's renewal recursion: with m(0) = 1/(1 − f(0)),
/// m(j) = m(0)·Σ_{l=1..j} f(l)·m(j − l) and M(j) = Σ_{i<j} m(i),
/// g(s, S) = [K + Σ_{d=0}^{S−s−1} m(d)·G(S − d)] / M(S − s), G the newsvendor cost.
///
/// Units: demand per period; h and p per unit per period; K per order. Errors:
/// `holding_cost`, `stockout_cost`, `fixed_cost` or `demand_mean` not positive;
/// `order_up_to_level <= reorder_point`.
///
/// Source: Zheng & Federgruen (1991) (the renewal-reward cost); Snyder & Shen, 2nd ed., ch. 4, eqs. (4.71)–(4.75),
/// Example 4.7; `stockpyl.ss.s_s_cost_discrete` with `use_poisson=True`. Example 4.7: h = 1, p = 4, K = 5,
/// Poisson(6), (s, S) = (4, 10) → 8.034111561471644.
pub fn s_s_cost_poisson(
    reorder_point: i64,
    order_up_to_level: i64,
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
) -> Result<f64> {
    check_costs(holding_cost, stockout_cost, fixed_cost, demand_mean)?;
    cost_unchecked(
        reorder_point,
        order_up_to_level,
        holding_cost,
        stockout_cost,
        fixed_cost,
        Demand::Poisson {
            period: demand_mean,
            protection: demand_mean,
        },
    )
}

/// The expected cost per period g(s, S) of an (s, S) policy for an explicit demand pmf
/// (`pmf[d]` = P(D = d), d = 0 … `pmf.len() − 1`), by the recursion of [`s_s_cost_poisson`].
///
/// Parity note: stockpyl 1.0.2 computes the one-period cost G inside g(s, S) from the pmf
/// **without its last entry** (`range(demand_hi)`); this port does the same, so for parity
/// pass a pmf whose last entry is negligible (e.g. a truncated Poisson) or pad it with a 0.
///
/// Errors: h, p or K not positive; `order_up_to_level <= reorder_point`; a pmf with fewer
/// than two entries, fewer than S − s entries, or a negative or non-finite entry.
///
/// Source: as [`s_s_cost_poisson`]; `stockpyl.ss.s_s_cost_discrete` with `use_poisson=False`.
pub fn s_s_cost_pmf(
    reorder_point: i64,
    order_up_to_level: i64,
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    pmf: &[f64],
) -> Result<f64> {
    check_hpk(holding_cost, stockout_cost, fixed_cost)?;
    let demand = Demand::Pmf(pmf);
    demand.check()?;
    cost_unchecked(
        reorder_point,
        order_up_to_level,
        holding_cost,
        stockout_cost,
        fixed_cost,
        demand,
    )
}

/// The optimal (s, S) policy under Poisson(λ = `demand_mean`) demand per period by Zheng &
/// Federgruen's algorithm, step for step as stockpyl: start at S⁰ = y* (the newsvendor
/// optimum), lower s until g(s, S⁰) ≤ G(s); then raise S while G(S) ≤ g*, and whenever
/// g(s, S) improves on the incumbent, raise s while g(s, S) ≤ G(s + 1). The search is exact:
/// it does not assume S* is monotone in λ (it is not: λ = 60 → S* = 129, λ = 65 → S* = 75).
///
/// Units and errors: as [`s_s_cost_poisson`].
///
/// Source: Zheng & Federgruen (1991) (their search algorithm); Snyder & Shen, 2nd ed., ch. 4,
/// Example 4.7; `stockpyl.ss.s_s_discrete_exact` with `use_poisson=True`.
/// Example 4.7: h = 1, p = 4, K = 5, Poisson(6) → (4, 10), cost 8.034111561471644.
pub fn s_s_discrete_exact_poisson(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
) -> Result<SsSolution> {
    check_costs(holding_cost, stockout_cost, fixed_cost, demand_mean)?;
    exact(
        holding_cost,
        stockout_cost,
        fixed_cost,
        Demand::Poisson {
            period: demand_mean,
            protection: demand_mean,
        },
    )
}

/// The optimal (s, S) policy for an explicit demand pmf (`pmf[d]` = P(D = d), d = 0 …
/// `pmf.len() − 1`), by the same search as [`s_s_discrete_exact_poisson`] with g from
/// [`s_s_cost_pmf`] (so with stockpyl's omission of the last pmf entry inside g).
///
/// Errors: h, p or K not positive; a pmf with fewer than two entries or a negative or
/// non-finite entry; a pmf shorter than some S − s the search visits.
///
/// Source: as [`s_s_discrete_exact_poisson`]; `stockpyl.ss.s_s_discrete_exact` with
/// `use_poisson=False`.
pub fn s_s_discrete_exact_pmf(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    pmf: &[f64],
) -> Result<SsSolution> {
    check_hpk(holding_cost, stockout_cost, fixed_cost)?;
    let demand = Demand::Pmf(pmf);
    demand.check()?;
    exact(holding_cost, stockout_cost, fixed_cost, demand)
}

/// g(s, S) for Poisson demand of mean λ = `demand_mean` per period with a lead time of
/// `lead_time` = L whole periods: the recursion of [`s_s_cost_poisson`] with m(j) on
/// Poisson(λ) and G on Poisson(λ(L + 1)). Equals [`s_s_cost_poisson`] at L = 0.
///
/// Errors: as [`s_s_cost_poisson`].
///
/// Source: Zheng & Federgruen (1991), §1 (G on the demand over the lead time and one period);
/// Snyder & Shen, 2nd ed., ch. 4, eqs. (4.71)–(4.75).
pub fn s_s_cost_poisson_lead_time(
    reorder_point: i64,
    order_up_to_level: i64,
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    lead_time: u32,
) -> Result<f64> {
    check_costs(holding_cost, stockout_cost, fixed_cost, demand_mean)?;
    cost_unchecked(
        reorder_point,
        order_up_to_level,
        holding_cost,
        stockout_cost,
        fixed_cost,
        Demand::Poisson {
            period: demand_mean,
            protection: demand_mean * (f64::from(lead_time) + 1.0),
        },
    )
}

/// The optimal (s, S) policy for Poisson demand of mean λ per period and a lead time of L
/// whole periods, by the search of [`s_s_discrete_exact_poisson`] on the costs of
/// [`s_s_cost_poisson_lead_time`]. Equals [`s_s_discrete_exact_poisson`] at L = 0.
///
/// Errors: as [`s_s_cost_poisson`].
///
/// Source: Zheng & Federgruen (1991); Snyder & Shen, 2nd ed., ch. 4.
pub fn s_s_discrete_exact_poisson_lead_time(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    lead_time: u32,
) -> Result<SsSolution> {
    check_costs(holding_cost, stockout_cost, fixed_cost, demand_mean)?;
    exact(
        holding_cost,
        stockout_cost,
        fixed_cost,
        Demand::Poisson {
            period: demand_mean,
            protection: demand_mean * (f64::from(lead_time) + 1.0),
        },
    )
}

/// g(s, S) for explicit pmfs of demand per period (`period_pmf`, for m(j)) and over the
/// protection period of L + 1 periods (`protection_pmf`, for G), each indexed from 0 units.
/// Both are used in full (no stockpyl quirk); `period_pmf` is padded with zeros where the
/// recursion needs more entries.
///
/// Errors: h, p or K not positive; `order_up_to_level <= reorder_point`; an empty pmf or a
/// negative or non-finite entry; `period_pmf[0] >= 1` (no demand).
///
/// Source: as [`s_s_cost_poisson_lead_time`].
pub fn s_s_cost_lead_time_pmf(
    reorder_point: i64,
    order_up_to_level: i64,
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    period_pmf: &[f64],
    protection_pmf: &[f64],
) -> Result<f64> {
    check_hpk(holding_cost, stockout_cost, fixed_cost)?;
    let demand = Demand::LeadTime {
        period: period_pmf,
        protection: protection_pmf,
    };
    demand.check()?;
    cost_unchecked(
        reorder_point,
        order_up_to_level,
        holding_cost,
        stockout_cost,
        fixed_cost,
        demand,
    )
}

/// The optimal (s, S) policy for explicit pmfs per period and over the protection period (as
/// [`s_s_cost_lead_time_pmf`]), by Zheng & Federgruen's search as in
/// [`s_s_discrete_exact_poisson`].
///
/// Errors: as [`s_s_cost_lead_time_pmf`].
///
/// Source: Zheng & Federgruen (1991); Snyder & Shen, 2nd ed., ch. 4.
pub fn s_s_discrete_exact_lead_time_pmf(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    period_pmf: &[f64],
    protection_pmf: &[f64],
) -> Result<SsSolution> {
    check_hpk(holding_cost, stockout_cost, fixed_cost)?;
    let demand = Demand::LeadTime {
        period: period_pmf,
        protection: protection_pmf,
    };
    demand.check()?;
    exact(holding_cost, stockout_cost, fixed_cost, demand)
}

/// A continuous (s, S) policy from an approximation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SsApproximation {
    /// Reorder point s.
    pub reorder_point: f64,
    /// Order-up-to level S.
    pub order_up_to_level: f64,
}

/// The power approximation for (s, S) with demand of mean μ and standard deviation σ per
/// period: Q = 1.30·μ^0.494·(K/h)^0.506·(1 + σ²/μ²)^0.116, z = √(Qh/(σp)),
/// s = 0.973μ + σ(0.183/z + 1.063 − 2.192z), S = s + Q.
///
/// Errors: h, p, K, μ or σ not positive.
///
/// Source: Snyder & Shen, 2nd ed., ch. 4, eqs. (4.77)–(4.80), Example 4.8; R. Ehrhardt and
/// C. Mosier, "A revision of the power approximation for computing (s, S) policies",
/// *Management Science* 30(5), 1984; `stockpyl.ss.s_s_power_approximation`. Example:
/// h = 0.18, p = 0.7, K = 2.5, μ = 50, σ = 8.
pub fn s_s_power_approximation(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
) -> Result<SsApproximation> {
    check_costs(holding_cost, stockout_cost, fixed_cost, demand_mean)?;
    positive("demand_sd", demand_sd)?;
    let (mu, sigma) = (demand_mean, demand_sd);
    let q = 1.30
        * mu.powf(0.494)
        * (fixed_cost / holding_cost).powf(0.506)
        * (1.0 + (sigma / mu).powi(2)).powf(0.116);
    let z = ((q / sigma) * (holding_cost / stockout_cost)).sqrt();
    let s = 0.973 * mu + sigma * ((0.183 / z) + 1.063 - 2.192 * z);
    Ok(SsApproximation {
        reorder_point: s,
        order_up_to_level: s + q,
    })
}

/// The power approximation with a lead time of L periods (may be fractional): as
/// [`s_s_power_approximation`] with the protection-period demand μ_L = (L + 1)μ,
/// σ_L = σ√(L + 1) in s and z, and Q = 1.30·μ^0.494·(K/h)^0.506·(1 + σ_L²/μ²)^0.116 with μ per
/// period (Snyder & Shen eqs. (4.77)–(4.80) as stockpyl documents them; Silver, Pyke & Thomas
/// write the same rule with R + L for the (R, s, S) system). Equals
/// [`s_s_power_approximation`] at L = 0.
///
/// Errors: as [`s_s_power_approximation`], and `lead_time < 0`.
///
/// Source: Ehrhardt & Mosier (1984); Snyder & Shen, 2nd ed., ch. 4, eqs. (4.77)–(4.80).
pub fn s_s_power_approximation_lead_time(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<SsApproximation> {
    check_costs(holding_cost, stockout_cost, fixed_cost, demand_mean)?;
    positive("demand_sd", demand_sd)?;
    super::non_negative("lead_time", lead_time)?;
    let periods = lead_time + 1.0;
    let (mu, mu_l, sigma_l) = (
        demand_mean,
        demand_mean * periods,
        demand_sd * periods.sqrt(),
    );
    let q = 1.30
        * mu.powf(0.494)
        * (fixed_cost / holding_cost).powf(0.506)
        * (1.0 + (sigma_l / mu).powi(2)).powf(0.116);
    let z = ((q / sigma_l) * (holding_cost / stockout_cost)).sqrt();
    let s = 0.973 * mu_l + sigma_l * ((0.183 / z) + 1.063 - 2.192 * z);
    Ok(SsApproximation {
        reorder_point: s,
        order_up_to_level: s + q,
    })
}
