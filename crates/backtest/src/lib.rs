//! Rolling-origin evaluation of a manifest's forecast models (and, with a simulator, its
//! strategy) on the manifest's own data: what `restock backtest` runs.
//!
//! The pipeline's collectors and preprocessors run once, up to the manifest's `as_of`. Then for
//! each origin chosen by the manifest's `[backtest]` table (see
//! [`restock_runner::BacktestSection`]) the dataset is cut at the origin — sales and documents
//! dated on or after it are the future — and every model runs again with the origin as its
//! `as_of`. Each forecast a model puts in the outlook ([`restock_core::DemandForecast`]) is
//! scored against the sales that followed, period by period, with the scaled measures of
//! [`metrics`]. Scores are per (item, origin) pair and averaged with equal weight, the way
//! statsforecast's `cross_validation` output is usually evaluated.
//!
//! What this crate deliberately is not: a forecasting method or a policy. It only runs the
//! components the manifest names, through the same traits a normal run uses.
#![deny(missing_docs)]

pub mod metrics;
mod replay;
mod report;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use restock_core::context::{MemorySink, ProgressFactory, SecretLookup};
use restock_core::{Context, Dataset, Diagnostic, ItemIndex, Outlook, Period};
use restock_runner::{Pipeline, RunError};
use serde::Serialize;

use crate::metrics::Scale;
use crate::replay::Replay;
pub use crate::replay::{AdjustmentSummary, PolicyReplay};

/// How to run a backtest.
pub struct BacktestOptions {
    /// Progress display.
    pub progress: Arc<dyn ProgressFactory>,
    /// Secret lookup (the binary reads the environment).
    pub secrets: SecretLookup,
}

/// Why a backtest could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum BacktestError {
    /// A stage of the pipeline failed as a whole.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The data has too few complete periods for the requested origins and horizon.
    #[error(
        "not enough history to backtest: {available} complete {period}s of sales before {as_of}, \
         but {origins} origin(s) {step} {period}(s) apart with a {horizon}-{period} horizon need \
         at least {needed} (lower [backtest] origins, step or horizon)"
    )]
    TooShort {
        /// Complete periods available.
        available: usize,
        /// Periods needed (one of history before the first origin, plus the evaluation span).
        needed: usize,
        /// The period length.
        period: &'static str,
        /// `as_of`.
        as_of: NaiveDate,
        /// `[backtest] origins`.
        origins: usize,
        /// `[backtest] step`.
        step: usize,
        /// `[backtest] horizon`.
        horizon: usize,
    },
    /// No model produced a forecast or a demand rate a strategy could use: nothing to evaluate.
    #[error(
        "nothing to backtest: no [[model]] produced a forecast (add a forecasting model such as \
         `type = \"ses\"`), and there is no strategy with demand rates to replay"
    )]
    NoForecasts,
}

/// Accuracy of one forecast model over every origin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelAccuracy {
    /// The model component's name.
    pub model: String,
    /// Its type.
    pub type_name: String,
    /// The methods it used (several for `auto`), with how many forecasts each made.
    pub methods: BTreeMap<String, usize>,
    /// (item, origin) pairs it forecast.
    pub forecasts: usize,
    /// Pairs scored: a defined scale and every actual of the horizon known.
    pub scored: usize,
    /// Pairs left out because the training series is constant (scaled errors undefined).
    pub constant_history: usize,
    /// Pairs left out because an actual in the horizon is missing (NaN).
    pub missing_actuals: usize,
    /// Mean MASE over scored pairs.
    pub mase: f64,
    /// Mean RMSSE over scored pairs.
    pub rmsse: f64,
    /// Mean scaled bias (forecast − actual) over scored pairs; positive is over-forecasting.
    pub scaled_bias: f64,
    /// Mean scaled pinball loss over the `[backtest] quantiles`, when the model gave them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scaled_pinball: Option<f64>,
}

/// What `restock backtest` found.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestReport {
    /// The pipeline's name.
    pub pipeline: String,
    /// The manifest's `as_of`.
    pub as_of: NaiveDate,
    /// The period length of the evaluation (the forecasts').
    pub period: Period,
    /// The `[backtest]` settings used.
    pub settings: Settings,
    /// The forecast origins, oldest first.
    pub origins: Vec<NaiveDate>,
    /// Items with sales.
    pub items: usize,
    /// One entry per model that made forecasts, in manifest order.
    pub models: Vec<ModelAccuracy>,
    /// The strategy replayed against real demand, when the manifest has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyReplay>,
    /// What replaying showed about the strategy's trend adjustments, when it proposed any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustments: Option<AdjustmentSummary>,
    /// Problems met (one line per component and kind, with counts).
    pub diagnostics: Vec<Diagnostic>,
}

