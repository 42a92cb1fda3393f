//! The report of a run: what was read, what the models concluded, what was decided, and what
//! went wrong — a pure function of the inputs, the manifest and `as_of`, except for the
//! `timings` field, which snapshot tests redact.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use restock_core::{Decision, Diagnostic, Outlook};
use serde::Serialize;

/// Floats in written reports are rounded to this many decimal places.
pub const REPORT_DECIMALS: i32 = 6;

/// Everything a run produced.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Which pipeline, for which day.
    pub pipeline: PipelineInfo,
    /// Counts per stage and totals.
    pub summary: Summary,
    /// The models' findings per item.
    pub outlook: Outlook,
    /// One decision per decided item, sorted by item.
    pub decisions: Vec<Decision>,
    /// Every diagnostic, sorted by component, item and message.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall-clock seconds per stage: the only non-deterministic field.
    pub timings: Timings,
}

/// Which pipeline ran.
#[derive(Debug, Clone, Serialize)]
pub struct PipelineInfo {
    /// `[pipeline] name`.
    pub name: String,
    /// `[pipeline] description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The run's "today".
    pub as_of: NaiveDate,
    /// The manifest's file name (no folders, so reports do not depend on where they ran).
    pub manifest: String,
}

/// What each stage did to the records.
#[derive(Debug, Clone, Serialize)]
pub struct StageSummary {
    /// `collect`, `as_of`, `preprocess`, `model`, `strategy`.
    pub stage: String,
    /// The component's name.
    pub component: String,
    /// The component's type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Records read (collectors) or received (other stages).
    pub records_in: usize,
    /// Records passed on.
    pub records_out: usize,
    /// Rows that could not be read, set aside in `quarantine.jsonl`.
    pub quarantined: usize,
    /// Records removed on purpose (future dates, empty texts, …).
    pub filtered: usize,
    /// Items assessed (models) or decided (strategy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<usize>,
}

/// Records of each kind after preprocessing.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RecordCounts {
    /// Documents.
    pub documents: usize,
    /// Sales.
    pub sales: usize,
    /// Stock positions.
    pub stock: usize,
    /// Products.
    pub products: usize,
    /// Supplied demand forecasts (one per item and period); left out when there are none.
    #[serde(skip_serializing_if = "is_zero")]
    pub forecasts: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Totals of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// One entry per component, in run order.
    pub stages: Vec<StageSummary>,
    /// Records the models saw.
    pub records: RecordCounts,
    /// Rows quarantined in all.
    pub quarantined: usize,
    /// The quarantine file, relative to the output folder.
    pub quarantine_file: String,
    /// Items with an outlook.
    pub items_assessed: usize,
    /// Decisions made.
    pub decisions: usize,
    /// Decisions to order.
    pub orders: usize,
    /// Units to order in all.
    pub units_to_order: f64,
    /// Diagnostics by severity.
    pub diagnostics: BTreeMap<String, usize>,
}

/// Wall-clock seconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    /// The whole run.
    pub total_seconds: f64,
    /// Per component, by name.
    pub components: BTreeMap<String, f64>,
}

/// `value` as JSON with every float rounded to [`REPORT_DECIMALS`] places.
pub fn to_rounded_json<T: Serialize>(value: &T) -> serde_json::Value {
    let mut json = serde_json::to_value(value).expect("reports serialise to JSON");
    round_floats(&mut json);
    json
}

fn round_floats(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let scale = 10f64.powi(REPORT_DECIMALS);
            let rounded = (x * scale).round() / scale;
            // -0.0 prints as "-0.0": normalise.
            let rounded = if rounded == 0.0 { 0.0 } else { rounded };
            if let Some(n) = serde_json::Number::from_f64(rounded) {
                *value = serde_json::Value::Number(n);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(round_floats),
        serde_json::Value::Object(map) => map.values_mut().for_each(round_floats),
        _ => {}
    }
}

/// A float rounded to [`REPORT_DECIMALS`] places, for text outputs.
pub fn round(x: f64) -> f64 {
    let scale = 10f64.powi(REPORT_DECIMALS);
    let r = (x * scale).round() / scale;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_rounded_to_six_places() {
        let json = to_rounded_json(&serde_json::json!({"a": [0.1234567891, -0.0000001], "b": 3}));
        assert_eq!(json.to_string(), r#"{"a":[0.123457,0.0],"b":3}"#);
    }
}
