//! The EOQ family as the lot size of a continuous-review reorder-point policy.
//!
//! The lot Q comes from the chosen deterministic model on the mean demand rate λ per period
//! (Snyder & Shen, 2nd ed., ch. 3; `textbook::eoq`): `basic` √(2Kλ/h); `backorders` with
//! planned backorders √(2Kλ(h + p)/(hp)); `production` the EPQ √(2Kλ/(h(1 − λ/μ))); all-units
//! or incremental quantity discounts from `breakpoints` and `unit_costs` with the holding rate
//! i per period (the stock position's annual `holding_cost_rate` × days per period / 365.25).
//! The reorder point protects lead-time demand as in `r_q`: the target's quantile, the least r
//! with fill rate 1 − (n(r) − n(r + Q))/Q ≥ β, or under `target = "costs"` the EOQ + SS level
//! F⁻¹(p/(p + h)) (Snyder & Shen eq. (5.21)). The reported cost is the exact (r, Q) cost
//! g(r, Q) (holding + stock-out + ordering, no purchase cost); the rationale also gives the
//! lot model's own cost.

use std::fmt::Write as _;

use restock_core::display::quantity as fmt;

use super::r_q::{LeadTimeDemand, continuous_outcome};
use super::r_s::search_bounds;
use super::{Item, Outcome, Policy};
use crate::config::{EoqVariant, Target};
use crate::horizon::smallest_level;
use crate::ordering::ceil_units;
use crate::textbook::{TextbookError, eoq};

/// The `eoq` policy.
#[derive(Debug, Clone, Default)]
pub struct EconomicOrderQuantity {
    /// The lot-size model (default basic).
    pub variant: Option<EoqVariant>,
    /// Units produced per period (`production`).
    pub production_rate: Option<f64>,
    /// Quantity breakpoints (discounts).
    pub breakpoints: Vec<f64>,
    /// Unit cost from each breakpoint (discounts).
    pub unit_costs: Vec<f64>,
}

impl Policy for EconomicOrderQuantity {
    fn name(&self) -> &'static str {
        "eoq"
    }

    fn decide(&self, item: &Item) -> Result<Outcome, String> {
        let per = item.plan.period.as_str();
        let mut notes = Vec::new();
        let ltd = LeadTimeDemand::of(item, &mut notes)?;
        let rate = ltd.rate;
        if rate <= 0.0 {
            return Err("no demand: the EOQ is undefined".into());
        }
        let costs = item.costs;
        let err = |e: TextbookError| e.to_string();
        let k = costs.need_ordering("eoq")?;
        let variant = self.variant.unwrap_or(EoqVariant::Basic);
        let mut how = String::new();
        let q = match variant {
            EoqVariant::Basic => {
                let h = costs.need_holding("eoq")?;
                let s = eoq::economic_order_quantity(k, h, rate).map_err(err)?;
                let _ = write!(
                    how,
                    "Q = EOQ √(2Kλ/h) with K {}, λ {} per {per}, h {} (lot cost {} per {per})",
                    fmt(k),
                    fmt(rate),
                    fmt(h),
                    fmt(s.cost)
                );
                s.order_quantity
            }
            EoqVariant::Backorders => {
                let h = costs.need_holding("eoq")?;
                let p = costs.need_stockout("variant = \"backorders\"")?;
                let s = eoq::economic_order_quantity_with_backorders(k, h, p, rate).map_err(err)?;
                let _ = write!(
                    how,
                    "Q = EOQ with planned backorders √(2Kλ(h + p)/(hp)) with K {}, λ {}, h {}, p {} (planned stock-out fraction {:.3}, lot cost {} per {per})",
                    fmt(k),
                    fmt(rate),
                    fmt(h),
                    fmt(p),
                    s.stockout_fraction,
                    fmt(s.cost)
                );
                s.order_quantity
            }
            EoqVariant::Production => {
                let h = costs.need_holding("eoq")?;
                let mu = self.production_rate.unwrap_or_default();
                let s = eoq::economic_production_quantity(k, h, rate, mu).map_err(err)?;
                let _ = write!(
                    how,
                    "Q = EPQ √(2Kλ/(h(1 − λ/μ))) with K {}, λ {}, h {}, production {} per {per} (lot cost {} per {per})",
                    fmt(k),
                    fmt(rate),
                    fmt(h),
                    fmt(mu),
                    fmt(s.cost)
                );
                s.order_quantity
            }
            EoqVariant::AllUnitsDiscounts | EoqVariant::IncrementalDiscounts => {
                let annual = item.stock.holding_cost_rate.filter(|r| *r > 0.0).ok_or_else(|| {
                    format!(
                        "{}: quantity discounts need the stock position's holding_cost_rate (the holding cost is a share of the discounted unit cost)",
                        item.stock.provenance
                    )
                })?;
                let i = annual * item.plan.period.mean_days() / 365.25;
                let all_units = variant == EoqVariant::AllUnitsDiscounts;
                let s = if all_units {
                    eoq::economic_order_quantity_with_all_units_discounts(
                        k,
                        i,
                        rate,
                        &self.breakpoints,
                        &self.unit_costs,
                    )
                } else {
                    eoq::economic_order_quantity_with_incremental_discounts(
                        k,
                        i,
                        rate,
                        &self.breakpoints,
                        &self.unit_costs,
                    )
                }
                .map_err(err)?;
                let _ = write!(
                    how,
                    "Q = the {} quantity-discount optimum with K {}, λ {}, holding rate {:.6} per {per}: unit cost {} from {} units (cost incl. purchase {} per {per})",
                    if all_units {
                        "all-units"
                    } else {
                        "incremental"
                    },
                    fmt(k),
                    fmt(rate),
                    i,
                    fmt(self.unit_costs[s.region]),
                    fmt(self.breakpoints[s.region]),
                    fmt(s.cost)
                );
                s.order_quantity
            }
        };
        let poisson = ltd.horizon.is_discrete();
        let integer = poisson || item.config.integer_units;
        let q = if integer { ceil_units(q).max(1.0) } else { q };
        let r = match item.target.target {
            Target::CycleServiceLevel(alpha) => ltd.horizon.quantile(alpha),
            Target::FillRate(beta) => {
                let (lo, hi) = search_bounds(&ltd.horizon);
                smallest_level(lo - q, hi, poisson, beta, |r| ltd.fill_rate(r, q))
            }
            Target::Costs => {
                let h = costs.need_holding("target = \"costs\"")?;
                let p = costs.need_stockout("target = \"costs\"")?;
                ltd.horizon.quantile(p / (p + h))
            }
        };
        let _ = write!(how, "; r protects the lead-time demand");
        let r = if integer && !poisson {
            ceil_units(r)
        } else {
            r
        };
        continuous_outcome(item, &ltd, r, q, how, notes, per)
    }
}
