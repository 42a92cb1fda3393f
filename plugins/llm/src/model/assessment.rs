//! The answer `openai_chat` asks for: its JSON Schema, its checks, and how the answers of an
//! item's several requests combine.

use std::collections::HashSet;

use restock_core::TrendDirection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The name sent with the schema (`response_format.json_schema.name`).
pub(crate) const SCHEMA_NAME: &str = "demand_assessment";

/// The JSON Schema of an answer, in the subset OpenAI's strict mode accepts (every property
/// required, no additional properties).
pub fn answer_schema() -> Value {
    let strings = json!({"type": "array", "items": {"type": "string"}});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": [
            "trend", "confidence", "demand_drivers", "risks", "stockout_mentions",
            "quality_issues", "summary", "supporting_document_ids"
        ],
        "properties": {
            "trend": {"type": "string", "enum": ["increase", "decrease", "stable"],
                      "description": "where demand for the item is going"},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                           "description": "confidence in the trend"},
            "demand_drivers": strings.clone(),
            "risks": strings.clone(),
            "stockout_mentions": {"type": "integer", "minimum": 0,
                                  "description": "documents that mention a stock-out or unavailability"},
            "quality_issues": strings.clone(),
            "summary": {"type": "string", "description": "one sentence in the requested language"},
            "supporting_document_ids": strings,
        },
    })
}

/// One validated answer (of one request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Answer {
    pub trend: TrendDirection,
    pub confidence: f64,
    pub demand_drivers: Vec<String>,
    pub risks: Vec<String>,
    pub stockout_mentions: usize,
    pub quality_issues: Vec<String>,
    pub summary: String,
    pub supporting_document_ids: Vec<String>,
}

/// Checks `object` against the schema and the documents sent (`sent`: their ids), returning
/// the typed answer or every problem, in words the model can act on.
///
/// Beyond the schema: `confidence` must be finite, `stockout_mentions` at most the documents
/// sent, `summary` non-empty, and every supporting id one that was sent. Extra properties are
/// ignored (a server without `json_schema` may add some); list entries are trimmed and empty
/// ones dropped.
pub(crate) fn validate(object: &Map<String, Value>, sent: &[String]) -> Result<Answer, String> {
    let mut problems = Vec::new();
    let trend = match object.get("trend").and_then(Value::as_str) {
        Some("increase") => Some(TrendDirection::Increase),
        Some("decrease") => Some(TrendDirection::Decrease),
        Some("stable") => Some(TrendDirection::Stable),
        Some(other) => {
            problems.push(format!(
                "trend is {other:?}: must be \"increase\", \"decrease\" or \"stable\""
            ));
            None
        }
        None => {
            problems.push("trend is missing or not a string".to_owned());
            None
        }
    };
    let confidence = match object.get("confidence").and_then(Value::as_f64) {
        Some(c) if (0.0..=1.0).contains(&c) => Some(c),
        Some(c) => {
            problems.push(format!("confidence is {c}: must be between 0 and 1"));
            None
        }
        None => {
            problems.push("confidence is missing or not a number".to_owned());
            None
        }
    };
    let mut list = |key: &str| match object.get(key) {
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(text) if !text.trim().is_empty() => out.push(text.trim().to_owned()),
                    Some(_) => {}
                    None => {
                        problems.push(format!("{key} must hold only strings"));
                        break;
                    }
                }
            }
            out
        }
        _ => {
            problems.push(format!("{key} is missing or not an array of strings"));
            Vec::new()
        }
    };
    let demand_drivers = list("demand_drivers");
    let risks = list("risks");
    let quality_issues = list("quality_issues");
    let supporting_document_ids = list("supporting_document_ids");
    let stockout_mentions = match object.get("stockout_mentions").and_then(Value::as_u64) {
        Some(n) if n as usize <= sent.len() => Some(n as usize),
        Some(n) => {
            problems.push(format!(
                "stockout_mentions is {n}, more than the {} documents sent",
                sent.len()
            ));
            None
        }
        None => {
            problems.push("stockout_mentions is missing or not a whole number ≥ 0".to_owned());
            None
        }
    };
    let summary = match object.get("summary").and_then(Value::as_str) {
        Some(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        _ => {
            problems.push("summary is missing or empty".to_owned());
            None
        }
    };
    let known: HashSet<&str> = sent.iter().map(String::as_str).collect();
    let unknown: Vec<&str> = supporting_document_ids
        .iter()
        .map(String::as_str)
        .filter(|id| !known.contains(id))
        .collect();
    if !unknown.is_empty() {
        problems.push(format!(
            "supporting_document_ids has ids that were not sent: {}",
            unknown.join(", ")
        ));
    }
    match (trend, confidence, stockout_mentions, summary) {
        (Some(trend), Some(confidence), Some(stockout_mentions), Some(summary))
            if problems.is_empty() =>
        {
            Ok(Answer {
                trend,
                confidence,
                demand_drivers,
                risks,
                stockout_mentions,
                quality_issues,
                summary,
                supporting_document_ids: dedup(supporting_document_ids),
            })
        }
        _ => Err(problems.join("; ")),
    }
}

