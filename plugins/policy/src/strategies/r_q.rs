//! The continuous-review (r, Q) policy: when the inventory position falls to r, order Q
//! (n·Q when one lot does not lift it above r).
//!
//! Continuous review: lead-time demand covers the lead time L itself (fractional periods
//! allowed), not L + 1 (Snyder & Shen, 2nd ed., ch. 5). Demand per period λ is the lead-time
//! mean over L; normal demand has σ per period with σ√L the lead-time standard deviation
//! (lead-time variability included); Poisson demand stays Poisson; negative binomial and
//! empirical demand use the normal with the same mean and variance.
//!
//! - `target = "costs"`, `method = "exact"` (default): Poisson demand by the textbook's exact
//!   integer search (`r_q_poisson_exact`, Federgruen & Zheng 1992); normal demand by minimising
//!   the exact cost g(r, Q) = (Kλ + ∫_r^{r+Q} G)/Q (`r_q_cost`, eq. (5.7)) over Q, with r(Q)
//!   solving G(r) = G(r + Q) (eq. (5.9)) — g(r(Q), Q) is convex in Q (Zheng 1992), so a
//!   golden-section search finds it;
//! - `method = "eoqss" | "eoqb" | "eil" | "loss_function"`: the textbook approximations
//!   (eqs. (5.16)–(5.29)); for Poisson demand they run on the normal N(λ, λ);
//! - service targets: Q is the EOQ √(2Kλ/h), and r the least level with P(D_L ≤ r) ≥ α (cycle
//!   service level) or with fill rate 1 − (n(r) − n(r + Q))/Q ≥ β (Silver, Pyke & Thomas, 4th
//!   ed., ch. 6: expected shortage per replenishment cycle σ_L[G_u(k) − G_u(k + Q/σ_L)]).
//!
//! Reported: cycle service level P(D_L ≤ r), that fill rate, and the exact cost g(r, Q) of the
//! final (rounded) policy.

use std::fmt::Write as _;

use restock_core::display::{percent, quantity as fmt};

use super::r_s::{marginal_of, search_bounds};
use super::{Item, Outcome, Policy};
use crate::config::{Method, Target};
use crate::horizon::{Horizon, smallest_level};
use crate::ordering::{ceil_units, lots_to_order, round_order};
use crate::textbook::{TextbookError, eoq, rq};

/// The `r_q` policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContinuousReview {
    /// `method`; default exact.
    pub method: Option<Method>,
}

/// Lead-time demand of a continuous-review policy and its per-period rate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LeadTimeDemand {
    /// λ, mean demand per period.
    pub rate: f64,
    /// σ per period (normal; √λ for Poisson).
    pub sd: f64,
    /// L, periods (> 0 for the textbook functions).
    pub lead_time: f64,
    /// D_L.
    pub horizon: Horizon,
}

impl LeadTimeDemand {
    /// The lead-time demand of `item` over its fractional lead time.
    pub(crate) fn of(item: &Item, notes: &mut Vec<String>) -> Result<Self, String> {
        let l = item.lead_time;
        let horizon = item.plan.horizon(0, l, item.lead_time_sd, notes)?;
        let horizon = match horizon {
            Horizon::Discrete(pmf) => {
                notes.push("continuous review uses the normal with the same mean and variance for negative binomial and empirical demand".into());
                Horizon::Normal {
                    mean: pmf.mean(),
                    sd: pmf.std_dev(),
                }
            }
            h => h,
        };
        let (rate, sd) = if l > 0.0 {
            (horizon.mean() / l, horizon.std_dev() / l.sqrt())
        } else {
            let one = item.plan.stationary(1, notes)?;
            (one.mean(), one.std_dev())
        };
        Ok(Self {
            rate,
            sd,
            lead_time: l,
            horizon,
        })
    }

    /// The fill rate of (r, Q): 1 − (n(r) − n(r + Q))/Q.
    pub(crate) fn fill_rate(&self, r: f64, q: f64) -> f64 {
        1.0 - (self.horizon.shortage(r) - self.horizon.shortage(r + q)) / q
    }

    /// The exact cost per period of (r, Q) by the textbook (`r_q_cost`, `r_q_cost_poisson`),
    /// or `None` without the costs or a lead time.
    pub(crate) fn cost(&self, r: f64, q: f64, h: f64, p: f64, k: f64) -> Option<f64> {
        if !(self.lead_time > 0.0 && k > 0.0 && q > 0.0) {
            return None;
        }
        match &self.horizon {
            Horizon::Poisson { .. } if r.fract() == 0.0 && q.fract() == 0.0 => {
                rq::r_q_cost_poisson(r as i64, q as i64, h, p, k, self.rate, self.lead_time).ok()
            }
            Horizon::Normal { sd, .. } if *sd > 0.0 => {
                rq::r_q_cost(r, q, h, p, k, self.rate, self.sd, self.lead_time).ok()
            }
            _ => None,
        }
    }
}

