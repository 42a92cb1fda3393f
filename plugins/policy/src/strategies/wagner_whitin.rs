//! Wagner–Whitin lot sizing over the planner's known, time-varying demand plan (the means of
//! the planner's forecasts records or of an outlook forecast).
//!
//! The inventory position is netted against the plan period by period (MRP netting); an order
//! placed now arrives after the lead time L (rounded up to whole periods), so the first period
//! it can serve is L + 1 and net demand before it is a shortage no order can prevent (reported).
//! The net demand of periods L + 1 … T is lot-sized by Wagner & Whitin's dynamic programme
//! (`textbook::wagner_whitin`, Snyder & Shen, 2nd ed., ch. 3, Algorithm 3.1) with the fixed
//! cost K per order, holding cost h per unit per period and no purchase cost; the order now is
//! the plan's order for period L + 1 (lead-time offsetting), after MOQ and case packs.
//!
//! Deterministic plan: the safety stock is 0; the reorder point is the plan's demand through
//! period L + 1 (an order is due when the position is below it); the cycle service level is 1
//! when the position and the order cover the plan through L + 1 and 0 otherwise; the fill rate
//! is the share of planned demand through L + 1 met; the cost per period is θ₁ / (T − L).

use std::fmt::Write as _;

use restock_core::display::{percent, quantity as fmt};

use super::{Item, Outcome, Policy};
use crate::demand::{PlanSource, count};
use crate::ordering::round_order;
use crate::textbook::wagner_whitin::wagner_whitin;

/// The `wagner_whitin` policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct WagnerWhitin {
    /// Periods of the plan to lot-size (default: all).
    pub horizon: Option<u32>,
}

impl Policy for WagnerWhitin {
    fn name(&self) -> &'static str {
        "wagner_whitin"
    }

    fn decide(&self, item: &Item) -> Result<Outcome, String> {
        let plan = item.plan;
        let per = plan.period.as_str();
        if matches!(plan.source, PlanSource::Rate { .. }) {
            return Err("wagner_whitin needs a time-varying demand plan: a forecast model or forecasts records, not a constant rate".into());
        }
        let h = item.costs.need_holding("wagner_whitin")?;
        let k = item.costs.need_ordering("wagner_whitin")?;
        let periods = self.horizon.map_or(plan.periods.len(), |n| n as usize);
        let demand: Vec<f64> = (0..periods).map(|t| plan.at(t).mean()).collect();
        let l = item.lead_time_periods();
        if l >= periods {
            return Err(format!(
                "the plan's {} end within the lead time of {}: nothing left to lot-size",
                count(periods as f64, plan.period),
                count(l as f64, plan.period)
            ));
        }
        // MRP netting of the inventory position against the plan.
        let position = item.position();
        let mut available = position.max(0.0);
        let mut net = Vec::with_capacity(periods);
        for &d in &demand {
            let used = available.min(d);
            available -= used;
            net.push(d - used);
        }
        // Units already backordered are served when the order arrives.
        let backlog = (-position).max(0.0);
        net[l] += backlog;
        let unavoidable: f64 = net[..l].iter().sum::<f64>();
        let tail = &net[l..];
        let n = tail.len();
        let solution = wagner_whitin(&vec![h; n], &vec![k; n], tail, &vec![0.0; n])
            .map_err(|e| e.to_string())?;
        let planned = solution.order_quantities[0];
        let mut why = String::new();
        let _ = write!(
            why,
            "{}. Plan over {} from {}: {}.",
            item.lead_time_text(Some(l)),
            count(periods as f64, plan.period),
            plan.starts[0],
            demand
                .iter()
                .map(|d| fmt(*d))
                .collect::<Vec<_>>()
                .join(", ")
        );
        why.push_str(&item.position_text());
        let _ = write!(
            why,
            " nets the plan to {} from {per} {} on. Wagner–Whitin with K {}, h {} per unit per {per}: orders {} (cost {}).",
            tail.iter().map(|d| fmt(*d)).collect::<Vec<_>>().join(", "),
            l + 1,
            fmt(k),
            fmt(h),
            solution
                .order_quantities
                .iter()
                .map(|q| fmt(*q))
                .collect::<Vec<_>>()
                .join(", "),
            fmt(solution.cost)
        );
        let mut order_quantity = 0.0;
        if planned > 0.0 {
            let rounded = round_order(planned, item.stock, item.config.integer_units)?;
            order_quantity = rounded.quantity;
            let _ = write!(
                why,
                " Order now {} for {per} {}",
                fmt(order_quantity),
                l + 1
            );
            if !rounded.steps.is_empty() {
                let _ = write!(why, " ({})", rounded.steps.join(", "));
            }
            why.push('.');
        } else {
            let _ = write!(why, " No order due now for {per} {}.", l + 1);
        }
        if unavoidable > 0.0 {
            let _ = write!(
                why,
                " {} units of planned demand before an order can arrive are short.",
                fmt(unavoidable)
            );
        }
        let through: f64 = demand[..=l].iter().sum::<f64>() + backlog;
        let fill = if through > 0.0 {
            1.0 - (unavoidable + net[l] - order_quantity.min(net[l])).max(0.0) / through
        } else {
            1.0
        };
        let covered = unavoidable <= 0.0 && order_quantity + 1e-9 >= net[l];
        let _ = write!(
            why,
            " Expected (deterministic plan): {} of demand through {per} {} met.",
            percent(fill.clamp(0.0, 1.0)),
            l + 1
        );
        Ok(Outcome {
            reorder_point: through,
            order_up_to: position + order_quantity,
            safety_stock: 0.0,
            order_quantity,
            expected_cycle_service_level: if covered { 1.0 } else { 0.0 },
            expected_fill_rate: Some(fill.clamp(0.0, 1.0)),
            expected_cost_per_period: Some(solution.cost / n as f64),
            stockout_risk: if unavoidable > 0.0 { 1.0 } else { 0.0 },
            mean_per_period: demand.iter().sum::<f64>() / periods as f64,
            rationale: why,
            notes: Vec::new(),
            marginal: None,
        })
    }
}