/// The `[backtest]` settings, as used.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// Number of origins.
    pub origins: usize,
    /// Periods between origins.
    pub step: usize,
    /// Periods forecast from each origin.
    pub horizon: usize,
    /// Lag of the naive forecast that scales the errors.
    pub scale_season: usize,
    /// Quantile levels scored.
    pub quantiles: Vec<f64>,
}

/// Runs the backtest of `pipeline`. An `Err` means the evaluation could not run at all; a model
/// failing on one item shows in the diagnostics and that item's pairs are not scored.
pub async fn backtest(
    pipeline: &Pipeline,
    options: BacktestOptions,
) -> Result<BacktestReport, BacktestError> {
    let manifest = &pipeline.manifest;
    let section = manifest.backtest.clone().unwrap_or_default();
    let as_of = manifest.pipeline.as_of;
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(as_of, sink.clone()).with_services(
        options.progress.clone(),
        manifest.base_dir().join(&manifest.pipeline.cache_dir),
        options.secrets.clone(),
    );
    // Gates from an earlier backtest would leak later data into the origins' decisions.
    let gates_path = ctx.cache_dir().join(restock_core::AdjustmentGates::FILE);
    let _ = std::fs::remove_file(&gates_path);
    let prepared = restock_runner::prepare(pipeline, &ctx, as_of).await?;
    let dataset = prepared.dataset;

    // The period comes from the first model that forecasts; probe at as_of.
    let probe = assess(pipeline, &dataset, &ctx).await?;
    let period = probe
        .items
        .values()
        .flat_map(|i| i.forecasts.first())
        .map(|f| f.value.period)
        .next()
        // No forecasting model: the strategy's demand rates set the period.
        .or_else(|| {
            probe
                .items
                .values()
                .find_map(|i| i.demand.as_ref().map(|d| d.value.period))
                .filter(|_| pipeline.strategy.is_some())
        });
    let grouping = probe.grouping;
    let Some(period) = period else {
        return Err(BacktestError::NoForecasts);
    };
    let index = ItemIndex::new(grouping, &dataset.products);
    let actuals = Actuals::new(&dataset, &index, period);

    let first = dataset.sales.iter().map(|s| s.date).min();
    let starts = first
        .map(|f| period.complete_periods(f, as_of))
        .unwrap_or_default();
    let needed = 1 + section.horizon + (section.origins - 1) * section.step;
    if starts.len() < needed {
        return Err(BacktestError::TooShort {
            available: starts.len(),
            needed,
            period: period.as_str(),
            as_of,
            origins: section.origins,
            step: section.step,
            horizon: section.horizon,
        });
    }
    let last = starts.len() - section.horizon;
    let origins: Vec<NaiveDate> = (0..section.origins)
        .rev()
        .map(|k| starts[last - k * section.step])
        .collect();

    let mut scores: BTreeMap<String, Scores> = BTreeMap::new();
    let mut replay = pipeline.strategy.as_ref().map(|s| Replay::new(s, period));
    let mut evidence = replay::AdjustmentEvidence::default();
    let progress = ctx.progress("backtest origins", Some(origins.len() as u64));
    for (k, &origin) in origins.iter().enumerate() {
        let mut cut = cut_at(&dataset, origin);
        let octx = ctx.at(origin);
        if let Some(replay) = &replay {
            cut.stock = replay.stock(&dataset.stock);
        }
        let outlook = assess(pipeline, &cut, &octx).await?;
        if let Some(replay) = &mut replay {
            let decisions = replay.decide(&cut, &outlook, &octx).await?;
            replay.place(&decisions, &cut.stock);
            // Play the periods up to the next origin (to the last complete one after the last).
            let until = origins.get(k + 1).copied();
            let ahead: Vec<NaiveDate> = starts
                .iter()
                .copied()
                .filter(|s| *s >= origin && until.is_none_or(|u| *s < u))
                .collect();
            for &start in &ahead {
                replay.play(|item| actuals.at(item, start));
            }
            let days = ahead.len() as f64 * period.mean_days();
            evidence.record(&decisions, |item| {
                ahead.iter().map(|s| actuals.at(item, *s)).sum::<f64>() / days
            });
        }
        for (item, found) in &outlook.items {
            for tagged in &found.forecasts {
                let f = &tagged.value;
                let entry = scores.entry(tagged.model.clone()).or_default();
                entry.forecasts += 1;
                *entry.methods.entry(f.method.clone()).or_default() += 1;
                if f.period != period {
                    entry.wrong_period += 1;
                    continue;
                }
                let h = section.horizon.min(f.points.len());
                let horizon: Vec<NaiveDate> = f.points[..h].iter().map(|p| p.start).collect();
                let actual: Vec<f64> = horizon.iter().map(|s| actuals.at(item, *s)).collect();
                if h < section.horizon || actual.iter().any(|a| a.is_nan()) {
                    entry.missing_actuals += 1;
                    continue;
                }
                let train = actuals.history(item, origin, f.history_periods);
                let Some(scale) = Scale::of(&train, section.scale_season) else {
                    entry.constant_history += 1;
                    continue;
                };
                let mean: Vec<f64> = f.points[..h].iter().map(|p| p.mean).collect();
                entry.mase.push(metrics::mase(&actual, &mean, scale));
                entry.rmsse.push(metrics::rmsse(&actual, &mean, scale));
                entry.bias.push(metrics::scaled_bias(&actual, &mean, scale));
                let levels: Vec<Vec<(f64, f64)>> = f.points[..h]
                    .iter()
                    .map(|p| {
                        section
                            .quantiles
                            .iter()
                            .filter_map(|&tau| {
                                p.quantiles
                                    .iter()
                                    .find(|q| (q.level - tau).abs() < 1e-9)
                                    .map(|q| (tau, q.value))
                            })
                            .collect()
                    })
                    .collect();
                if levels.iter().all(|l| l.len() == section.quantiles.len()) {
                    entry
                        .pinball
                        .push(metrics::scaled_pinball(&actual, &levels, scale));
                } else {
                    entry.no_quantiles += 1;
                }
            }
        }
        progress.inc(1);
    }
    drop(progress);

    let mut models = Vec::new();
    for m in &pipeline.models {
        let Some(s) = scores.remove(&m.spec.name) else {
            continue;
        };
        if s.wrong_period > 0 {
            ctx.for_component(&m.spec.name).warn(format!(
                "{} forecasts are per {} other than the backtest's {}: not scored",
                s.wrong_period,
                "period",
                period.as_str()
            ));
        }
        models.push(ModelAccuracy {
            model: m.spec.name.clone(),
            type_name: m.spec.type_name.clone(),
            methods: s.methods,
            forecasts: s.forecasts,
            scored: s.mase.len(),
            constant_history: s.constant_history,
            missing_actuals: s.missing_actuals,
            mase: mean(&s.mase),
            rmsse: mean(&s.rmsse),
            scaled_bias: mean(&s.bias),
            scaled_pinball: (s.no_quantiles == 0 && !s.pinball.is_empty())
                .then(|| mean(&s.pinball)),
        });
    }
    if models.is_empty() && pipeline.strategy.is_none() {
        return Err(BacktestError::NoForecasts);
    }

    let mut adjustments = None;
    if let Some(replay) = &replay {
        let gates = evidence.gates(replay.name(), as_of);
        if !gates.items.is_empty() {
            let applied_to: Vec<String> = gates
                .items
                .iter()
                .filter(|(_, e)| e.lowers_error)
                .map(|(item, _)| item.clone())
                .collect();
            if let Some(dir) = gates_path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let json = serde_json::to_string_pretty(&gates).expect("gates serialise");
            if let Err(e) = std::fs::write(&gates_path, json + "\n") {
                ctx.warn(format!(
                    "cannot write the adjustment gates {}: {e}",
                    gates_path.display()
                ));
            }
            adjustments = Some(AdjustmentSummary {
                items: gates.items.len(),
                lowers_error: applied_to.len(),
                file: gates_path.display().to_string(),
                applied_to: applied_to.into_iter().take(20).collect(),
            });
        }
    }
    let policy = replay.map(Replay::finish);

    let (diagnostics, _) = sink.take();
    Ok(BacktestReport {
        pipeline: manifest.pipeline.name.clone(),
        as_of,
        period,
        settings: Settings {
            origins: section.origins,
            step: section.step,
            horizon: section.horizon,
            scale_season: section.scale_season,
            quantiles: section.quantiles.clone(),
        },
        origins,
        items: actuals.items(),
        models,
        policy,
        adjustments,
        diagnostics: summarise(diagnostics),
    })
}

