//! Running a built [`Pipeline`]: collectors concurrently, then the `as_of` cut, preprocessors and
//! models in order, the strategy, and the outputs; every stage counted and timed.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use restock_core::context::{MemorySink, ProgressFactory};
use restock_core::{Context, Dataset, Decision, Diagnostic, Outlook, Quarantined, Severity};

use crate::build::Pipeline;
use crate::error::RunError;
use crate::output::write_file;
use crate::report::{PipelineInfo, RecordCounts, Report, StageSummary, Summary, Timings};

/// The name of the quarantine file in the output folder.
pub const QUARANTINE_FILE: &str = "quarantine.jsonl";

/// How to run.
pub struct RunOptions {
    /// Output folder; `None` for `[pipeline] out_dir` relative to the manifest.
    pub out_dir: Option<PathBuf>,
    /// Progress display (the binary passes a terminal one).
    pub progress: Arc<dyn ProgressFactory>,
    /// Secret lookup (the binary reads the environment).
    pub secrets: restock_core::context::SecretLookup,
}

/// What a run produced.
pub struct RunOutcome {
    /// The report (also written by `json` outputs).
    pub report: Report,
    /// The dataset after preprocessing.
    pub dataset: Dataset,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Files written, the quarantine file first.
    pub written: Vec<PathBuf>,
    /// The rows quarantined.
    pub quarantined: Vec<Quarantined>,
}

/// Changes to a run and what to keep from it, for `restock test` (the manifest's `[[tests]]`):
/// records put in place of a collector's output or added before a component, and the output
/// of chosen components. [`run()`] and [`prepare()`] use the default, which changes nothing.
#[derive(Debug, Default)]
pub struct Taps {
    /// Collector name → the dataset it returns instead of running.
    pub replace: BTreeMap<String, Dataset>,
    /// Preprocessor, model or strategy name → records added to the dataset that enters it
    /// (for a model, every later model and the strategy see them too).
    pub insert: BTreeMap<String, Dataset>,
    /// Component names whose output to keep in [`Taps::captured`].
    pub capture: BTreeSet<String>,
    /// What the components of [`Taps::capture`] produced, by name.
    pub captured: BTreeMap<String, Captured>,
    /// Write nothing: no output folder, no quarantine file, no outputs.
    pub dry: bool,
}

/// A component's output, kept by [`Taps`].
#[derive(Debug, Clone)]
pub enum Captured {
    /// A collector's dataset (after any replacement), or the dataset after a preprocessor.
    Dataset(Dataset),
    /// The outlook after a model.
    Outlook(Outlook),
    /// The strategy's decisions, sorted by item.
    Decisions(Vec<Decision>),
}

impl Taps {
    /// Adds the records `taps.insert` holds for `component` to `dataset`.
    fn insert_before(&self, component: &str, dataset: &mut Dataset) {
        if let Some(records) = self.insert.get(component) {
            dataset.merge(records.clone());
            dataset.sort();
        }
    }

    fn keep(&mut self, component: &str, output: impl FnOnce() -> Captured) {
        if self.capture.contains(component) {
            self.captured.insert(component.to_owned(), output());
        }
    }
}

/// Runs `pipeline` to the end. Item failures, and a model or strategy that fails as a whole
/// (a plugin that panicked or exited, say), are reported as error diagnostics and the run goes
/// on; an `Err` means a collector or preprocessor failed (the data would be incomplete), the
/// run was cancelled, or an output could not be written.
pub async fn run(pipeline: Pipeline, options: RunOptions) -> Result<RunOutcome, RunError> {
    run_tapped(&pipeline, options, &mut Taps::default()).await
}

