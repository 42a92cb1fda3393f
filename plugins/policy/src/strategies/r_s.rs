//! Periodic review with an order-up-to level: the (R, S) policy, and base stock as its R = 1
//! case.
//!
//! Every R periods the inventory position is raised to S. With a lead time of L periods
//! (rounded up to whole periods), an order placed now is the last to arrive before the end of
//! period L + R, so S protects **L + R periods** of demand (Silver, Pyke & Thomas, 4th ed.,
//! ch. 6, the (R, S) system; base stock, R = 1, protects L + 1 periods: Snyder & Shen, 2nd ed.,
//! ch. 4). With D_n the demand over n periods:
//!
//! - cycle service level (no stock-out in a review cycle): P(D_{L+R} ≤ S);
//! - fill rate: 1 − (E[(D_{L+R} − S)⁺] − E[(D_L − S)⁺]) / E[demand in the R periods] — the
//!   backorders at the end of the cycle minus those already there when the order arrived
//!   (Silver, Pyke & Thomas ch. 6, the exact expected shortage per replenishment cycle);
//! - cost per period: (1/R)·Σ_{k=1..R} G_{L+k}(S), G_n(y) = h·E[(y − D_n)⁺] + p·E[(D_n − y)⁺],
//!   plus K/R when an ordering cost is known and R > 1 (one order per review);
//! - under `target = "costs"`, S minimises that cost: the smallest S with
//!   (1/R)·Σ_k P(D_{L+k} ≤ S) ≥ p/(p + h); for R = 1 the newsvendor critical fractile, computed
//!   by the textbook functions (`newsvendor_normal`, `newsvendor_poisson`, `newsvendor_discrete`).

use std::fmt::Write as _;

use restock_core::display::{percent, quantity as fmt};

use super::{Item, Outcome, Policy, cycle_mean};
use crate::budget::Marginal;
use crate::config::Target;
use crate::demand::count;
use crate::horizon::{Horizon, smallest_level};
use crate::ordering::{ceil_units, pieces, round_order};
use crate::textbook::newsvendor;

/// The `r_s` policy: review every `review_period` periods, order up to S.
#[derive(Debug, Clone, Copy)]
pub struct ReviewOrderUpTo {
    /// R, periods.
    pub review_period: u32,
}

impl Policy for ReviewOrderUpTo {
    fn name(&self) -> &'static str {
        "r_s"
    }

    fn decide(&self, item: &Item) -> Result<Outcome, String> {
        order_up_to(item, self.review_period as usize, "r_s")
    }
}

/// Decides an order-up-to policy with review period `r` (1 = base stock).
pub(crate) fn order_up_to(item: &Item, r: usize, name: &str) -> Result<Outcome, String> {
    let plan = item.plan;
    let per = plan.period.as_str();
    let l = item.lead_time_periods();
    let mut notes = Vec::new();
    let lead = plan.horizon(0, l as f64, item.lead_time_sd, &mut notes)?;
    // D_{L+k} for k = 1 … R; the last is the protection period.
    let spans = (1..=r)
        .map(|k| plan.horizon(0, (l + k) as f64, item.lead_time_sd, &mut notes))
        .collect::<Result<Vec<Horizon>, String>>()?;
    let protection = spans.last().expect("R ≥ 1");
    let cycle = cycle_mean(protection, &lead);
    let discrete = protection.is_discrete();
    let integer = discrete || item.config.integer_units;
    let costs = item.costs;

    let fill = |s: f64| {
        if cycle > 0.0 {
            1.0 - (protection.shortage(s) - lead.shortage(s)) / cycle
        } else {
            1.0
        }
    };
    let (lo, hi) = search_bounds(protection);
    let mut how = String::new();
    let raw = match item.target.target {
        Target::CycleServiceLevel(alpha) => {
            let s = protection.quantile(alpha);
            let _ = write!(how, "the {} quantile of that demand", percent(alpha));
            s
        }
        Target::FillRate(beta) => {
            let _ = write!(
                how,
                "the least level whose fill rate 1 − (n_L+{}(S) − n_L(S)) / demand per cycle reaches {}",
                if name == "base_stock" { "1" } else { "R" },
                percent(beta)
            );
            smallest_level(lo, hi, discrete, beta, fill)
        }
        Target::Costs => {
            let (h, p) = (
                costs.need_holding("target = \"costs\"")?,
                costs.need_stockout("target = \"costs\"")?,
            );
            let ratio = p / (p + h);
            if r == 1 {
                let _ = write!(
                    how,
                    "the newsvendor critical fractile p/(p + h) = {}",
                    percent(ratio)
                );
                newsvendor_level(protection, h, p)?
            } else {
                let _ = write!(
                    how,
                    "the least level with mean P(D_L+k ≤ S) over the {r} periods ≥ p/(p + h) = {}",
                    percent(ratio)
                );
                smallest_level(lo, hi, discrete, ratio, |s| {
                    spans.iter().map(|h| h.cdf(s)).sum::<f64>() / r as f64
                })
            }
        }
    };
    let level = if integer && !discrete {
        ceil_units(raw)
    } else {
        raw
    };

    let position = item.position();
    let csl = protection.cdf(level);
    let fill_rate = (cycle > 0.0).then(|| fill(level));
    let cost = match (costs.holding, costs.stockout) {
        (Some(h), Some(p)) if r == 1 => Some(newsvendor_cost(protection, level, h, p)?),
        (Some(h), Some(p)) => {
            let holding_and_shortage = spans
                .iter()
                .map(|s| s.newsvendor_cost(level, h, p))
                .sum::<f64>()
                / r as f64;
            Some(holding_and_shortage + costs.ordering.unwrap_or(0.0) / r as f64)
        }
        _ => None,
    };
    let safety_stock = level - protection.mean();
    let mut why = String::new();
    let _ = write!(
        why,
        "{}; protection period L + {} = {}: demand {} ± {} ({}). ",
        item.lead_time_text(Some(l)),
        if name == "base_stock" { "1" } else { "R" },
        count((l + r) as f64, plan.period),
        fmt(protection.mean()),
        fmt(protection.std_dev()),
        protection.name()
    );
    let label = if name == "base_stock" {
        "Base-stock level"
    } else {
        "Order-up-to level"
    };
    let _ = write!(
        why,
        "{label} S {} for {}: {how}; safety stock {}.",
        fmt(level),
        item.target.describe(&costs, per),
        fmt(safety_stock)
    );
    why.push_str(&item.position_text());
    let mut order_quantity = 0.0;
    let mut marginal = None;
    if position < level {
        let rounded = round_order(level - position, item.stock, item.config.integer_units)?;
        order_quantity = rounded.quantity;
        let _ = write!(
            why,
            " is below S: order {} (S − position {}",
            fmt(order_quantity),
            fmt(level - position)
        );
        for step in &rounded.steps {
            let _ = write!(why, ", {step}");
        }
        why.push_str(").");
        marginal = marginal_of(
            item,
            protection,
            pieces(order_quantity, rounded.minimum, rounded.step),
        );
    } else {
        why.push_str(" is at or above S: no order.");
    }
    let _ = write!(why, " Expected: cycle service level {}", percent(csl));
    if let Some(f) = fill_rate {
        let _ = write!(why, ", fill rate {}", percent(f));
    }
    if let Some(c) = cost {
        let _ = write!(why, ", cost {} per {per}", fmt(c));
    }
    why.push('.');
    if name == "base_stock" && costs.ordering.is_some_and(|k| k > 0.0) {
        why.push_str(
            " Base stock orders every period and leaves out the ordering cost; s_s weighs it.",
        );
    }
    Ok(Outcome {
        reorder_point: level,
        order_up_to: level,
        safety_stock,
        order_quantity,
        expected_cycle_service_level: csl,
        expected_fill_rate: fill_rate,
        expected_cost_per_period: cost,
        stockout_risk: 1.0 - lead.cdf(position),
        mean_per_period: protection.mean() / (l + r) as f64,
        rationale: why,
        notes,
        marginal,
    })
}

