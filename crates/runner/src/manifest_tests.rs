//! Tests written in the manifest (`[[tests]]`, after Vector's unit tests): each test puts records
//! in at a stage, runs the pipeline, and checks conditions on a stage's output. `restock test
//! MANIFEST` runs them ([`run_tests`]) and prints `PASS`/`FAIL` per test with a diff of each
//! failed condition.
//!
//! ```toml
//! [[tests]]
//! name = "orders up to S"
//! [[tests.inputs]]
//! insert_at = "stock"          # a collector: its output is replaced (it is not run);
//!                              # a preprocessor, model or strategy: records are added before it
//! records = "stock"            # documents | sales | stock | products | forecasts
//! rows = [ { product_id = "A", on_hand = 3, ... } ]   # or file = "fixtures/stock.jsonl"
//! [[tests.outputs]]
//! extract_from = "policy"      # collector or preprocessor (with `records`), model, strategy
//! [[tests.outputs.conditions]]
//! where = { product_id = "A" }
//! field = "order_quantity"
//! equals = 12                  # optionally with within = 0.5; or count = 3 without field
//! ```
//!
//! The tests are read with the manifest ([`parse`], called by [`crate::Manifest::parse`]): every
//! mistake, a row that does not read as its record type included, is a manifest error with
//! `file:line:col` and the key path, so `restock validate` finds them too.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use restock_core::config::{self, ConfigKind, ConfigValue};
use restock_core::{Dataset, Provenance, RecordKind};
use serde::Deserialize;
use serde_json::Value;

use crate::build::Pipeline;
use crate::error::ManifestError;
use crate::manifest::{
    ComponentSpec, Section, did_you_mean, drop_explained_missing, explain, prefixed,
};
use crate::run::{Captured, RunOptions, Taps};

/// A [`RecordKind`]'s records in their JSON form, as tests insert, compare and name them.
trait JsonRecords: Copy {
    /// Reads one row (its JSON form) into `dataset`.
    fn push(self, row: Value, dataset: &mut Dataset) -> Result<(), serde_json::Error>;
    /// The records of this kind in `dataset`, in their JSON form.
    fn records(self, dataset: &Dataset) -> Vec<Value>;
    /// How a record of this kind is named in a diff: `sale A 2024-03-01 (file:3)`.
    fn describe(self, record: &Value) -> String;
}

impl JsonRecords for RecordKind {
    fn push(self, row: Value, dataset: &mut Dataset) -> Result<(), serde_json::Error> {
        match self {
            RecordKind::Documents => dataset.documents.push(serde_json::from_value(row)?),
            RecordKind::Sales => dataset.sales.push(serde_json::from_value(row)?),
            RecordKind::Stock => dataset.stock.push(serde_json::from_value(row)?),
            RecordKind::Products => dataset.products.push(serde_json::from_value(row)?),
            RecordKind::Forecasts => dataset.forecasts.push(serde_json::from_value(row)?),
        }
        Ok(())
    }

    fn records(self, dataset: &Dataset) -> Vec<Value> {
        fn json<T: serde::Serialize>(records: &[T]) -> Vec<Value> {
            records
                .iter()
                .map(|r| serde_json::to_value(r).expect("records serialise"))
                .collect()
        }
        match self {
            RecordKind::Documents => json(&dataset.documents),
            RecordKind::Sales => json(&dataset.sales),
            RecordKind::Stock => json(&dataset.stock),
            RecordKind::Products => json(&dataset.products),
            RecordKind::Forecasts => json(&dataset.forecasts),
        }
    }

    fn describe(self, record: &Value) -> String {
        let field = |name: &str| match record.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => "-".to_owned(),
            Some(other) => other.to_string(),
        };
        let key = match self {
            RecordKind::Documents => field("id"),
            RecordKind::Sales => format!("{} {}", field("product_id"), field("date")),
            RecordKind::Stock => field("product_id"),
            RecordKind::Products => field("id"),
            RecordKind::Forecasts => format!("{} {}", field("product_id"), field("start")),
        };
        let at = record
            .get("provenance")
            .and_then(|p| serde_json::from_value::<Provenance>(p.clone()).ok())
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        format!("{} {key}{at}", self.singular())
    }
}