#[derive(Default)]
struct Scores {
    methods: BTreeMap<String, usize>,
    forecasts: usize,
    wrong_period: usize,
    missing_actuals: usize,
    constant_history: usize,
    no_quantiles: usize,
    mase: Vec<f64>,
    rmsse: Vec<f64>,
    bias: Vec<f64>,
    pinball: Vec<f64>,
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// The dataset as it was known at `origin`: sales and documents before it.
pub(crate) fn cut_at(dataset: &Dataset, origin: NaiveDate) -> Dataset {
    Dataset {
        documents: dataset
            .documents
            .iter()
            .filter(|d| d.created_at.date_naive() < origin)
            .cloned()
            .collect(),
        sales: dataset
            .sales
            .iter()
            .filter(|s| s.date < origin)
            .cloned()
            .collect(),
        stock: dataset.stock.clone(),
        products: dataset.products.clone(),
        forecasts: dataset.forecasts.clone(),
    }
}

/// Runs every model in manifest order on `dataset`.
pub(crate) async fn assess(
    pipeline: &Pipeline,
    dataset: &Dataset,
    ctx: &Context,
) -> Result<Outlook, RunError> {
    let mut outlook = Outlook::default();
    for m in &pipeline.models {
        m.component
            .assess(dataset, &mut outlook, &ctx.for_component(&m.spec.name))
            .await
            .map_err(|source| RunError::Component {
                component: m.spec.name.clone(),
                source,
            })?;
    }
    Ok(outlook)
}

/// Units sold per item and period over the whole dataset (NaN where any sale of the period was
/// recorded as unknown).
pub(crate) struct Actuals {
    period: Period,
    by_item: HashMap<String, BTreeMap<NaiveDate, f64>>,
    first: HashMap<String, NaiveDate>,
}

impl Actuals {
    pub(crate) fn new(dataset: &Dataset, index: &ItemIndex, period: Period) -> Self {
        let mut by_item: HashMap<String, BTreeMap<NaiveDate, f64>> = HashMap::new();
        let mut first: HashMap<String, NaiveDate> = HashMap::new();
        for s in &dataset.sales {
            let item = index.item_of(&s.product_id);
            let start = period.start_of(s.date);
            *by_item
                .entry(item.clone())
                .or_default()
                .entry(start)
                .or_insert(0.0) += s.quantity;
            first
                .entry(item)
                .and_modify(|d| *d = (*d).min(s.date))
                .or_insert(s.date);
        }
        Self {
            period,
            by_item,
            first,
        }
    }

