//! Running a built [`Pipeline`]: collectors concurrently, then the `as_of` cut, preprocessors and
//! models in order, the strategy, and the outputs; every stage counted and timed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use restock_core::context::{MemorySink, ProgressFactory};
use restock_core::{Context, Dataset, Diagnostic, Outlook, Quarantined, Severity};

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

/// Runs `pipeline` to the end. Item failures are reported, not returned; an `Err` means a
/// whole component failed or an output could not be written.
pub async fn run(pipeline: Pipeline, options: RunOptions) -> Result<RunOutcome, RunError> {
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
    std::fs::create_dir_all(&out_dir).map_err(|source| RunError::Write {
        path: out_dir.clone(),
        source,
    })?;
    tracing::info!(pipeline = %manifest.pipeline.name, as_of = %manifest.pipeline.as_of, out_dir = %out_dir.display(), "run starts");
    let prepared = prepare(&pipeline, &ctx, manifest.pipeline.as_of).await?;
    let dataset = prepared.dataset;
    stages.extend(prepared.stages);
    timings.extend(prepared.timings);
    let as_of = manifest.pipeline.as_of;

    let mut outlook = Outlook::default();
    for m in &pipeline.models {
        let t = Instant::now();
        m.component
            .assess(&dataset, &mut outlook, &ctx.for_component(&m.spec.name))
            .await
            .map_err(|source| RunError::Component {
                component: m.spec.name.clone(),
                source,
            })?;
        timings.insert(m.spec.name.clone(), t.elapsed().as_secs_f64());
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
        let t = Instant::now();
        decisions = s
            .component
            .decide(&dataset, &outlook, &ctx.for_component(&s.spec.name))
            .await
            .map_err(|source| RunError::Component {
                component: s.spec.name.clone(),
                source,
            })?;
        decisions.sort_by(|a, b| a.product_id.cmp(&b.product_id));
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

    // The quarantine file is always written, so "nothing quarantined" is visible too.
    let mut written = Vec::new();
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
    let mut stages = Vec::new();
    let mut timings = BTreeMap::new();
    if pipeline.collectors.is_empty() {
        ctx.warn("the manifest has no [[collect]]: there is nothing to read");
    }

    // Collect, concurrently. Results are merged in manifest order, then sorted.
    let mut tasks = tokio::task::JoinSet::new();
    for (i, c) in pipeline.collectors.iter().enumerate() {
        let collector = c.component.clone();
        let cctx = ctx.for_component(&c.spec.name);
        tasks.spawn(async move {
            let t = Instant::now();
            let result = collector.collect(&cctx).await;
            (i, result, t.elapsed().as_secs_f64())
        });
    }
    let mut results = Vec::new();
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