/// One `[[tests]]` entry, checked against the manifest's components.
#[derive(Debug, Clone)]
pub struct ManifestTest {
    /// The test's name (unique in the manifest).
    pub name: String,
    /// Records put in, by component name (a collector's are its whole output).
    pub inputs: Vec<TestInput>,
    /// What to check.
    pub outputs: Vec<TestOutput>,
}

/// `[[tests.inputs]]`: records put in at a component.
#[derive(Debug, Clone)]
pub struct TestInput {
    /// The component (`insert_at`).
    pub insert_at: String,
    /// The records, each with a provenance (the manifest or fixture file and line, unless the
    /// row gave one).
    pub records: Dataset,
}

/// `[[tests.outputs]]`: conditions on one component's output.
#[derive(Debug, Clone)]
pub struct TestOutput {
    /// The component (`extract_from`).
    pub extract_from: String,
    /// Which records of a dataset to check (collectors and preprocessors).
    pub records: Option<RecordKind>,
    /// The conditions, all of which must hold.
    pub conditions: Vec<Condition>,
}

/// `[[tests.outputs.conditions]]`.
#[derive(Debug, Clone)]
pub struct Condition {
    /// Where it was written: `tests[0].outputs[0].conditions[1]` and `file:line`.
    pub label: String,
    /// Field (dotted path) → value: the records the condition is about.
    pub filter: BTreeMap<String, Value>,
    /// What must hold.
    pub check: Check,
}

/// What a condition checks.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Every matching record's `field` equals `expected` (numbers within `within`, default 0).
    Equals {
        /// Dotted path into the record's JSON form (`demand_adjustment.factor`, `points.0.mean`).
        field: String,
        /// The expected value.
        expected: Value,
        /// Tolerance for numbers: |actual − expected| ≤ within.
        within: Option<f64>,
    },
    /// The number of matching records.
    Count(usize),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    name: String,
    #[serde(default)]
    inputs: Vec<RawInput>,
    #[serde(default)]
    outputs: Vec<RawOutput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    insert_at: String,
    records: RecordKind,
    #[serde(default)]
    rows: Option<Vec<Value>>,
    #[serde(default)]
    file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    extract_from: String,
    #[serde(default)]
    records: Option<RecordKind>,
    #[serde(default)]
    conditions: Vec<RawCondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    #[serde(default, rename = "where")]
    filter: BTreeMap<String, Value>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    equals: Option<Value>,
    #[serde(default)]
    within: Option<f64>,
    #[serde(default)]
    count: Option<usize>,
}