/// [`run()`] with `taps`: records replaced or inserted, component outputs captured, and with
/// [`Taps::dry`] nothing written (the outcome's `written` is then empty).
pub async fn run_tapped(
    pipeline: &Pipeline,
    options: RunOptions,
    taps: &mut Taps,
) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    let manifest = &pipeline.manifest;
    let base = manifest.base_dir();
    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| base.join(&manifest.pipeline.out_dir));
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(manifest.pipeline.as_of, sink.clone()).with_services(
        options.progress.clone(),
        base.join(&manifest.pipeline.cache_dir),
        options.secrets.clone(),
    );
    let mut stages = Vec::new();
    let mut timings = BTreeMap::new();
    // Find an unwritable output folder now, not after the whole run.
    if !taps.dry {
        std::fs::create_dir_all(&out_dir).map_err(|source| RunError::Write {
            path: out_dir.clone(),
            source,
        })?;
    }
    tracing::info!(pipeline = %manifest.pipeline.name, as_of = %manifest.pipeline.as_of, out_dir = %out_dir.display(), "run starts");
    let prepared = prepare_tapped(pipeline, &ctx, manifest.pipeline.as_of, taps).await?;
    let mut dataset = prepared.dataset;
    stages.extend(prepared.stages);
    timings.extend(prepared.timings);
    let as_of = manifest.pipeline.as_of;

    let mut outlook = Outlook::default();
    for m in &pipeline.models {
        taps.insert_before(&m.spec.name, &mut dataset);
        let t = Instant::now();
        let model_ctx = ctx.for_component(&m.spec.name);
        if let Err(source) = m.component.assess(&dataset, &mut outlook, &model_ctx).await {
            // Cancelled stops the run; any other failure (a plugin's panic or exit, a source
            // the model cannot reach) is this component's: reported, and the run goes on.
            if matches!(source, restock_core::Error::Cancelled) {
                return Err(RunError::Component {
                    component: m.spec.name.clone(),
                    source,
                });
            }
            model_ctx.report(
                Severity::Error,
                None,
                None,
                format!("the model failed and added nothing: {source}"),
            );
        }
        timings.insert(m.spec.name.clone(), t.elapsed().as_secs_f64());
        taps.keep(&m.spec.name, || Captured::Outlook(outlook.clone()));
        tracing::info!(component = %m.spec.name, items = outlook.items.len(), "assessed");
        stages.push(StageSummary {
            stage: "model".into(),
            component: m.spec.name.clone(),
            type_name: m.spec.type_name.clone(),
            records_in: dataset.len(),
            records_out: dataset.len(),
            quarantined: 0,
            filtered: 0,
            items: Some(outlook.items.len()),
        });
    }

    let mut decisions = Vec::new();
    if let Some(s) = &pipeline.strategy {
        taps.insert_before(&s.spec.name, &mut dataset);
        let t = Instant::now();
        let strategy_ctx = ctx.for_component(&s.spec.name);
        decisions = match s.component.decide(&dataset, &outlook, &strategy_ctx).await {
            Ok(decisions) => decisions,
            Err(source) if matches!(source, restock_core::Error::Cancelled) => {
                return Err(RunError::Component {
                    component: s.spec.name.clone(),
                    source,
                });
            }
            Err(source) => {
                strategy_ctx.report(
                    Severity::Error,
                    None,
                    None,
                    format!("the strategy failed: no decisions were made: {source}"),
                );
                Vec::new()
            }
        };
        decisions.sort_by(|a, b| a.product_id.cmp(&b.product_id));
        check_decisions(&decisions, &dataset, &outlook, &strategy_ctx);
        taps.keep(&s.spec.name, || Captured::Decisions(decisions.clone()));
        timings.insert(s.spec.name.clone(), t.elapsed().as_secs_f64());
        tracing::info!(component = %s.spec.name, decisions = decisions.len(), "decided");
        stages.push(StageSummary {
            stage: "strategy".into(),
            component: s.spec.name.clone(),
            type_name: s.spec.type_name.clone(),
            records_in: dataset.len(),
            records_out: dataset.len(),
            quarantined: 0,
            filtered: 0,
            items: Some(decisions.len()),
        });
    } else {
        ctx.warn("the manifest has no [strategy]: no decisions were made");
    }

    let (mut diagnostics, quarantined) = sink.take();
    for stage in &mut stages {
        stage.quarantined = quarantined
            .iter()
            .filter(|q| q.component == stage.component)
            .count();
        // Unreadable rows are a problem to see, not only a count.
        if stage.quarantined > 0 {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                component: stage.component.clone(),
                item: None,
                location: None,
                message: format!(
                    "{} could not be read and {} in {QUARANTINE_FILE}",
                    if stage.quarantined == 1 {
                        "1 row".to_owned()
                    } else {
                        format!("{} rows", stage.quarantined)
                    },
                    if stage.quarantined == 1 { "is" } else { "are" }
                ),
            });
        }
    }
    for d in &diagnostics {
        match d.severity {
            Severity::Error => {
                tracing::error!(component = %d.component, item = ?d.item, "{}", d.message)
            }
            Severity::Warning => {
                tracing::warn!(component = %d.component, item = ?d.item, "{}", d.message)
            }
            Severity::Info => {
                tracing::info!(component = %d.component, item = ?d.item, "{}", d.message)
            }
        }
    }
    sort_diagnostics(&mut diagnostics);
    let mut by_severity = BTreeMap::new();
    for d in &diagnostics {
        let key = serde_json::to_value(d.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        *by_severity.entry(key).or_insert(0) += 1;
    }
    let orders: Vec<_> = decisions
        .iter()
        .filter(|d| d.action == restock_core::Action::Order)
        .collect();
    let summary = Summary {
        stages,
        records: RecordCounts {
            documents: dataset.documents.len(),
            sales: dataset.sales.len(),
            stock: dataset.stock.len(),
            products: dataset.products.len(),
            forecasts: dataset.forecasts.len(),
        },
        quarantined: quarantined.len(),
        quarantine_file: QUARANTINE_FILE.into(),
        items_assessed: outlook.items.len(),
        decisions: decisions.len(),
        orders: orders.len(),
        // `+ 0.0` turns the empty sum's −0.0 into 0.
        units_to_order: orders.iter().map(|d| d.order_quantity).sum::<f64>() + 0.0,
        diagnostics: by_severity,
    };
    let mut report = Report {
        pipeline: PipelineInfo {
            name: manifest.pipeline.name.clone(),
            description: manifest.pipeline.description.clone(),
            as_of,
            manifest: manifest
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        },
        summary,
        outlook,
        decisions,
        diagnostics,
        timings: Timings::default(),
    };

    let mut written = Vec::new();
    if taps.dry {
        report.timings = Timings {
            total_seconds: started.elapsed().as_secs_f64(),
            components: timings,
        };
        return Ok(RunOutcome {
            report,
            dataset,
            out_dir,
            written,
            quarantined,
        });
    }
    // The quarantine file is always written, so "nothing quarantined" is visible too.
    let quarantine_path = out_dir.join(QUARANTINE_FILE);
    let mut lines = String::new();
    for q in &quarantined {
        lines.push_str(&serde_json::to_string(q).expect("quarantine rows serialise"));
        lines.push('\n');
    }
    write_file(&quarantine_path, lines.as_bytes())?;
    written.push(quarantine_path);

    report.timings = Timings {
        total_seconds: started.elapsed().as_secs_f64(),
        components: timings,
    };
    for o in &pipeline.outputs {
        written.push(o.component.write(&report, &dataset, &out_dir)?);
    }
    Ok(RunOutcome {
        report,
        dataset,
        out_dir,
        written,
        quarantined,
    })
}

