//! Replenishment strategies for Restock: from an item's demand rate, trend and stock position to
//! a decision — safety stock, reorder point, order quantity, expected service level, rationale.
//!
//! Strategy types registered by [`register`]:
//! - `reorder_point`: continuous review, normal approximation of lead-time demand with lead-time
//!   variability, EOQ or review-period cover for the order quantity, MOQ and case-pack rounding.
//!
//! [`textbook`] holds the policy mathematics — EOQ and its variants, newsvendor and base-stock,
//! exact (s, S) by Zheng–Federgruen, (r, Q) and its approximations, Wagner–Whitin, loss
//! functions — as pure functions equal to stockpyl 1.0.2 (`tests/textbook_parity.rs`,
//! `docs/policies.md`). They are not yet strategies of their own: wiring them in is next.
//!
//! What this crate deliberately is not: a forecaster (it reads the rate models put in the
//! `Outlook`).
#![deny(missing_docs)]

pub mod formulas;
pub mod reorder_point;
pub mod textbook;

pub use reorder_point::{ReorderPoint, ReorderPointConfig};

/// Registers this crate's strategies.
pub fn register(registry: &mut restock_core::Registry) {
    registry.add_strategy(reorder_point::INFO, |config: ReorderPointConfig, _ctx| {
        Ok(Box::new(ReorderPoint::new(config)?) as Box<dyn restock_core::Strategy>)
    });
}