/// Levels between which a service-level search runs: where the shortfall is certain and where
/// it is (nearly) impossible.
pub(crate) fn search_bounds(horizon: &Horizon) -> (f64, f64) {
    match horizon.pmf() {
        Some(pmf) => (-1.0, (pmf.probabilities().len() + 1) as f64),
        None => {
            let (m, s) = (horizon.mean(), horizon.std_dev());
            (m - 12.0 * s - 1.0, m + 12.0 * s + 1.0)
        }
    }
}

/// The newsvendor level on `protection` with the textbook functions.
pub(crate) fn newsvendor_level(protection: &Horizon, h: f64, p: f64) -> Result<f64, String> {
    let err = |e: crate::textbook::TextbookError| e.to_string();
    Ok(match protection {
        Horizon::Normal { mean, sd } if *sd > 0.0 && *mean > 0.0 => {
            newsvendor::newsvendor_normal(h, p, *mean, *sd, 0.0)
                .map_err(err)?
                .base_stock_level
        }
        Horizon::Normal { .. } => protection.quantile(p / (p + h)),
        Horizon::Poisson { mean, .. } if *mean > 0.0 => {
            newsvendor::newsvendor_poisson(h, p, *mean)
                .map_err(err)?
                .base_stock_level as f64
        }
        Horizon::Poisson { .. } => 0.0,
        Horizon::Discrete(pmf) => {
            newsvendor::newsvendor_discrete(h, p, pmf.probabilities())
                .map_err(err)?
                .base_stock_level as f64
        }
    })
}

/// The newsvendor cost g(S) = h·n̄(S) + p·n(S) on `protection` with the textbook functions.
pub(crate) fn newsvendor_cost(
    protection: &Horizon,
    level: f64,
    h: f64,
    p: f64,
) -> Result<f64, String> {
    let err = |e: crate::textbook::TextbookError| e.to_string();
    match protection {
        Horizon::Normal { mean, sd } if *sd > 0.0 && *mean > 0.0 => {
            newsvendor::newsvendor_normal_cost(level, h, p, *mean, *sd, 0.0).map_err(err)
        }
        Horizon::Poisson { mean, .. } if *mean > 0.0 && level.fract() == 0.0 => {
            newsvendor::newsvendor_poisson_cost(level as i64, h, p, *mean).map_err(err)
        }
        Horizon::Discrete(pmf) if level.fract() == 0.0 => {
            newsvendor::newsvendor_discrete_cost(level as i64, h, p, pmf.probabilities())
                .map_err(err)
        }
        _ => Ok(protection.newsvendor_cost(level, h, p)),
    }
}

/// The budget's basis for an item ordering `pieces` with protection-period demand `horizon`.
pub(crate) fn marginal_of(item: &Item, horizon: &Horizon, pieces: Vec<f64>) -> Option<Marginal> {
    let (holding, stockout) = match item.costs.holding {
        Some(h) => (h, item.target.implied_stockout_cost(&item.costs, h)?),
        None => (0.0, item.costs.stockout.unwrap_or(1.0)),
    };
    Some(Marginal {
        horizon: horizon.clone(),
        holding,
        stockout,
        pieces,
    })
}
