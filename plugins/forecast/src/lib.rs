//! Demand models for Restock: sales aggregated per item and period, a baseline demand rate, and
//! a sales trend from a stated statistical test; the review-rating trend beside it; demand
//! forecasts with their distribution.
//!
//! Model types registered by [`register`]:
//! - `sales_trend`: per product (or category, `group_by`), per day, week or month, zero-filled
//!   between the first sale and `as_of`; the mean and standard deviation of demand per period
//!   over a window of complete periods; the Mann–Kendall trend test with Sen's slope; the same
//!   test on review ratings in date order.
//! - `naive`, `seasonal_naive`, `moving_average`, `ses`, `croston`, `sba`, `tsb`, `adida`,
//!   `imapa`, `ets`, and `auto` (the method chosen per item by its Syntetos–Boylan class): a demand
//!   forecast per item and period with a distribution and quantiles, the fitted parameters and
//!   notes on how the history was built ([`models`]).
//!
//! [`methods`] holds the point-forecast methods over one series, each equal to statsforecast
//! 2.1.1 on all 2,509 complete carparts series (`tests/methods_parity.rs`,
//! `docs/forecasting.md`); [`models`] wires them into the pipeline with the missing-value and
//! leading-zero policies, the windows and the quantiles. The strategy still works from the
//! baseline rate and the trend.
//!
//! What this crate deliberately is not: an inventory policy (that is `restock-policy`) or a
//! general time-series library.
#![deny(missing_docs)]

pub mod methods;
pub mod models;
pub mod sales_trend;
pub mod series;

pub use sales_trend::{SalesTrend, SalesTrendConfig};

/// Registers this crate's models.
pub fn register(registry: &mut restock_core::Registry) {
    registry.add_model(sales_trend::INFO, |config: SalesTrendConfig, ctx| {
        Ok(Box::new(SalesTrend::new(config, &ctx.component)?) as Box<dyn restock_core::Model>)
    });
    models::register(registry);
}
