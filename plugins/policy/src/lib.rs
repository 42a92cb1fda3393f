//! Replenishment strategies for Restock: from an item's demand and stock position to a
//! decision — reorder point or order-up-to level, order quantity, safety stock, expected
//! service and cost, rationale.
//!
//! Strategy types registered by [`register`]:
//! - `reorder_point`: continuous review, normal approximation of lead-time demand with lead-time
//!   variability, EOQ or review-period cover for the order quantity, MOQ and case-pack rounding;
//! - the textbook policies ([`strategies`]): `base_stock`, `s_s` (exact Zheng–Federgruen or the
//!   power approximation), `r_q` (exact or the textbook approximations), `r_s` (periodic review),
//!   `eoq` (the EOQ family as lot size) and `wagner_whitin` (lot sizing of a demand plan), with
//!   targets as cycle service level, fill rate or costs, ABC/XYZ service levels and a budget.
//!
//! [`textbook`] holds their mathematics as pure functions equal to stockpyl 1.0.2
//! (`tests/textbook_parity.rs`, `docs/policies.md`); the strategies add what a planner's data
//! needs around them: the demand plan ([`demand`]: an outlook forecast, the planner's forecasts
//! records, or a sales rate), demand over lead times ([`horizon`]), per-period costs from stock
//! positions, rounding to MOQ and case packs ([`ordering`]), classes ([`classification`]) and
//! the budget cut ([`budget`]).
//!
//! What this crate deliberately is not: a forecaster (it reads what models put in the
//! `Outlook`, or the planner's forecasts) or a simulator.
#![deny(missing_docs)]

pub mod budget;
pub mod classification;
pub mod config;
pub mod demand;
pub mod formulas;
pub mod horizon;
pub mod ordering;
pub mod reorder_point;
pub mod strategies;
pub mod textbook;

pub use config::PolicyConfig;
pub use reorder_point::{ReorderPoint, ReorderPointConfig};
pub use strategies::{Policy, PolicyStrategy};

use restock_core::Strategy;
use strategies::{base_stock, eoq, info, r_q, r_s, s_s, wagner_whitin};

fn boxed<P: Policy + 'static>(
    config: PolicyConfig,
    policy: P,
) -> Result<Box<dyn Strategy>, restock_core::ConfigErrors> {
    Ok(Box::new(PolicyStrategy::new(config, policy)?) as Box<dyn Strategy>)
}

/// Registers this crate's strategies.
pub fn register(registry: &mut restock_core::Registry) {
    registry.add_strategy(reorder_point::INFO, |config: ReorderPointConfig, _ctx| {
        Ok(Box::new(ReorderPoint::new(config)?) as Box<dyn Strategy>)
    });
    registry.add_strategy(info::BASE_STOCK, |config: PolicyConfig, _ctx| {
        boxed(config, base_stock::BaseStock)
    });
    registry.add_strategy(info::S_S, |config: PolicyConfig, _ctx| {
        let method = config.method;
        boxed(config, s_s::ReorderOrderUpTo { method })
    });
    registry.add_strategy(info::R_Q, |config: PolicyConfig, _ctx| {
        let method = config.method;
        boxed(config, r_q::ContinuousReview { method })
    });
    registry.add_strategy(info::R_S, |config: PolicyConfig, _ctx| {
        let review_period = config.review_period.unwrap_or(1);
        boxed(config, r_s::ReviewOrderUpTo { review_period })
    });
    registry.add_strategy(info::EOQ, |config: PolicyConfig, _ctx| {
        let policy = eoq::EconomicOrderQuantity {
            variant: config.variant,
            production_rate: config.production_rate,
            breakpoints: config.breakpoints.clone().unwrap_or_default(),
            unit_costs: config.unit_costs.clone().unwrap_or_default(),
        };
        boxed(config, policy)
    });
    registry.add_strategy(info::WAGNER_WHITIN, |config: PolicyConfig, _ctx| {
        let horizon = config.horizon;
        boxed(config, wagner_whitin::WagnerWhitin { horizon })
    });
}