/// The fields of a decision's JSON form (every optional one included).
fn decision_fields() -> Vec<String> {
    use restock_core::{Action, Decision, DemandAdjustment};
    let every = Decision {
        product_id: String::new(),
        strategy: String::new(),
        policy: String::new(),
        action: Action::Hold,
        order_quantity: 0.0,
        safety_stock: 0.0,
        reorder_point: 0.0,
        order_up_to: 0.0,
        inventory_position: 0.0,
        demand_per_day: 0.0,
        expected_cycle_service_level: 0.0,
        expected_fill_rate: Some(0.0),
        expected_cost_per_period: Some(0.0),
        stockout_risk: 0.0,
        days_of_cover: Some(0.0),
        class: Some(String::new()),
        demand_adjustment: Some(DemandAdjustment {
            source: String::new(),
            factor: 1.0,
            applied: false,
            reason: String::new(),
        }),
        rationale: String::new(),
        evidence: Vec::new(),
    };
    match serde_json::to_value(every) {
        Ok(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Reads the `[[tests]]` array `value` of the manifest at `path` (text `source`), checking every
/// name against `components`. Mistakes are added to `errors`; the tests without one are
/// returned.
pub fn parse(
    value: ConfigValue,
    components: &[ComponentSpec],
    path: &Path,
    source: &str,
    errors: &mut Vec<ManifestError>,
) -> Vec<ManifestTest> {
    let ConfigKind::Array(items) = &value.kind else {
        errors.push(ManifestError::new(
            path,
            source,
            Some(value.span.clone()),
            "tests".into(),
            "expected an array of tables: [[tests]]".into(),
        ));
        return Vec::new();
    };
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let names: Vec<&str> = components
        .iter()
        .filter(|c| c.section != Section::Output)
        .map(|c| c.name.as_str())
        .collect();
    let section_of = |name: &str| {
        components
            .iter()
            .find(|c| c.section != Section::Output && c.name == name)
            .map(|c| c.section)
    };
    let mut tests = Vec::new();
    let mut seen = Vec::new();
    for (t, item) in items.iter().enumerate() {
        let mut problems = Vec::new();
        let mut at = |span: Option<Range<usize>>, key: String, message: String| {
            problems.push(ManifestError::new(path, source, span, key, message))
        };
        let key = format!("tests[{t}]");
        let unknown = |name: &str, what: &str| {
            let hint = did_you_mean(name, names.iter().copied());
            format!(
                "no component is named `{name}`{hint}; {what}: {}",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )
        };
        let raw: RawTest = match config::deserialize(item) {
            Ok(raw) => raw,
            Err(errs) => {
                // "unknown field `extract_form` (did you mean `extract_from`?)" already says
                // that `extract_from` is missing.
                for e in drop_explained_missing(errs.0) {
                    at(e.span, prefixed(&key, &e.path), explain(&e.message));
                }
                // The component names are checked on the tree too, so they are reported in
                // the same round as the mistakes above.
                for (list, field) in [("inputs", "insert_at"), ("outputs", "extract_from")] {
                    let Some(ConfigValue {
                        kind: ConfigKind::Array(entries),
                        ..
                    }) = item.get(list)
                    else {
                        continue;
                    };
                    for (i, entry) in entries.iter().enumerate() {
                        let Some(value) = entry.get(field) else {
                            continue;
                        };
                        if let Some(name) = value.as_str()
                            && section_of(name).is_none()
                        {
                            at(
                                Some(value.span.clone()),
                                format!("{key}.{list}[{i}].{field}"),
                                unknown(name, "components"),
                            );
                        }
                    }
                }
                errors.extend(problems);
                continue;
            }
        };
        let span_of = |path: &[&str]| {
            let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            item.find(&path).map(|v| v.span.clone())
        };
        if seen.contains(&raw.name) {
            at(
                span_of(&["name"]),
                format!("{key}.name"),
                format!(
                    "test name `{}` is used twice; names must be unique",
                    raw.name
                ),
            );
        }
        seen.push(raw.name.clone());
        if raw.outputs.is_empty() {
            at(
                Some(item.span.clone()),
                key.clone(),
                format!(
                    "test `{}` checks nothing: add a [[tests.outputs]] with conditions",
                    raw.name
                ),
            );
        }
        let mut inputs = Vec::new();
        for (i, input) in raw.inputs.into_iter().enumerate() {
            let ikey = format!("{key}.inputs[{i}]");
            let index = format!("[{i}]");
            if section_of(&input.insert_at).is_none() {
                at(
                    span_of(&["inputs", &index, "insert_at"]),
                    format!("{ikey}.insert_at"),
                    unknown(&input.insert_at, "components"),
                );
            }
            let mut records = Dataset::default();
            match (input.rows, input.file) {
                (Some(_), Some(_)) | (None, None) => at(
                    span_of(&["inputs", &index]),
                    ikey.clone(),
                    "give the records either inline (`rows = [...]`) or in a file \
                     (`file = \"...\"`), not both or neither"
                        .into(),
                ),
                (Some(rows), None) => {
                    for (r, row) in rows.into_iter().enumerate() {
                        let row_index = format!("[{r}]");
                        let span = span_of(&["inputs", &index, "rows", &row_index]);
                        let line = span
                            .as_ref()
                            .map(|s| crate::error::line_column(source, s.start).0 as u64);
                        let provenance = Provenance {
                            source: Arc::from(path.display().to_string()),
                            line,
                        };
                        if let Err(e) = read_row(input.records, row, provenance, &mut records) {
                            at(
                                span,
                                format!("{ikey}.rows[{r}]"),
                                format!(
                                    "test `{}`: row {r} is not a {} record: {e}",
                                    raw.name,
                                    input.records.singular()
                                ),
                            );
                        }
                    }
                }
                (None, Some(file)) => {
                    let span = span_of(&["inputs", &index, "file"]);
                    let full = base.join(&file);
                    match read_file(&full, input.records, &mut records) {
                        Ok(()) => {}
                        Err(problems) => {
                            for message in problems {
                                at(
                                    span.clone(),
                                    format!("{ikey}.file"),
                                    format!("test `{}`: {message}", raw.name),
                                );
                            }
                        }
                    }
                }
            }
            inputs.push(TestInput {
                insert_at: input.insert_at,
                records,
            });
        }

        let mut outputs = Vec::new();
        for (o, output) in raw.outputs.into_iter().enumerate() {
            let okey = format!("{key}.outputs[{o}]");
            let index = format!("[{o}]");
            match section_of(&output.extract_from) {
                None => at(
                    span_of(&["outputs", &index, "extract_from"]),
                    format!("{okey}.extract_from"),
                    unknown(&output.extract_from, "components"),
                ),
                Some(Section::Collect | Section::Preprocess) if output.records.is_none() => at(
                    span_of(&["outputs", &index, "extract_from"]),
                    format!("{okey}.records"),
                    format!(
                        "`{}` gives a dataset: say which records to check \
                         (records = \"documents\" | \"sales\" | \"stock\" | \"products\" | \
                         \"forecasts\")",
                        output.extract_from
                    ),
                ),
                Some(Section::Model | Section::Strategy) if output.records.is_some() => at(
                    span_of(&["outputs", &index, "records"]),
                    format!("{okey}.records"),
                    format!(
                        "`{}` gives {}, not a dataset: leave `records` out",
                        output.extract_from,
                        if section_of(&output.extract_from) == Some(Section::Model) {
                            "an outlook (one record per item)"
                        } else {
                            "decisions"
                        }
                    ),
                ),
                _ => {}
            }
            if output.conditions.is_empty() {
                at(
                    span_of(&["outputs", &index]),
                    okey.clone(),
                    "no conditions: add [[tests.outputs.conditions]]".into(),
                );
            }
            let is_strategy = section_of(&output.extract_from) == Some(Section::Strategy);
            let mut conditions = Vec::new();
            for (c, raw) in output.conditions.into_iter().enumerate() {
                let ckey = format!("{okey}.conditions[{c}]");
                let cindex = format!("[{c}]");
                let span = span_of(&["outputs", &index, "conditions", &cindex]);
                // A decision's fields are known: a misspelled one is a manifest error now,
                // not a "(no such field)" when the test runs.
                if is_strategy {
                    let named = raw.field.iter().map(|f| (f.as_str(), vec!["field"])).chain(
                        raw.filter
                            .keys()
                            .map(|k| (k.as_str(), vec!["where", k.as_str()])),
                    );
                    for (name, at_key) in named {
                        let first = name.split('.').next().unwrap_or(name);
                        let fields = decision_fields();
                        if !fields.iter().any(|f| f == first) {
                            let mut path = vec!["outputs", &index, "conditions", &cindex];
                            path.extend(at_key.iter().copied());
                            let hint = did_you_mean(first, fields.iter().map(String::as_str));
                            at(
                                span_of(&path).or(span.clone()),
                                format!("{ckey}.{}", at_key.join(".")),
                                format!(
                                    "a decision has no field `{first}`{hint}; fields: {}",
                                    fields.join(", ")
                                ),
                            );
                        }
                    }
                }
                let check = match (raw.field, raw.equals, raw.within, raw.count) {
                    (Some(field), Some(expected), within, None) => {
                        if within.is_some() && !expected.is_number() {
                            at(
                                span_of(&["outputs", &index, "conditions", &cindex, "within"]),
                                format!("{ckey}.within"),
                                "`within` needs a number in `equals`".into(),
                            );
                        }
                        if within.is_some_and(|w| w.is_nan() || w < 0.0) {
                            at(
                                span_of(&["outputs", &index, "conditions", &cindex, "within"]),
                                format!("{ckey}.within"),
                                "must be a number ≥ 0".into(),
                            );
                        }
                        Check::Equals {
                            field,
                            expected,
                            within,
                        }
                    }
                    (None, None, None, Some(count)) => Check::Count(count),
                    _ => {
                        at(
                            span,
                            ckey,
                            "a condition is either `field` with `equals` (and optionally \
                             `within`), or `count` alone (with an optional `where`)"
                                .into(),
                        );
                        continue;
                    }
                };
                let line = span.map_or(0, |s| crate::error::line_column(source, s.start).0);
                conditions.push(Condition {
                    label: format!("{ckey} ({}:{line})", path.display()),
                    filter: raw.filter,
                    check,
                });
            }
            outputs.push(TestOutput {
                extract_from: output.extract_from,
                records: output.records,
                conditions,
            });
        }
        if problems.is_empty() {
            tests.push(ManifestTest {
                name: raw.name,
                inputs,
                outputs,
            });
        }
        errors.extend(problems);
    }
    tests
}

/// One row (JSON form) as a record, with `provenance` added unless the row has one.
fn read_row(
    kind: RecordKind,
    mut row: Value,
    provenance: Provenance,
    dataset: &mut Dataset,
) -> Result<(), String> {
    let Value::Object(fields) = &mut row else {
        return Err("expected a table of fields".into());
    };
    if !fields.contains_key("provenance") {
        fields.insert(
            "provenance".into(),
            serde_json::to_value(provenance).expect("provenance serialises"),
        );
    }
    kind.push(row, dataset).map_err(|e| e.to_string())
}

/// Reads a fixture: JSON Lines, or one JSON array. Returns every bad row's message.
fn read_file(path: &Path, kind: RecordKind, dataset: &mut Dataset) -> Result<(), Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("cannot read {}: {e}", path.display())])?;
    let source = path.display().to_string();
    let mut problems = Vec::new();
    if text.trim_start().starts_with('[') {
        let rows: Vec<Value> = serde_json::from_str(&text)
            .map_err(|e| vec![format!("{source}: not a JSON array of rows: {e}")])?;
        for (r, row) in rows.into_iter().enumerate() {
            if let Err(e) = read_row(kind, row, Provenance::of(source.as_str()), dataset) {
                problems.push(format!(
                    "{source}: row {r} is not a {} record: {e}",
                    kind.singular()
                ));
            }
        }
    } else {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let line_no = n as u64 + 1;
            let result = serde_json::from_str::<Value>(line)
                .map_err(|e| e.to_string())
                .and_then(|row| {
                    read_row(kind, row, Provenance::at(source.as_str(), line_no), dataset)
                });
            if let Err(e) = result {
                problems.push(format!(
                    "{source}:{line_no}: not a {} record: {e}",
                    kind.singular()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// How one test went.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// `Ok(failures)` when the pipeline ran (passed when empty), `Err` when it could not.
    pub outcome: Result<Vec<Failure>, String>,
    /// The run's error diagnostics (items that failed), shown with a failed test.
    pub errors: Vec<String>,
}

impl TestResult {
    /// Ran and every condition held.
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, Ok(f) if f.is_empty())
    }
}

/// One condition that did not hold, with its diff.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Where the condition is written.
    pub label: String,
    /// The diff: what was checked, `- expected`, `+ actual`.
    pub diff: String,
}

/// The results of every test of a manifest.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    /// One per test, in manifest order.
    pub results: Vec<TestResult>,
}