    pub(crate) fn items(&self) -> usize {
        self.by_item.len()
    }

    /// Units of `item` in the period starting `start` (0 when nothing was sold).
    pub(crate) fn at(&self, item: &str, start: NaiveDate) -> f64 {
        self.by_item
            .get(item)
            .and_then(|m| m.get(&start))
            .copied()
            .unwrap_or(0.0)
    }

    /// The last `periods` complete periods of `item` before `origin` (all of them, from the
    /// item's first sale, when `periods` is 0).
    pub(crate) fn history(&self, item: &str, origin: NaiveDate, periods: usize) -> Vec<f64> {
        let Some(&first) = self.first.get(item) else {
            return Vec::new();
        };
        let mut starts = self.period.complete_periods(first, origin);
        if periods > 0 && starts.len() > periods {
            starts.drain(..starts.len() - periods);
        } else if periods > starts.len() {
            // The model kept leading periods before the first sale: zeros.
            let mut extra = Vec::new();
            let mut s = starts.first().copied().unwrap_or(origin);
            for _ in 0..periods - starts.len() {
                s = previous(self.period, s);
                extra.push(s);
            }
            extra.reverse();
            extra.extend(starts);
            starts = extra;
        }
        starts.iter().map(|s| self.at(item, *s)).collect()
    }
}

fn previous(period: Period, start: NaiveDate) -> NaiveDate {
    match period {
        Period::Day => start - chrono::Days::new(1),
        Period::Week => start - chrono::Days::new(7),
        Period::Month => start - chrono::Months::new(1),
    }
}

/// Repeated diagnostics (the same component and message at every origin and at `as_of`, up to
/// the numbers in it) collapse to one line: the first one seen (at `as_of`), with a count.
fn summarise(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(String, String), (Diagnostic, usize)> = BTreeMap::new();
    for d in diagnostics {
        // Every run of digits (and plural endings after numbers) reads alike.
        let mut shape = String::with_capacity(d.message.len());
        for c in d.message.chars() {
            if c.is_ascii_digit() || c == '.' && shape.ends_with('#') {
                if !shape.ends_with('#') {
                    shape.push('#');
                }
            } else {
                shape.push(c);
            }
        }
        // The first one seen is the run at `as_of` (after the collectors'): the figures a
        // `restock run` would report.
        seen.entry((d.component.clone(), shape)).or_insert((d, 0)).1 += 1;
    }
    seen.into_values()
        .map(|(mut d, n)| {
            if n > 1 {
                d.message = format!(
                    "{} (seen {n} times over the backtest's runs at as_of and at each origin; the as_of one shown)",
                    d.message
                );
            }
            d
        })
        .collect()
}
