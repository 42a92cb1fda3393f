//! [`ForecastModel`]: one `Model` for every forecasting type, the method being data.

use std::collections::{BTreeMap, HashSet};

use async_trait::async_trait;
use chrono::NaiveDate;
use restock_core::config::ConfigErrors;
use restock_core::display::quantity;
use restock_core::{
    Context, Dataset, DemandForecast, ForecastPoint, ItemIndex, Model, Outlook, Severity, Tagged,
};

use super::classify::classify;
use super::config::{self, CommonConfig, LeadingZeros};
use super::count;
use super::distribution::{distribution, one_step_errors, quantiles, rmse};
use super::history::{self, NoHistory};
use super::method::Method;

/// A forecasting model: per item, the history (see [`super::history`]), the method's point
/// forecast and fitted parameters, and per period a distribution with the requested
/// quantiles (see [`super::distribution`]), added to the item's `forecasts`.
#[derive(Debug, Clone)]
pub struct ForecastModel {
    config: CommonConfig,
    method: Method,
    name: String,
}

/// The forecast of one item and what the run should hear about it.
struct ItemForecast {
    forecast: DemandForecast,
    /// Periods of unknown demand met (before the missing-value policy).
    missing: usize,
    /// A warning for the diagnostics (also in the forecast's notes).
    warning: Option<String>,
    /// A fallback counted over items in one warning.
    counted: Option<&'static str>,
}

impl ForecastModel {
    /// Checks value ranges of the shared keys and the method's parameters; errors name the
    /// key. Quantile levels are sorted.
    pub fn new(mut config: CommonConfig, method: Method, name: &str) -> Result<Self, ConfigErrors> {
        config::check(&mut config, &method)?;
        Ok(Self {
            config,
            method,
            name: name.to_owned(),
        })
    }

    /// The configured method (`Auto` before it is resolved per item).
    pub fn method(&self) -> Method {
        self.method
    }

    /// The method to fit to `y`, and its Syntetos–Boylan class: `auto` classifies the history
    /// (its statistics go to `params`, the decision to `notes`); the others are themselves.
    fn choose_method(
        &self,
        y: &[f64],
        params: &mut BTreeMap<String, f64>,
        notes: &mut Vec<String>,
    ) -> (Method, Option<String>) {
        let Method::Auto {
            adi_cutoff,
            cv2_cutoff,
        } = self.method
        else {
            return (self.method, None);
        };
        let c = classify(y, adi_cutoff, cv2_cutoff);
        let method = c.class.method();
        params.insert("adi_cutoff".to_owned(), adi_cutoff);
        params.insert("cv2_cutoff".to_owned(), cv2_cutoff);
        params.insert("cv2".to_owned(), c.cv2);
        let adi = match c.adi {
            Some(adi) => {
                params.insert("adi".to_owned(), adi);
                format!("ADI {}", quantity(adi))
            }
            None => "no demand (ADI unbounded)".to_owned(),
        };
        notes.push(format!(
            "Syntetos–Boylan class {} ({adi}, CV² {}; cut-offs {} and {}): {}",
            c.class.as_str(),
            quantity(c.cv2),
            quantity(adi_cutoff),
            quantity(cv2_cutoff),
            method.name()
        ));
        (method, Some(c.class.as_str().to_owned()))
    }

    /// Forecasts one item from its `(date, quantity)` sales.
    fn forecast(
        &self,
        sales: &[(NaiveDate, f64)],
        dataset_start: Option<NaiveDate>,
        as_of: NaiveDate,
    ) -> Result<ItemForecast, NoHistory> {
        let period = self.config.period;
        let horizon = self.config.horizon;
        let history = history::build(sales, &self.config, dataset_start, as_of)?;
        let y = &history.values;
        let mut notes = history.notes;
        let mut params = BTreeMap::new();
        let (method, class) = self.choose_method(y, &mut params, &mut notes);
        let fit = method
            .fit(y, horizon, period)
            .map_err(|e| NoHistory::error(format!("{} failed: {e}", method.name())))?;
        params.extend(fit.params);
        notes.extend(fit.notes.iter().cloned());
        let sigma = match fit.sigma {
            Some(sigma) => Some(sigma),
            None => one_step_sigma(&method, y, period, &mut params, &mut notes)?,
        };
        // JSON has no infinity (an ETS fallback's AICc): leave such values out.
        params.retain(|_, v| v.is_finite());

        let mut start = period.start_of(as_of);
        let mut points = Vec::with_capacity(horizon);
        for (k, &mean) in fit.mean.iter().enumerate() {
            let demand = distribution(fit.spread, mean, sigma, k + 1);
            points.push(ForecastPoint {
                start,
                mean,
                quantiles: quantiles(&demand, &self.config.quantiles),
                distribution: demand,
            });
            start = period.next(start);
        }
        Ok(ItemForecast {
            forecast: DemandForecast {
                period,
                method: fit.label.unwrap_or_else(|| method.name().to_owned()),
                class,
                params,
                history_periods: y.len(),
                points,
                notes,
            },
            missing: history.missing,
            warning: fit.warning,
            counted: fit.counted,
        })
    }
}