impl TestReport {
    /// Tests that passed.
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    /// Tests that ran and failed.
    pub fn failed(&self) -> usize {
        self.results
            .iter()
            .filter(|r| matches!(&r.outcome, Ok(f) if !f.is_empty()))
            .count()
    }

    /// Tests whose pipeline could not run.
    pub fn not_run(&self) -> usize {
        self.results.iter().filter(|r| r.outcome.is_err()).count()
    }

    /// `PASS name` / `FAIL name` with each failure's diff / `ERROR name`, then the summary line
    /// `N passed, M failed` (and `, K could not run`).
    pub fn render(&self) -> String {
        let mut out = String::new();
        for r in &self.results {
            match &r.outcome {
                Ok(failures) if failures.is_empty() => {
                    let _ = writeln!(out, "PASS {}", r.name);
                }
                Ok(failures) => {
                    let _ = writeln!(out, "FAIL {}", r.name);
                    for f in failures {
                        let _ = writeln!(out, "  {}", f.label);
                        for line in f.diff.lines() {
                            let _ = writeln!(out, "    {line}");
                        }
                    }
                    for e in &r.errors {
                        let _ = writeln!(out, "  note: the run reported: {e}");
                    }
                }
                Err(error) => {
                    let _ = writeln!(out, "ERROR {}: the pipeline could not run: {error}", r.name);
                }
            }
        }
        let _ = write!(out, "{} passed, {} failed", self.passed(), self.failed());
        if self.not_run() > 0 {
            let _ = write!(out, ", {} could not run", self.not_run());
        }
        out.push('\n');
        out
    }
}

