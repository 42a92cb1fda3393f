//! Replenishment strategies for Restock: from an item's demand rate, trend and stock position to
//! a decision — safety stock, reorder point, order quantity, expected service level, rationale.
//!
//! Strategy types registered by [`register`]:
//! - `reorder_point`: continuous review, normal approximation of lead-time demand with lead-time
//!   variability, EOQ or review-period cover for the order quantity, MOQ and case-pack rounding.
//!
//! What this crate deliberately is not: a forecaster (it reads the rate models put in the
//! `Outlook`) or an optimiser of cost-based policies ((s, S), newsvendor, …), which are later
//! additions beside `reorder_point`.
#![deny(missing_docs)]

pub mod formulas;
pub mod reorder_point;

pub use reorder_point::{ReorderPoint, ReorderPointConfig};

/// Registers this crate's strategies.
pub fn register(registry: &mut restock_core::Registry) {
    registry.add_strategy(reorder_point::INFO, |config: ReorderPointConfig, _ctx| {
        Ok(Box::new(ReorderPoint::new(config)?) as Box<dyn restock_core::Strategy>)
    });
}
