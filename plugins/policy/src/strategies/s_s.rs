//! The (s, S) policy: review every period; when the inventory position is at or below s,
//! order up to S.
//!
//! With a lead time of L periods (rounded up), G is taken on demand over the protection period
//! of L + 1 periods and the renewal quantities on one period's demand (Zheng & Federgruen 1991,
//! §1; `textbook::ss`).
//!
//! - `target = "costs"`, count demand (Poisson, negative binomial, empirical): the exact optimum
//!   by Zheng & Federgruen's search (`method = "exact"`, the default there), with its exact cost.
//! - `target = "costs"`, normal demand: the power approximation of Ehrhardt & Mosier (1984),
//!   Snyder & Shen eqs. (4.77)–(4.80) with μ_L, σ_L over L + 1 periods (`method = "power"`, the
//!   default there); when Q/σ_L ≤ 1.5, s and S are capped at the newsvendor level S₀ of the
//!   protection period, as Ehrhardt & Mosier's rule does (Silver, Pyke & Thomas, 4th ed., ch. 6).
//! - service targets: S − s is the EOQ √(2Kμ/h) (whole units), and s the least level meeting
//!   the target (Silver, Pyke & Thomas ch. 6 set (s, S) this way).
//!
//! Expected service: for count demand, exact from the stationary inventory position — with
//! m(j) the expected periods per cycle at S − j and M = Σm(j), the position after ordering is
//! S − j with probability m(j)/M; the fill rate is 1 − Σ_j (m(j)/M)·(n_{L+1}(S − j) −
//! n_L(S − j))/μ, and the cycle service level is P(no backorder when the next order arrives) =
//! Σ_y P(U = y)·P(D_L ≤ y) over the undershoot U (the position at which an order is placed),
//! P(U = y) = Σ_j m(j)·f(S − j − y) for y ≤ s. For normal demand (no closed form): the cycle
//! service level P(D_{L+1} ≤ s), which counts one period's demand for the undershoot as Silver,
//! Pyke & Thomas do for (R, s, S), and a fill rate with the position uniform on [s, S]:
//! 1 − [(n²_{L+1}(s) − n²_{L+1}(S)) − (n²_L(s) − n²_L(S))]/(Qμ), n² the second-order loss
//! function.

use std::fmt::Write as _;

use restock_core::display::{percent, quantity as fmt};

use super::r_s::{marginal_of, search_bounds};
use super::{Item, Outcome, Policy};
use crate::config::{Method, Target};
use crate::demand::count;
use crate::horizon::{Horizon, Pmf, smallest_level};
use crate::ordering::{ceil_units, pieces, round_order};
use crate::textbook::ss;

/// The `s_s` policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReorderOrderUpTo {
    /// `method`; by default exact for count demand, power for normal.
    pub method: Option<Method>,
}

/// Cycle service level and fill rate of (s, S).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Service {
    /// P(no stock-out in a cycle).
    pub cycle_service_level: f64,
    /// Share of demand met from stock.
    pub fill_rate: f64,
}

/// Exact service of integer (s, S) for count demand: `period` one period's pmf, `protection`
/// and `lead` demand over L + 1 and L periods.
pub fn exact_service(
    period: &Pmf,
    protection: &Horizon,
    lead: &Horizon,
    s: i64,
    big_s: i64,
) -> Service {
    let q = (big_s - s).max(1) as usize;
    let f = period.probabilities();
    let mut padded = f.to_vec();
    if padded.len() < q {
        padded.resize(q, 0.0);
    }
    let m = ss::renewal(&padded, q);
    let total: f64 = m.iter().sum();
    let mut shortage = 0.0;
    let (mut covered, mut weight) = (0.0, 0.0);
    for (j, &mj) in m.iter().enumerate() {
        let y = (big_s - j as i64) as f64;
        shortage += mj / total * (protection.shortage(y) - lead.shortage(y));
        // Leaving S − j for the undershoot point u = S − j − d ≤ s.
        let first = (big_s - j as i64 - s).max(0) as usize;
        for (d, &fd) in f.iter().enumerate().skip(first) {
            let w = mj * fd;
            weight += w;
            covered += w * lead.cdf(y - d as f64);
        }
    }
    let mean = period.mean();
    Service {
        cycle_service_level: if weight > 0.0 { covered / weight } else { 1.0 },
        fill_rate: if mean > 0.0 {
            1.0 - shortage / mean
        } else {
            1.0
        },
    }
}