/// Runs every test of `pipeline`'s manifest: for each, the pipeline with the test's records put
/// in, writing nothing, then its conditions checked. A test whose run fails is reported as not
/// run; the others still run.
pub async fn run_tests(pipeline: &Pipeline, options: impl Fn() -> RunOptions) -> TestReport {
    let mut report = TestReport::default();
    for test in &pipeline.manifest.tests {
        let mut taps = Taps {
            dry: true,
            ..Taps::default()
        };
        for input in &test.inputs {
            let replaced = pipeline
                .collectors
                .iter()
                .any(|c| c.spec.name == input.insert_at);
            let target = if replaced {
                &mut taps.replace
            } else {
                &mut taps.insert
            };
            target
                .entry(input.insert_at.clone())
                .or_default()
                .merge(input.records.clone());
        }
        for output in &test.outputs {
            taps.capture.insert(output.extract_from.clone());
        }
        let result = crate::run::run_tapped(pipeline, options(), &mut taps).await;
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(error) => {
                report.results.push(TestResult {
                    name: test.name.clone(),
                    outcome: Err(error_chain(&error)),
                    errors: Vec::new(),
                });
                continue;
            }
        };
        let mut failures = Vec::new();
        for output in &test.outputs {
            let (records, describe): (Vec<Value>, Describe) =
                match taps.captured.get(&output.extract_from) {
                    Some(Captured::Dataset(dataset)) => {
                        let kind = output.records.unwrap_or(RecordKind::Sales);
                        (kind.records(dataset), Box::new(move |r| kind.describe(r)))
                    }
                    Some(Captured::Outlook(outlook)) => (
                        outlook
                            .items
                            .iter()
                            .map(|(item, o)| {
                                let mut v = serde_json::to_value(o).expect("outlooks serialise");
                                if let Value::Object(fields) = &mut v {
                                    fields.insert("item".into(), Value::String(item.clone()));
                                }
                                v
                            })
                            .collect(),
                        Box::new(|r| format!("item {}", text_of(r.get("item")))),
                    ),
                    Some(Captured::Decisions(decisions)) => (
                        decisions
                            .iter()
                            .map(|d| serde_json::to_value(d).expect("decisions serialise"))
                            .collect(),
                        Box::new(|r| format!("decision for {}", text_of(r.get("product_id")))),
                    ),
                    // The component did not run (a strategy-less manifest cannot have one).
                    None => (Vec::new(), Box::new(|_| String::new())),
                };
            for condition in &output.conditions {
                if let Some(diff) = check(condition, &records, &*describe, &output.extract_from) {
                    failures.push(Failure {
                        label: condition.label.clone(),
                        diff,
                    });
                }
            }
        }
        let errors = outcome
            .report
            .diagnostics
            .iter()
            .filter(|d| d.severity == restock_core::Severity::Error)
            .map(|d| {
                let item = d
                    .item
                    .as_deref()
                    .map(|i| format!(" [{i}]"))
                    .unwrap_or_default();
                format!("{}{item}: {}", d.component, d.message)
            })
            .collect();
        report.results.push(TestResult {
            name: test.name.clone(),
            outcome: Ok(failures),
            errors,
        });
    }
    report
}