#[async_trait]
impl Model for ForecastModel {
    async fn assess(
        &self,
        dataset: &Dataset,
        outlook: &mut Outlook,
        ctx: &Context,
    ) -> restock_core::Result<()> {
        let as_of = ctx.as_of();
        let group_by = self.config.group_by;
        if !outlook.items.is_empty() && outlook.grouping != group_by {
            ctx.warn(format!(
                "an earlier model grouped by {:?}; this one groups by {:?}: items of both kinds are mixed",
                outlook.grouping, group_by
            ));
        }
        outlook.grouping = group_by;
        let items = ItemIndex::new(group_by, &dataset.products);

        let mut sales: BTreeMap<String, Vec<(NaiveDate, f64)>> = BTreeMap::new();
        for s in &dataset.sales {
            sales
                .entry(items.item_of(&s.product_id))
                .or_default()
                .push((s.date, s.quantity));
        }
        // Items with stock but no sales, when the stock key is a known item (as `sales_trend`
        // does): with leading_zeros = "keep" they get a forecast from the dataset's periods.
        let known: HashSet<String> = dataset
            .products
            .iter()
            .map(|p| items.item_of(&p.id))
            .collect();
        for p in &dataset.stock {
            if known.contains(&p.product_id) {
                sales.entry(p.product_id.clone()).or_default();
            }
        }
        let dataset_start = dataset.sales.iter().map(|s| s.date).min();

        let progress = ctx.progress("items", Some(sales.len() as u64));
        let mut unsold = 0usize;
        let mut fallbacks: BTreeMap<&'static str, usize> = BTreeMap::new();
        let (mut missing_items, mut missing_periods) = (0usize, 0usize);
        for (item, item_sales) in &sales {
            if ctx.is_cancelled() {
                return Err(restock_core::Error::Cancelled);
            }
            progress.inc(1);
            let result = self.forecast(item_sales, dataset_start, as_of);
            let entry = outlook.item_mut(item);
            entry.category = items.category_of(item);
            match result {
                Ok(f) => {
                    if f.missing > 0 {
                        missing_items += 1;
                        missing_periods += f.missing;
                    }
                    if let Some(warning) = f.warning {
                        ctx.report(Severity::Warning, Some(item), None, warning);
                    }
                    if let Some(what) = f.counted {
                        *fallbacks.entry(what).or_default() += 1;
                    }
                    entry.forecasts.push(Tagged {
                        model: self.name.clone(),
                        value: f.forecast,
                    });
                }
                Err(NoHistory { message, severity }) => {
                    if item_sales.is_empty() && self.config.leading_zeros == LeadingZeros::Trim {
                        // Reported once below, with the count.
                        unsold += 1;
                    } else {
                        ctx.report(severity, Some(item), None, message.clone());
                    }
                    entry.errors.push(format!("{}: {message}", self.name));
                }
            }
        }
        let p = self.config.period.as_str();
        if missing_items > 0 {
            let policy = self.config.missing;
            let action = match policy {
                config::MissingPolicy::Zero => "read as 0",
                config::MissingPolicy::Drop => "left out of their histories",
                config::MissingPolicy::Error => "no forecast",
            };
            ctx.warn(format!(
                "{} of unknown demand (sales without a quantity) in {}: {action} (missing = \"{}\"); each forecast's notes give its count",
                count(missing_periods, p),
                count(missing_items, "item"),
                policy.as_str()
            ));
        }
        for (what, items) in fallbacks {
            ctx.warn(format!(
                "{}: {what} (each forecast's notes say so)",
                count(items, "item")
            ));
        }
        if unsold > 0 {
            ctx.warn(format!(
                "{} with stock but no sales: no history under leading_zeros = \"trim\", so no forecast (leading_zeros = \"keep\" would forecast them from the dataset's {p}s)",
                count(unsold, "item")
            ));
        }
        Ok(())
    }
}

/// σ from the method's one-step errors at rolling origins (recorded in `params`); `None`, with a
/// note, when the history has a single period.
fn one_step_sigma(
    method: &Method,
    y: &[f64],
    period: restock_core::Period,
    params: &mut BTreeMap<String, f64>,
    notes: &mut Vec<String>,
) -> Result<Option<f64>, NoHistory> {
    let errors = one_step_errors(method, y, period)
        .map_err(|e| NoHistory::error(format!("{} failed: {e}", method.name())))?;
    let sigma = rmse(&errors);
    match sigma {
        Some(sigma) => {
            params.insert("one_step_rmse".to_owned(), sigma);
            params.insert("one_step_errors".to_owned(), errors.len() as f64);
        }
        None => notes.push(format!(
            "one {} of history: no one-step error to estimate the spread from, so the distribution is Poisson with the forecast as its mean",
            period.as_str()
        )),
    }
    Ok(sigma)
}