/// The dataset a run's models see, and how each stage got there.
pub struct Prepared {
    /// Collected, cut at `as_of` and preprocessed.
    pub dataset: Dataset,
    /// One summary per collector, the `as_of` cut, and one per preprocessor.
    pub stages: Vec<StageSummary>,
    /// Seconds per component.
    pub timings: BTreeMap<String, f64>,
}

/// Runs the collectors concurrently (merged in manifest order, then sorted), cuts everything
/// dated on or after `as_of`, and runs the preprocessors in order. Used by [`run()`] and by
/// evaluations that re-run the models at earlier origins.
pub async fn prepare(
    pipeline: &Pipeline,
    ctx: &Context,
    as_of: NaiveDate,
) -> Result<Prepared, RunError> {
    prepare_tapped(pipeline, ctx, as_of, &mut Taps::default()).await
}

/// [`prepare()`] with `taps`: a collector in [`Taps::replace`] is not run and returns the
/// records given instead (cut at `as_of` like any other); records in [`Taps::insert`] for a
/// preprocessor are added to the dataset that enters it; outputs named in [`Taps::capture`]
/// are kept.
pub async fn prepare_tapped(
    pipeline: &Pipeline,
    ctx: &Context,
    as_of: NaiveDate,
    taps: &mut Taps,
) -> Result<Prepared, RunError> {
    let mut stages = Vec::new();
    let mut timings = BTreeMap::new();
    if pipeline.collectors.is_empty() {
        ctx.warn("the manifest has no [[collect]]: there is nothing to read");
    }

    // Collect, concurrently. Results are merged in manifest order, then sorted.
    let mut tasks = tokio::task::JoinSet::new();
    let mut results = Vec::new();
    for (i, c) in pipeline.collectors.iter().enumerate() {
        if let Some(records) = taps.replace.get(&c.spec.name) {
            results.push((i, Ok(records.clone()), 0.0));
            continue;
        }
        let collector = c.component.clone();
        let cctx = ctx.for_component(&c.spec.name);
        tasks.spawn(async move {
            let t = Instant::now();
            let result = collector.collect(&cctx).await;
            (i, result, t.elapsed().as_secs_f64())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (i, result, seconds) = joined.map_err(|e| RunError::Component {
            component: "collect".into(),
            source: restock_core::Error::Other(format!("collector task failed: {e}")),
        })?;
        results.push((i, result, seconds));
    }
    results.sort_by_key(|r| r.0);
    let mut dataset = Dataset::default();
    for (i, result, seconds) in results {
        let spec = &pipeline.collectors[i].spec;
        let collected = result.map_err(|source| RunError::Component {
            component: spec.name.clone(),
            source,
        })?;
        stages.push(StageSummary {
            stage: "collect".into(),
            component: spec.name.clone(),
            type_name: spec.type_name.clone(),
            records_in: collected.len(),
            records_out: collected.len(),
            quarantined: 0,
            filtered: 0,
            items: None,
        });
        taps.keep(&spec.name, || Captured::Dataset(collected.clone()));
        timings.insert(spec.name.clone(), seconds);
        tracing::info!(component = %spec.name, records = collected.len(), seconds, "collected");
        dataset.merge(collected);
    }
    dataset.sort();

    // The as_of cut: what happened on or after "today" is the future.
    let before = dataset.len();
    dataset
        .documents
        .retain(|d| d.created_at.date_naive() < as_of);
    dataset.sales.retain(|s| s.date < as_of);
    let removed = before - dataset.len();
    if removed > 0 {
        ctx.for_component("as_of").report(
            Severity::Info,
            None,
            None,
            format!("{removed} records dated on or after {as_of} left out"),
        );
    }
    stages.push(StageSummary {
        stage: "as_of".into(),
        component: "as_of".into(),
        type_name: "as_of".into(),
        records_in: before,
        records_out: dataset.len(),
        quarantined: 0,
        filtered: removed,
        items: None,
    });

    for p in &pipeline.preprocessors {
        taps.insert_before(&p.spec.name, &mut dataset);
        let t = Instant::now();
        let before = dataset.len();
        dataset = p
            .component
            .process(dataset, &ctx.for_component(&p.spec.name))
            .await
            .map_err(|source| RunError::Component {
                component: p.spec.name.clone(),
                source,
            })?;
        timings.insert(p.spec.name.clone(), t.elapsed().as_secs_f64());
        taps.keep(&p.spec.name, || Captured::Dataset(dataset.clone()));
        tracing::info!(component = %p.spec.name, records_in = before, records_out = dataset.len(), "preprocessed");
        stages.push(StageSummary {
            stage: "preprocess".into(),
            component: p.spec.name.clone(),
            type_name: p.spec.type_name.clone(),
            records_in: before,
            records_out: dataset.len(),
            quarantined: 0,
            filtered: before.saturating_sub(dataset.len()),
            items: None,
        });
    }

    Ok(Prepared {
        dataset,
        stages,
        timings,
    })
}

fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.component, &a.item, &a.location, &a.message, a.severity).cmp(&(
            &b.component,
            &b.item,
            &b.location,
            &b.message,
            b.severity,
        ))
    });
}