/// Names a record in a diff.
type Describe = Box<dyn Fn(&Value) -> String>;

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        let _ = write!(text, ": {s}");
        source = s.source();
    }
    text
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(v) => show(v),
        None => "-".into(),
    }
}

/// The value at a dotted path: object keys, and array indices as numbers.
fn lookup<'v>(record: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(record, |v, segment| match v {
        Value::Object(fields) => fields.get(segment),
        Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Equal as values; numbers by value (12 equals 12.0), within `tolerance`.
fn same(actual: &Value, expected: &Value, tolerance: f64) -> bool {
    match (actual.as_f64(), expected.as_f64()) {
        (Some(a), Some(e)) => (a - e).abs() <= tolerance,
        _ => actual == expected,
    }
}

/// A value as shown in diffs: whole numbers without `.0`, strings quoted.
fn show(value: &Value) -> String {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            Some(f) => format!("{f}"),
            None => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn show_filter(filter: &BTreeMap<String, Value>) -> String {
    let parts: Vec<String> = filter
        .iter()
        .map(|(k, v)| format!("{k} = {}", show(v)))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

/// `None` when `condition` holds on `records`, else its diff.
fn check(
    condition: &Condition,
    records: &[Value],
    describe: &dyn Fn(&Value) -> String,
    component: &str,
) -> Option<String> {
    let matching: Vec<&Value> = records
        .iter()
        .filter(|r| {
            condition
                .filter
                .iter()
                .all(|(path, want)| lookup(r, path).is_some_and(|v| same(v, want, 0.0)))
        })
        .collect();
    let scope = if condition.filter.is_empty() {
        format!("output of `{component}`")
    } else {
        format!(
            "output of `{component}` where {}",
            show_filter(&condition.filter)
        )
    };
    match &condition.check {
        Check::Count(expected) => {
            if matching.len() == *expected {
                return None;
            }
            let mut diff = format!(
                "count of records in the {scope}\n- expected: {expected}\n+ actual:   {}",
                matching.len()
            );
            for r in matching.iter().take(20) {
                let _ = write!(diff, "\n    {}", describe(r));
            }
            if matching.len() > 20 {
                let _ = write!(diff, "\n    … and {} more", matching.len() - 20);
            }
            Some(diff)
        }
        Check::Equals {
            field,
            expected,
            within,
        } => {
            if matching.is_empty() {
                return Some(format!(
                    "no record in the {scope}: nothing to check `{field}` on\n- expected: \
                     {field} = {}\n+ actual:   no record",
                    show(expected)
                ));
            }
            let tolerance = within.unwrap_or(0.0);
            let expected_text = match within {
                Some(w) => format!("{} ± {}", show(expected), show(&Value::from(*w))),
                None => show(expected),
            };
            let mut diffs = Vec::new();
            for r in matching {
                let actual = lookup(r, field);
                if actual.is_some_and(|a| same(a, expected, tolerance)) {
                    continue;
                }
                diffs.push(format!(
                    "{}: {field}\n- expected: {expected_text}\n+ actual:   {}",
                    describe(r),
                    actual.map_or("(no such field)".to_owned(), show)
                ));
            }
            if diffs.is_empty() {
                None
            } else {
                Some(diffs.join("\n"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use restock_core::{
        Action, BuildContext, Collector, Context, Decision, Outlook, PluginInfo, Registry, Sale,
        Strategy,
    };

    /// Returns one sale of X (or fails, with `fail = true`).
    struct Fixed {
        fail: bool,
    }

    #[async_trait::async_trait]
    impl Collector for Fixed {
        async fn collect(&self, _ctx: &Context) -> restock_core::Result<Dataset> {
            if self.fail {
                return Err(restock_core::Error::Other("the source is gone".into()));
            }
            let mut dataset = Dataset::default();
            dataset.sales.push(Sale {
                product_id: "X".into(),
                date: "2024-01-01".parse().unwrap(),
                quantity: 1.0,
                unit_price: None,
                order_id: None,
                provenance: Provenance::of("fixed"),
            });
            Ok(dataset)
        }
    }

    /// Orders, for each product, the units it sold.
    struct SoldUnits;

    #[async_trait::async_trait]
    impl Strategy for SoldUnits {
        async fn decide(
            &self,
            dataset: &Dataset,
            _outlook: &Outlook,
            _ctx: &Context,
        ) -> restock_core::Result<Vec<Decision>> {
            let mut sold: BTreeMap<&str, f64> = BTreeMap::new();
            for s in &dataset.sales {
                *sold.entry(&s.product_id).or_default() += s.quantity;
            }
            Ok(sold
                .into_iter()
                .map(|(product, units)| Decision {
                    product_id: product.into(),
                    strategy: "sold".into(),
                    policy: "sold".into(),
                    action: Action::Order,
                    order_quantity: units,
                    safety_stock: 0.0,
                    reorder_point: 0.0,
                    order_up_to: units,
                    inventory_position: 0.0,
                    demand_per_day: 0.0,
                    expected_cycle_service_level: 1.0,
                    expected_fill_rate: None,
                    expected_cost_per_period: None,
                    stockout_risk: 0.0,
                    days_of_cover: None,
                    class: None,
                    demand_adjustment: None,
                    rationale: String::new(),
                    evidence: Vec::new(),
                })
                .collect())
        }
    }

    fn registry() -> Registry {
        #[derive(Deserialize)]
        struct FixedConfig {
            #[serde(default)]
            fail: bool,
        }
        #[derive(Deserialize)]
        struct NoConfig {}
        let info = |type_name| PluginInfo {
            type_name,
            doc: "",
            keys: &[],
            example: "",
        };
        let mut registry = Registry::new();
        registry.add_collector(info("fixed"), |c: FixedConfig, _: &BuildContext| {
            Ok(Box::new(Fixed { fail: c.fail }) as Box<dyn Collector>)
        });
        registry.add_strategy(info("sold"), |_: NoConfig, _: &BuildContext| {
            Ok(Box::new(SoldUnits) as Box<dyn Strategy>)
        });
        registry
    }

    fn run(manifest: &str) -> TestReport {
        let parsed =
            crate::Manifest::parse(Path::new("m.toml"), manifest.into(), &|_| None).unwrap();
        let pipeline = crate::build(parsed, &registry()).unwrap();
        let options = || RunOptions {
            out_dir: None,
            progress: Arc::new(restock_core::context::NoProgress),
            secrets: Arc::new(|_: &str| None),
        };
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(run_tests(&pipeline, options))
    }

    const PIPELINE: &str = r#"
[pipeline]
name = "t"
as_of = "2024-02-01"
out_dir = "/nonexistent/never-written"

[[collect]]
name = "source"
type = "fixed"

[strategy]
name = "policy"
type = "sold"
"#;

    #[test]
    fn records_replace_a_collector_or_join_before_a_component() {
        let report = run(&format!(
            "{PIPELINE}{}",
            r#"
[[tests]]
name = "inserted before the strategy"
[[tests.inputs]]
insert_at = "policy"
records = "sales"
rows = [{ product_id = "X", date = 2024-01-02, quantity = 4 }]
[[tests.outputs]]
extract_from = "policy"
[[tests.outputs.conditions]]
where = { product_id = "X" }
field = "order_quantity"
equals = 5
[[tests.outputs]]
extract_from = "source"
records = "sales"
[[tests.outputs.conditions]]
count = 1

[[tests]]
name = "the collector replaced, dated records cut at as_of"
[[tests.inputs]]
insert_at = "source"
records = "sales"
rows = [
  { product_id = "Y", date = 2024-01-02, quantity = 2 },
  { product_id = "Y", date = 2024-02-01, quantity = 50 },
]
[[tests.outputs]]
extract_from = "policy"
[[tests.outputs.conditions]]
count = 1
[[tests.outputs.conditions]]
field = "order_quantity"
equals = 2.4
within = 0.5
[[tests.outputs.conditions]]
where = { product_id = "X" }
count = 0
"#
        ));
        assert_eq!(
            report.render(),
            "PASS inserted before the strategy\n\
             PASS the collector replaced, dated records cut at as_of\n\
             2 passed, 0 failed\n"
        );
    }

    #[test]
    fn a_failing_component_is_reported_as_not_run_and_the_other_tests_go_on() {
        let manifest = PIPELINE.replace("type = \"fixed\"", "type = \"fixed\"\nfail = true");
        let report = run(&format!(
            "{manifest}{}",
            r#"
[[tests]]
name = "needs the source"
[[tests.outputs]]
extract_from = "policy"
[[tests.outputs.conditions]]
count = 1

[[tests]]
name = "does not"
[[tests.inputs]]
insert_at = "source"
records = "sales"
rows = []
[[tests.outputs]]
extract_from = "policy"
[[tests.outputs.conditions]]
count = 0
"#
        ));
        assert_eq!(report.not_run(), 1);
        assert_eq!(
            report.render(),
            "ERROR needs the source: the pipeline could not run: component `source` failed: \
             the source is gone\n\
             PASS does not\n\
             1 passed, 0 failed, 1 could not run\n"
        );
    }

    #[test]
    fn dotted_paths_reach_into_objects_and_arrays() {
        let record = serde_json::json!({ "a": { "b": [ { "c": 3.0 } ] } });
        assert_eq!(lookup(&record, "a.b.0.c"), Some(&Value::from(3.0)));
        assert_eq!(lookup(&record, "a.b.1.c"), None);
        assert!(same(&Value::from(12.0), &Value::from(12), 0.0));
        assert!(!same(&Value::from("12"), &Value::from(12), 0.0));
        assert_eq!(show(&Value::from(12.0)), "12");
        assert_eq!(show(&Value::from(0.25)), "0.25");
    }
}