/// The exact optimum of normal (r, Q): (r, Q, cost).
pub fn optimal_normal(
    h: f64,
    p: f64,
    k: f64,
    rate: f64,
    sd: f64,
    lead_time: f64,
) -> Result<(f64, f64, f64), TextbookError> {
    let horizon = Horizon::Normal {
        mean: rate * lead_time,
        sd: sd * lead_time.sqrt(),
    };
    let g = |y: f64| horizon.newsvendor_cost(y, h, p);
    let newsvendor = horizon.quantile(p / (p + h));
    // G(r) − G(r + Q) falls in r (G is convex): bisection between S* − Q − 1 and S*.
    let r_for = |q: f64| {
        let (mut lo, mut hi) = (newsvendor - q - 1.0, newsvendor);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if g(mid) - g(mid + q) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo <= 1e-12 * mid.abs().max(1.0) {
                break;
            }
        }
        0.5 * (lo + hi)
    };
    let cost = |q: f64| -> Result<f64, TextbookError> {
        rq::r_q_cost(r_for(q), q, h, p, k, rate, sd, lead_time)
    };
    let eoq = eoq::economic_order_quantity(k, h, rate)?.order_quantity;
    let (mut lo, mut hi) = (0.25 * eoq, 4.0 * eoq + 4.0 * horizon.std_dev());
    let phi = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..30 {
        let (mut a, mut b) = (lo, hi);
        let mut c = b - phi * (b - a);
        let mut d = a + phi * (b - a);
        let (mut fc, mut fd) = (cost(c)?, cost(d)?);
        while b - a > 1e-10 * b.abs().max(1.0) {
            if fc < fd {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = cost(c)?;
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = cost(d)?;
            }
        }
        let q = 0.5 * (a + b);
        // A minimum at an end of the bracket means the bracket was too narrow.
        if (hi - q) < 1e-6 * hi {
            hi *= 2.0;
            continue;
        }
        if (q - lo) < 1e-6 * hi && lo > 1e-9 {
            lo /= 4.0;
            continue;
        }
        return Ok((r_for(q), q, cost(q)?));
    }
    let q = 0.5 * (lo + hi);
    Ok((r_for(q), q, cost(q)?))
}

impl Policy for ContinuousReview {
    fn name(&self) -> &'static str {
        "r_q"
    }

    fn decide(&self, item: &Item) -> Result<Outcome, String> {
        let per = item.plan.period.as_str();
        if item.lead_time <= 0.0 {
            return Err("r_q is continuous review over a positive lead time; this item's lead time is 0 days: use base_stock or eoq".into());
        }
        let mut notes = Vec::new();
        let ltd = LeadTimeDemand::of(item, &mut notes)?;
        if ltd.rate <= 0.0 {
            return Err("no demand over the lead time: (r, Q) is undefined".into());
        }
        let costs = item.costs;
        let err = |e: TextbookError| e.to_string();
        let poisson = matches!(ltd.horizon, Horizon::Poisson { .. });
        let integer = poisson || item.config.integer_units;
        let mut how = String::new();
        let (r, q) = match item.target.target {
            Target::Costs => {
                let h = costs.need_holding("target = \"costs\"")?;
                let p = costs.need_stockout("target = \"costs\"")?;
                let k = costs.need_ordering("r_q")?;
                let method = self.method.unwrap_or(Method::Exact);
                let (rate, l) = (ltd.rate, ltd.lead_time);
                if poisson && method == Method::Exact {
                    let s = rq::r_q_poisson_exact(h, p, k, rate, l).map_err(err)?;
                    how.push_str("the exact optimum for Poisson demand (r_q_poisson_exact)");
                    (s.reorder_point as f64, s.order_quantity as f64)
                } else {
                    let sd = if poisson {
                        notes.push(format!(
                            "method = \"{}\" runs on the normal N(λ, λ) for Poisson demand",
                            method.as_str()
                        ));
                        rate.sqrt()
                    } else {
                        ltd.sd
                    };
                    if sd <= 0.0 {
                        return Err("demand has no variability (σ = 0): use eoq".into());
                    }
                    let tol = 1e-6;
                    let policy = match method {
                        Method::Exact => {
                            let (r, q, _) = optimal_normal(h, p, k, rate, sd, l).map_err(err)?;
                            how.push_str("the exact optimum of g(r, Q) (eq. 5.7)");
                            rq::RqPolicy {
                                reorder_point: r,
                                order_quantity: q,
                            }
                        }
                        Method::Eoqss => {
                            how.push_str("the EOQ + SS approximation");
                            rq::r_q_eoqss_approximation(h, p, k, rate, sd, l).map_err(err)?
                        }
                        Method::Eoqb => {
                            how.push_str("the EOQB approximation");
                            rq::r_q_eoqb_approximation(h, p, k, rate, sd, l).map_err(err)?
                        }
                        Method::Eil => {
                            how.push_str("the expected-inventory-level approximation");
                            let s = rq::r_q_eil_approximation(h, p, k, rate, sd, l, tol)
                                .map_err(err)?;
                            rq::RqPolicy {
                                reorder_point: s.reorder_point,
                                order_quantity: s.order_quantity,
                            }
                        }
                        Method::LossFunction => {
                            how.push_str("the loss-function approximation");
                            rq::r_q_loss_function_approximation(h, p, k, rate, sd, l, tol)
                                .map_err(err)?
                        }
                        Method::Power => {
                            return Err("method = \"power\" is for s_s".into());
                        }
                    };
                    (policy.reorder_point, policy.order_quantity)
                }
            }
            Target::CycleServiceLevel(x) | Target::FillRate(x) => {
                let h = costs.need_holding("the lot Q (an EOQ)")?;
                let k = costs.need_ordering("the lot Q (an EOQ)")?;
                let eoq = eoq::economic_order_quantity(k, h, ltd.rate)
                    .map_err(err)?
                    .order_quantity;
                let q = if integer {
                    ceil_units(eoq).max(1.0)
                } else {
                    eoq
                };
                let r = if let Target::FillRate(beta) = item.target.target {
                    let (lo, hi) = search_bounds(&ltd.horizon);
                    smallest_level(lo - q, hi, poisson, beta, |r| ltd.fill_rate(r, q))
                } else {
                    ltd.horizon.quantile(x)
                };
                let _ = write!(
                    how,
                    "Q = EOQ √(2Kλ/h) = {} (K {}, h {}), r the least level meeting the target",
                    fmt(q),
                    fmt(k),
                    fmt(h)
                );
                (r, q)
            }
        };
        let (r, q) = if integer && !poisson {
            (ceil_units(r), ceil_units(q).max(1.0))
        } else {
            (r, q)
        };
        continuous_outcome(item, &ltd, r, q, how, notes, per)
    }
}

