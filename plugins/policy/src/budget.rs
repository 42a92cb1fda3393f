//! The budget-constrained purchase list: every unit the policies would order now, across all
//! items, ranked by its marginal value per currency unit spent, cut at the budget.
//!
//! The marginal value of raising an item's inventory position from y to y + Δ is the expected
//! stock-out cost it avoids minus the holding cost it adds over the item's protection period:
//! G(y) − G(y + Δ) with G(y) = h·E[(y − D)⁺] + p·E[(D − y)⁺] (the newsvendor cost of Snyder &
//! Shen, 2nd ed., ch. 4). G is convex, so an item's successive units are worth less and less,
//! and ranking all units by value per currency unit is the greedy solution of the budget
//! knapsack with a separable concave objective (the Lagrangian rule for multi-item budget
//! constraints, Silver, Pyke & Thomas, 4th ed., ch. 4 and 6). Units come in the pieces an order
//! is bought in: the MOQ (rounded to case packs) first, then case packs (or single units). The
//! list is cut at the first piece that no longer fits, so a cheaper piece ranked lower never
//! jumps the queue. Without a stock-out cost, p is the one implied by the item's service target,
//! h·α/(1 − α); without a holding cost, the value is the expected units short avoided.

use std::fmt::Write as _;

use restock_core::display::quantity as fmt;
use restock_core::{Action, Context, Decision, Severity};

use crate::horizon::Horizon;

/// What ranking one item's units needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Marginal {
    /// Demand over the item's protection period.
    pub horizon: Horizon,
    /// h per unit per period (0 when unknown).
    pub holding: f64,
    /// p per unit (given or implied; 1 when the value is in units short).
    pub stockout: f64,
    /// The pieces the order is bought in, in buying order; they sum to the order quantity.
    pub pieces: Vec<f64>,
}

struct Candidate {
    decision: usize,
    piece: usize,
    units: f64,
    cost: f64,
    value: f64,
}

/// Cuts `decisions`' orders to `limit` currency units. `marginals[i]` belongs to
/// `decisions[i]`: the ranking basis and the unit cost.
pub fn apply(
    limit: f64,
    decisions: &mut [Decision],
    marginals: &[(Option<Marginal>, Option<f64>)],
    ctx: &Context,
) {
    let mut candidates = Vec::new();
    let mut unpriced = Vec::new();
    for (i, (decision, (marginal, unit_cost))) in decisions.iter().zip(marginals).enumerate() {
        if decision.order_quantity <= 0.0 {
            continue;
        }
        let (Some(m), Some(c)) = (marginal, unit_cost) else {
            unpriced.push(i);
            continue;
        };
        let g = |y: f64| m.horizon.newsvendor_cost(y, m.holding, m.stockout);
        let mut y = decision.inventory_position;
        for (piece, &units) in m.pieces.iter().enumerate() {
            let value = g(y) - g(y + units);
            candidates.push(Candidate {
                decision: i,
                piece,
                units,
                cost: units * c,
                value: value / (units * c),
            });
            y += units;
        }
    }
    candidates.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(
                decisions[a.decision]
                    .product_id
                    .cmp(&decisions[b.decision].product_id),
            )
            .then(a.piece.cmp(&b.piece))
    });
    let mut funded = vec![0.0; decisions.len()];
    let mut spend = 0.0;
    let mut cut_at = None;
    for (rank, c) in candidates.iter().enumerate() {
        if spend + c.cost > limit * (1.0 + 1e-12) {
            cut_at = Some(rank);
            break;
        }
        spend += c.cost;
        funded[c.decision] += c.units;
    }
    let last_value = match cut_at {
        Some(0) | None => candidates.last().map(|c| c.value),
        Some(rank) => Some(candidates[rank - 1].value),
    };
    for i in unpriced {
        let d = &mut decisions[i];
        let _ = write!(
            d.rationale,
            " Budget {}: not funded, the stock position has no unit_cost to price the order of {} against it.",
            fmt(limit),
            fmt(d.order_quantity)
        );
        ctx.report(
            Severity::Warning,
            Some(&d.product_id),
            None,
            "budget: no unit_cost in the stock position, so its order cannot be priced and is left out",
        );
        d.order_quantity = 0.0;
        d.action = Action::Hold;
    }
    let mut cut_items = 0;
    for (i, d) in decisions.iter_mut().enumerate() {
        if d.order_quantity <= 0.0 || marginals[i].1.is_none() || marginals[i].0.is_none() {
            continue;
        }
        let wanted = d.order_quantity;
        let got = funded[i];
        if got + 1e-9 < wanted {
            cut_items += 1;
            let _ = write!(
                d.rationale,
                " Budget {}: {} of the {} units funded (units ranked across items by expected stock-out cost avoided minus holding cost, per currency unit; the list was cut at {}); the levels above are the policy's, the inventory position after this order is {}.",
                fmt(limit),
                fmt(got),
                fmt(wanted),
                fmt(spend),
                fmt(d.inventory_position + got)
            );
            d.order_quantity = got;
            if got <= 0.0 {
                d.action = Action::Hold;
            }
        } else {
            let _ = write!(
                d.rationale,
                " Budget {}: funded in full (spend on all items {}).",
                fmt(limit),
                fmt(spend)
            );
        }
    }
    ctx.report(
        Severity::Info,
        None,
        None,
        format!(
            "budget {}: spend {} of it; {} items' orders cut{}",
            fmt(limit),
            fmt(spend),
            cut_items,
            match (cut_at, last_value) {
                (Some(_), Some(v)) =>
                    format!(", the last unit funded was worth {v:.4} per currency unit"),
                _ => String::new(),
            }
        ),
    );
}
