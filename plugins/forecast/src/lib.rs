//! Demand models for Restock: sales aggregated per item and period, a baseline demand rate, and
//! a sales trend from a stated statistical test; the review-rating trend beside it.
//!
//! Model types registered by [`register`]:
//! - `sales_trend`: per product (or category, `group_by`), per day, week or month, zero-filled
//!   between the first sale and `as_of`; the mean and standard deviation of demand per period
//!   over a window of complete periods; the Mann–Kendall trend test with Sen's slope; the same
//!   test on review ratings in date order.
//!
//! What this crate deliberately is not (yet): a forecaster. Point and quantile forecasts
//! (Croston, SBA, TSB, ETS, …) belong here and are a later step; the strategy currently works
//! from the baseline rate and the trend.
#![deny(missing_docs)]

pub mod sales_trend;
pub mod series;

pub use sales_trend::{SalesTrend, SalesTrendConfig};

/// Registers this crate's models.
pub fn register(registry: &mut restock_core::Registry) {
    registry.add_model(sales_trend::INFO, |config: SalesTrendConfig, ctx| {
        Ok(Box::new(SalesTrend::new(config, &ctx.component)?) as Box<dyn restock_core::Model>)
    });
}