/// The outcome of a continuous-review policy with reorder point `r` and lot `q` (before MOQ and
/// case packs), shared with `eoq`.
pub(crate) fn continuous_outcome(
    item: &Item,
    ltd: &LeadTimeDemand,
    r: f64,
    q: f64,
    how: String,
    notes: Vec<String>,
    per: &str,
) -> Result<Outcome, String> {
    let costs = item.costs;
    let lot = round_order(q, item.stock, item.config.integer_units)?;
    let position = item.position();
    let csl = ltd.horizon.cdf(r);
    let fill = ltd.fill_rate(r, lot.quantity);
    let cost = match (costs.holding, costs.stockout, costs.ordering) {
        (Some(h), Some(p), Some(k)) => ltd.cost(r, lot.quantity, h, p, k),
        _ => None,
    };
    let safety_stock = r - ltd.horizon.mean();
    let mut why = String::new();
    let _ = write!(
        why,
        "{}; lead-time demand {} ± {} ({}). ",
        item.lead_time_text(None),
        fmt(ltd.horizon.mean()),
        fmt(ltd.horizon.std_dev()),
        ltd.horizon.name()
    );
    let _ = write!(
        why,
        "(r, Q) = ({}, {}) for {}: {how}; safety stock {}",
        fmt(r),
        fmt(q),
        item.target.describe(&costs, per),
        fmt(safety_stock)
    );
    if !lot.steps.is_empty() {
        let _ = write!(
            why,
            "; lot {} ({})",
            fmt(lot.quantity),
            lot.steps.join(", ")
        );
    }
    why.push('.');
    why.push_str(&item.position_text());
    let (order_quantity, lots) = lots_to_order(position, r, lot.quantity);
    let mut marginal = None;
    if order_quantity > 0.0 {
        let _ = write!(why, " is at or below r: order {}", fmt(order_quantity));
        if lots > 1.0 {
            let _ = write!(why, " ({lots} lots of {})", fmt(lot.quantity));
        }
        why.push('.');
        marginal = marginal_of(item, &ltd.horizon, vec![lot.quantity; lots as usize]);
    } else {
        why.push_str(" is above r: no order.");
    }
    let _ = write!(
        why,
        " Expected: cycle service level {}, fill rate {}",
        percent(csl),
        percent(fill)
    );
    if let Some(c) = cost {
        let _ = write!(why, ", cost {} per {per}", fmt(c));
    }
    why.push('.');
    Ok(Outcome {
        reorder_point: r,
        order_up_to: r + lot.quantity,
        safety_stock,
        order_quantity,
        expected_cycle_service_level: csl,
        expected_fill_rate: Some(fill),
        expected_cost_per_period: cost,
        stockout_risk: 1.0 - ltd.horizon.cdf(position),
        mean_per_period: ltd.rate,
        rationale: why,
        notes,
        marginal,
    })
}