/// Approximate service of (s, S) for normal demand (see the module docs).
pub fn normal_service(
    protection: &Horizon,
    lead: &Horizon,
    mean: f64,
    s: f64,
    big_s: f64,
) -> Service {
    let q = big_s - s;
    let shortage = if q > 1e-12 {
        ((protection.second_shortage(s) - protection.second_shortage(big_s))
            - (lead.second_shortage(s) - lead.second_shortage(big_s)))
            / q
    } else {
        protection.shortage(big_s) - lead.shortage(big_s)
    };
    Service {
        cycle_service_level: protection.cdf(s),
        fill_rate: if mean > 0.0 {
            1.0 - shortage / mean
        } else {
            1.0
        },
    }
}

impl Policy for ReorderOrderUpTo {
    fn name(&self) -> &'static str {
        "s_s"
    }

    fn decide(&self, item: &Item) -> Result<Outcome, String> {
        let plan = item.plan;
        let per = plan.period.as_str();
        let l = item.lead_time_periods();
        let mut notes = Vec::new();
        let lead = plan.horizon(0, l as f64, item.lead_time_sd, &mut notes)?;
        let protection = plan.horizon(0, (l + 1) as f64, item.lead_time_sd, &mut notes)?;
        let period = plan.stationary(l + 1, &mut notes)?;
        let discrete = protection.pmf().is_some() && period.pmf().is_some();
        let mean = protection.mean() / (l + 1) as f64;
        let costs = item.costs;
        let service = |s: f64, big_s: f64| match (discrete, period.pmf()) {
            (true, Some(f)) => exact_service(f, &protection, &lead, s as i64, big_s as i64),
            _ => normal_service(&protection, &lead, mean, s, big_s),
        };
        let mut how = String::new();
        let mut exact_cost = None;
        let (s, big_s) = match item.target.target {
            Target::Costs => {
                let h = costs.need_holding("target = \"costs\"")?;
                let p = costs.need_stockout("target = \"costs\"")?;
                let k = costs.need_ordering("s_s")?;
                let method = self.method.unwrap_or(if discrete {
                    Method::Exact
                } else {
                    Method::Power
                });
                if method == Method::Exact {
                    if !discrete {
                        return Err("method = \"exact\" needs count demand (poisson, negative_binomial or empirical); this item's demand is normal: use method = \"power\"".into());
                    }
                    if mean <= 0.0 {
                        return Err(
                            "no demand over the protection period: (s, S) is undefined".into()
                        );
                    }
                    let err = |e: crate::textbook::TextbookError| e.to_string();
                    let solution = match (&period, &protection) {
                        (Horizon::Poisson { mean: lambda, .. }, Horizon::Poisson { .. }) => {
                            ss::s_s_discrete_exact_poisson_lead_time(h, p, k, *lambda, l as u32)
                        }
                        _ => ss::s_s_discrete_exact_lead_time_pmf(
                            h,
                            p,
                            k,
                            period.pmf().expect("count").probabilities(),
                            protection.pmf().expect("count").probabilities(),
                        ),
                    }
                    .map_err(err)?;
                    exact_cost = Some(solution.cost);
                    how.push_str("the exact optimum (Zheng & Federgruen 1991)");
                    (
                        solution.reorder_point as f64,
                        solution.order_up_to_level as f64,
                    )
                } else {
                    let sd = protection.std_dev();
                    if !(sd > 0.0 && mean > 0.0) {
                        return Err("the power approximation needs demand with a positive mean and standard deviation".into());
                    }
                    let a = ss::s_s_power_approximation_lead_time(
                        h,
                        p,
                        k,
                        mean,
                        sd / ((l + 1) as f64).sqrt(),
                        l as f64,
                    )
                    .map_err(|e| e.to_string())?;
                    let q = a.order_up_to_level - a.reorder_point;
                    let _ = write!(
                        how,
                        "the power approximation (Ehrhardt & Mosier 1984): s {}, Q {}",
                        fmt(a.reorder_point),
                        fmt(q)
                    );
                    if q / sd > 1.5 {
                        (a.reorder_point, a.order_up_to_level)
                    } else {
                        let cap = protection.quantile(p / (p + h));
                        let _ = write!(
                            how,
                            ", capped at the newsvendor level {} as Q/σ = {:.2} ≤ 1.5",
                            fmt(cap),
                            q / sd
                        );
                        (a.reorder_point.min(cap), a.order_up_to_level.min(cap))
                    }
                }
            }
            Target::CycleServiceLevel(x) | Target::FillRate(x) => {
                let h = costs.need_holding("the lot S − s (an EOQ)")?;
                let k = costs.need_ordering("the lot S − s (an EOQ)")?;
                if mean <= 0.0 {
                    return Err("no demand over the protection period: (s, S) is undefined".into());
                }
                let eoq = (2.0 * k * mean / h).sqrt();
                let q = if discrete || item.config.integer_units {
                    ceil_units(eoq).max(1.0)
                } else {
                    eoq
                };
                let fill = matches!(item.target.target, Target::FillRate(_));
                let (lo, hi) = search_bounds(&protection);
                let s = smallest_level(lo - q, hi, discrete, x, |s| {
                    let r = service(s, s + q);
                    if fill {
                        r.fill_rate
                    } else {
                        r.cycle_service_level
                    }
                });
                let _ = write!(
                    how,
                    "S − s = EOQ √(2Kμ/h) = {} (K {}, h {}), s the least level meeting the target",
                    fmt(q),
                    fmt(k),
                    fmt(h)
                );
                (s, s + q)
            }
        };
        let (s, big_s) = if !discrete && item.config.integer_units {
            (ceil_units(s), ceil_units(big_s))
        } else {
            (s, big_s)
        };
        let result = service(s, big_s);
        let cost = match (costs.holding, costs.stockout, costs.ordering, discrete) {
            (Some(h), Some(p), Some(k), true) if k > 0.0 && big_s > s => Some(match exact_cost {
                Some(c) => c,
                None => match (&period, &protection) {
                    (Horizon::Poisson { mean: lambda, .. }, Horizon::Poisson { .. }) => {
                        ss::s_s_cost_poisson_lead_time(
                            s as i64,
                            big_s as i64,
                            h,
                            p,
                            k,
                            *lambda,
                            l as u32,
                        )
                    }
                    _ => ss::s_s_cost_lead_time_pmf(
                        s as i64,
                        big_s as i64,
                        h,
                        p,
                        k,
                        period.pmf().expect("count").probabilities(),
                        protection.pmf().expect("count").probabilities(),
                    ),
                }
                .map_err(|e| e.to_string())?,
            }),
            _ => None,
        };
        if !discrete {
            notes.push("normal (s, S) has no closed-form cost or service: the expected cost is left out and the service figures are approximations".into());
        }
        let safety_stock = s - protection.mean();
        let position = item.position();
        let mut why = String::new();
        let _ = write!(
            why,
            "{}; protection period L + 1 = {}: demand {} ± {} ({}). ",
            item.lead_time_text(Some(l)),
            count((l + 1) as f64, plan.period),
            fmt(protection.mean()),
            fmt(protection.std_dev()),
            protection.name()
        );
        let _ = write!(
            why,
            "(s, S) = ({}, {}) for {}: {how}; safety stock {}.",
            fmt(s),
            fmt(big_s),
            item.target.describe(&costs, per),
            fmt(safety_stock)
        );
        why.push_str(&item.position_text());
        let mut order_quantity = 0.0;
        let mut marginal = None;
        if position <= s {
            let rounded = round_order(big_s - position, item.stock, item.config.integer_units)?;
            order_quantity = rounded.quantity;
            let _ = write!(
                why,
                " is at or below s: order {} (S − position {}",
                fmt(order_quantity),
                fmt(big_s - position)
            );
            for step in &rounded.steps {
                let _ = write!(why, ", {step}");
            }
            why.push_str(").");
            marginal = marginal_of(
                item,
                &protection,
                pieces(order_quantity, rounded.minimum, rounded.step),
            );
        } else {
            why.push_str(" is above s: no order.");
        }
        let _ = write!(
            why,
            " Expected: cycle service level {}, fill rate {}",
            percent(result.cycle_service_level),
            percent(result.fill_rate)
        );
        if let Some(c) = cost {
            let _ = write!(why, ", cost {} per {per}", fmt(c));
        }
        why.push('.');
        Ok(Outcome {
            reorder_point: s,
            order_up_to: big_s,
            safety_stock,
            order_quantity,
            expected_cycle_service_level: result.cycle_service_level,
            expected_fill_rate: (mean > 0.0).then_some(result.fill_rate),
            expected_cost_per_period: cost,
            stockout_risk: 1.0 - lead.cdf(position),
            mean_per_period: mean,
            rationale: why,
            notes,
            marginal,
        })
    }
}