/// Reports (as warnings on the strategy, keeping them: nothing is silently dropped) decisions
/// about an item the run knows nothing of (not a key of the models' outlook, nor a product,
/// category, stock position or sale in the dataset) and second decisions for the same item.
/// Built-in strategies never make either; a plugin's may, e.g. from a mistyped id.
fn check_decisions(decisions: &[Decision], dataset: &Dataset, outlook: &Outlook, ctx: &Context) {
    let known: HashSet<&str> = outlook
        .items
        .keys()
        .map(String::as_str)
        .chain(dataset.stock.iter().map(|s| s.product_id.as_str()))
        .chain(dataset.sales.iter().map(|s| s.product_id.as_str()))
        .chain(dataset.products.iter().map(|p| p.id.as_str()))
        .chain(
            dataset
                .products
                .iter()
                .filter_map(|p| p.category.as_deref()),
        )
        .collect();
    let mut seen = HashSet::new();
    for decision in decisions {
        let id = decision.product_id.as_str();
        if !known.contains(id) {
            ctx.report(
                Severity::Warning,
                Some(id),
                None,
                "a decision about an item this run has no data for (not in the models' outlook, \
                 the products, stock or sales): check the strategy's item ids",
            );
        }
        if !seen.insert(id) {
            ctx.report(
                Severity::Warning,
                Some(id),
                None,
                "a second decision for the same item: both are in the outputs",
            );
        }
    }
}