/// The answers of one item's requests (with the documents each saw) as one answer: the trend
/// whose Σ documents × confidence is largest (ties: stable, then increase), its confidence that
/// weight over all documents, its summary from its largest request; lists joined without
/// repeats, stock-out mentions added.
pub(crate) fn combine(parts: &[(Answer, usize)]) -> Answer {
    if let [(only, _)] = parts {
        return only.clone();
    }
    let total: f64 = parts.iter().map(|(_, n)| *n as f64).sum::<f64>().max(1.0);
    let weight = |trend: TrendDirection| -> f64 {
        parts
            .iter()
            .filter(|(a, _)| a.trend == trend)
            .map(|(a, n)| a.confidence * *n as f64)
            .sum()
    };
    let mut trend = TrendDirection::Stable;
    for candidate in [TrendDirection::Increase, TrendDirection::Decrease] {
        if weight(candidate) > weight(trend) {
            trend = candidate;
        }
    }
    let summary = parts
        .iter()
        .filter(|(a, _)| a.trend == trend)
        // The first of the largest, so the choice does not depend on the sort's stability.
        .fold(None, |best: Option<&(Answer, usize)>, part| match best {
            Some(best) if best.1 >= part.1 => Some(best),
            _ => Some(part),
        })
        .or(parts.first())
        .map(|(a, _)| a.summary.clone())
        .unwrap_or_default();
    let joined = |field: fn(&Answer) -> &Vec<String>| {
        dedup(
            parts
                .iter()
                .flat_map(|(a, _)| field(a).iter().cloned())
                .collect(),
        )
    };
    Answer {
        trend,
        confidence: (weight(trend) / total).clamp(0.0, 1.0),
        demand_drivers: joined(|a| &a.demand_drivers),
        risks: joined(|a| &a.risks),
        stockout_mentions: parts.iter().map(|(a, _)| a.stockout_mentions).sum(),
        quality_issues: joined(|a| &a.quality_issues),
        summary,
        supporting_document_ids: joined(|a| &a.supporting_document_ids),
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(item.to_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent() -> Vec<String> {
        vec!["r1".into(), "r2".into()]
    }

    fn good() -> Value {
        json!({
            "trend": "increase", "confidence": 0.7, "demand_drivers": ["gifts", " "],
            "risks": [], "stockout_mentions": 1, "quality_issues": ["leaks"],
            "summary": "Demand is rising.", "supporting_document_ids": ["r2", "r2"],
            "extra": true
        })
    }

    fn check(change: Value, expected: Result<(), &str>) {
        let mut object = good().as_object().unwrap().clone();
        for (key, value) in change.as_object().unwrap() {
            if value.is_null() {
                object.remove(key);
            } else {
                object.insert(key.clone(), value.clone());
            }
        }
        match (validate(&object, &sent()), expected) {
            (Ok(_), Ok(())) => {}
            (Err(reason), Err(part)) => assert!(reason.contains(part), "{reason:?} lacks {part:?}"),
            (got, want) => panic!("{change}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn answers_and_their_problems() {
        let rows: &[(Value, Result<(), &str>)] = &[
            (json!({}), Ok(())),
            (json!({"trend": "up"}), Err("trend is \"up\"")),
            (json!({"trend": null}), Err("trend is missing")),
            (json!({"confidence": 1.5}), Err("confidence is 1.5")),
            (json!({"confidence": -0.1}), Err("between 0 and 1")),
            (
                json!({"confidence": "high"}),
                Err("confidence is missing or not a number"),
            ),
            (
                json!({"stockout_mentions": 3}),
                Err("more than the 2 documents"),
            ),
            (json!({"stockout_mentions": -1}), Err("not a whole number")),
            (json!({"stockout_mentions": 1.5}), Err("not a whole number")),
            (json!({"summary": "  "}), Err("summary is missing or empty")),
            (
                json!({"risks": "none"}),
                Err("risks is missing or not an array"),
            ),
            (json!({"risks": [1]}), Err("risks must hold only strings")),
            (
                json!({"supporting_document_ids": ["r9"]}),
                Err("not sent: r9"),
            ),
        ];
        for (change, expected) in rows {
            check(change.clone(), *expected);
        }
        let answer = validate(good().as_object().unwrap(), &sent()).unwrap();
        assert_eq!(answer.demand_drivers, vec!["gifts"]);
        assert_eq!(answer.supporting_document_ids, vec!["r2"]);
    }

    #[test]
    fn several_answers_combine_by_weighted_confidence() {
        let answer = |trend, confidence, summary: &str, ids: &[&str]| Answer {
            trend,
            confidence,
            demand_drivers: vec!["price".into()],
            risks: vec![],
            stockout_mentions: 1,
            quality_issues: vec![],
            summary: summary.into(),
            supporting_document_ids: ids.iter().map(|s| s.to_string()).collect(),
        };
        let combined = combine(&[
            (answer(TrendDirection::Increase, 0.9, "up", &["a"]), 10),
            (answer(TrendDirection::Decrease, 0.8, "down", &["b"]), 5),
            (
                answer(TrendDirection::Increase, 0.5, "up small", &["a", "c"]),
                2,
            ),
        ]);
        assert_eq!(combined.trend, TrendDirection::Increase);
        assert!((combined.confidence - (9.0 + 1.0) / 17.0).abs() < 1e-12);
        assert_eq!(combined.summary, "up");
        assert_eq!(combined.stockout_mentions, 3);
        assert_eq!(combined.demand_drivers, vec!["price"]);
        assert_eq!(combined.supporting_document_ids, vec!["a", "b", "c"]);
    }
}
