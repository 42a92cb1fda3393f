//! The forecasting models: the methods of [`crate::methods`] as pipeline `Model`s.
//!
//! One implementation, [`ForecastModel`], serves every type; the method is data ([`Method`]).
//! Per item (product, or category with `group_by`), the model
//! 1. aggregates the item's sales into complete periods before `as_of`
//!    ([`crate::series::aggregate`]; a period holding a sale of unknown quantity is unknown);
//! 2. builds the history: from the item's first sale (`leading_zeros = "trim"`, the default)
//!    or from the dataset's first sale or `start` (`"keep"`), the last `window` periods, with
//!    unknown periods left out (`missing = "drop"`, the default), read as 0 (`"zero"`), or
//!    failing the item (`"error"`); each of these is stated in the forecast's notes;
//! 3. runs the method (for `auto`, the one its Syntetos–Boylan class calls for, see
//!    [`classify`]) and records what it fitted in `params`;
//! 4. gives each forecast period a distribution and the requested quantiles, from the
//!    method's own one-step-ahead errors, or the ETS fit's variance (see [`distribution`]).
//!
//! An item that gets no forecast has an `errors` line and a diagnostic (an error when the data
//! or the method fail, a warning when there is nothing to forecast from yet); the others go on. `docs/forecasting.md` ("Models in a manifest") states the keys, defaults, policies and
//! the quantile method with their sources.

pub mod classify;
pub mod config;
pub mod distribution;
mod history;
mod info;
pub mod method;
mod model;

pub use config::{
    AdidaConfig, AutoConfig, CommonConfig, CrostonConfig, EtsConfig, EtsModelString,
    ForecastConfig, ImapaConfig, LeadingZeros, MissingPolicy, MovingAverageConfig, NaiveConfig,
    SbaConfig, SeasonalNaiveConfig, SesConfig, TsbConfig,
};
pub use method::Method;
pub use model::ForecastModel;

use restock_core::{PluginInfo, Registry};

/// Registers the forecasting model types.
pub fn register(registry: &mut Registry) {
    add::<NaiveConfig>(registry, info::NAIVE);
    add::<SeasonalNaiveConfig>(registry, info::SEASONAL_NAIVE);
    add::<MovingAverageConfig>(registry, info::MOVING_AVERAGE);
    add::<SesConfig>(registry, info::SES);
    add::<CrostonConfig>(registry, info::CROSTON);
    add::<SbaConfig>(registry, info::SBA);
    add::<TsbConfig>(registry, info::TSB);
    add::<AdidaConfig>(registry, info::ADIDA);
    add::<ImapaConfig>(registry, info::IMAPA);
    add::<EtsConfig>(registry, info::ETS);
    add::<AutoConfig>(registry, info::AUTO);
}

fn add<C: ForecastConfig>(registry: &mut Registry, info: PluginInfo) {
    registry.add_model(info, |config: C, ctx| {
        let (common, method) = config.into_parts();
        Ok(
            Box::new(ForecastModel::new(common, method, &ctx.component)?)
                as Box<dyn restock_core::Model>,
        )
    });
}

/// `n` and the noun, plural unless `n` is 1: `1 week`, `3 weeks`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
