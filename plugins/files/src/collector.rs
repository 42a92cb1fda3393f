//! The collector: reads the joined files, then the main file row by row on a blocking thread,
//! and reports what it read and what it set aside.

use std::sync::Arc;

use async_trait::async_trait;
use restock_core::{Collector, Context, Dataset, Error, Provenance, Severity};

use crate::join::JoinIndex;
use crate::mapping::{Converter, Record};
use crate::plan::{Plan, describe};
use crate::read::{RowReader, Tally};
use crate::row::Item;

/// A `csv` or `jsonl` collector built from a checked plan.
pub(crate) struct FileCollector {
    plan: Arc<Plan>,
}

impl FileCollector {
    /// A collector following `plan`.
    pub(crate) fn new(plan: Plan) -> Self {
        Self {
            plan: Arc::new(plan),
        }
    }
}

#[async_trait]
impl Collector for FileCollector {
    async fn collect(&self, ctx: &Context) -> restock_core::Result<Dataset> {
        if ctx.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let plan = self.plan.clone();
        let ctx = ctx.clone();
        tokio::task::spawn_blocking(move || read_all(&plan, &ctx))
            .await
            .map_err(|e| Error::Other(format!("the task reading the file failed: {e}")))?
    }
}

/// What was read from the main file.
#[derive(Debug, Default)]
struct Counts {
    /// Rows that became records.
    rows: usize,
    /// Records made (more than `rows` when joins matched several combinations).
    records: usize,
    /// Rows that gave more than one record.
    fanned_out: usize,
    /// Per join: rows kept although their key matched nothing.
    unmatched: Vec<usize>,
    /// Sales whose quantity is recorded as unknown (`missing_values`).
    unknown_quantity: usize,
}

fn read_all(plan: &Plan, ctx: &Context) -> restock_core::Result<Dataset> {
    let mut tally = Tally::new(ctx, &format!("reading {}", plan.file.name));
    let indexes = plan
        .joins
        .iter()
        .map(|join| JoinIndex::load(join, &mut tally))
        .collect::<Result<Vec<_>, _>>()?;

    let source = plan.file.source.clone();
    let reader = RowReader::open(&plan.file)?;
    let mapping = plan
        .resolve(reader.header())
        .map_err(|problems| Error::Input {
            location: Provenance::at(source.clone(), 1),
            message: describe(&problems),
        })?;
    let mut converter = Converter::new(plan, &mapping, &indexes);
    let mut dataset = Dataset::default();
    let mut counts = Counts {
        unmatched: vec![0; plan.joins.len()],
        ..Counts::default()
    };
    reader.for_each(&mut |item| {
        tally.tick()?;
        match item {
            Item::Unreadable { line, reason, raw } => tally.quarantine(&source, line, reason, raw),
            Item::Row { line, row } => {
                match converter.convert(row, &Provenance::at(source.clone(), line)) {
                    Ok(converted) => {
                        counts.rows += 1;
                        counts.records += converted.records.len();
                        if converted.records.len() > 1 {
                            counts.fanned_out += 1;
                        }
                        for j in converted.unmatched {
                            counts.unmatched[j] += 1;
                        }
                        for record in converted.records {
                            if matches!(&record, Record::Sale(s) if s.quantity.is_nan()) {
                                counts.unknown_quantity += 1;
                            }
                            push(&mut dataset, record);
                        }
                    }
                    Err(error) => tally.quarantine(&source, line, error.to_string(), row.raw()),
                }
            }
        }
        Ok(())
    })?;

    let mut message = format!(
        "read {} records, quarantined {} rows",
        counts.records, tally.quarantined
    );
    if counts.fanned_out > 0 {
        message.push_str(&format!(
            " (from {} rows of {}: {} rows matched several distinct rows of the joined files, \
             one record per match)",
            counts.rows, plan.file.name, counts.fanned_out
        ));
    }
    if !plan.missing_values.is_empty() {
        let markers: Vec<String> = plan
            .missing_values
            .iter()
            .map(|m| format!("{m:?}"))
            .collect();
        message.push_str(&format!(
            "; {} sales have a quantity recorded as unknown (NaN: a cell {} in missing_values)",
            counts.unknown_quantity,
            markers.join(" or ")
        ));
    }
    ctx.report(
        Severity::Info,
        None,
        Some(Provenance::of(source.clone())),
        message,
    );
    for (join, unmatched) in plan.joins.iter().zip(&counts.unmatched) {
        if *unmatched > 0 {
            let mut consequences = Vec::new();
            for (field, _) in &join.columns {
                consequences.push(match plan.columns.get(field) {
                    Some(column) => format!("{field} read from column {column} instead"),
                    None => format!("{field} left empty"),
                });
            }
            ctx.report(
                Severity::Warning,
                None,
                Some(Provenance::of(source.clone())),
                format!(
                    "{unmatched} rows of {} have no match in {} on {}; for them, {}",
                    plan.file.name,
                    join.file.name,
                    join.right,
                    consequences.join(", ")
                ),
            );
        }
    }
    Ok(dataset)
}

fn push(dataset: &mut Dataset, record: Record) {
    match record {
        Record::Document(d) => dataset.documents.push(d),
        Record::Sale(s) => dataset.sales.push(s),
        Record::Stock(s) => dataset.stock.push(s),
        Record::Product(p) => dataset.products.push(p),
        Record::Forecast(f) => dataset.forecasts.push(f),
    }
}
