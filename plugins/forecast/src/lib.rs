//! Demand models for Restock: sales aggregated per item and period, a baseline demand rate, and
//! a sales trend from a stated statistical test; the review-rating trend beside it.
//!
//! Model types registered by [`register`]:
//! - `sales_trend`: per product (or category, `group_by`), per day, week or month, zero-filled
//!   between the first sale and `as_of`; the mean and standard deviation of demand per period
//!   over a window of complete periods; the Mann–Kendall trend test with Sen's slope; the same
//!   test on review ratings in date order.
//!
//! [`methods`] holds point-forecast methods over one series — naive, seasonal naive, window
//! average, SES, Croston, SBA, TSB, ADIDA, IMAPA — each equal to statsforecast 2.1.1 on all
//! 2,509 complete carparts series (`tests/methods_parity.rs`, `docs/forecasting.md`). They are
//! not yet `Model` plugins: wiring them into the pipeline (with quantiles, missing-value and
//! leading-zero policies) is the next step, and the strategy still works from the baseline
//! rate and the trend.
//!
//! What this crate deliberately is not: an inventory policy (that is `restock-policy`) or a
//! general time-series library.
#![deny(missing_docs)]

pub mod methods;
pub mod sales_trend;
pub mod series;

pub use sales_trend::{SalesTrend, SalesTrendConfig};

/// Registers this crate's models.
pub fn register(registry: &mut restock_core::Registry) {
    registry.add_model(sales_trend::INFO, |config: SalesTrendConfig, ctx| {
        Ok(Box::new(SalesTrend::new(config, &ctx.component)?) as Box<dyn restock_core::Model>)
    });
}
