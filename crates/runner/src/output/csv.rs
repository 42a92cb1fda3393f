use std::path::PathBuf;

use restock_core::{ConfigKeyDoc, Dataset, PluginInfo};
use serde::Deserialize;

use crate::report::{Report, round};

/// Which table a `csv` output writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvTable {
    /// One row per decision.
    Decisions,
    /// One row per item of the outlook.
    Products,
    /// One row per document after preprocessing.
    Documents,
}

/// `type = "csv"`: one table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvConfig {
    /// File to write.
    pub path: PathBuf,
    /// The table.
    pub table: CsvTable,
}

pub(super) const INFO: PluginInfo = PluginInfo {
    type_name: "csv",
    doc: "one table as CSV: decisions, products (the outlook per item) or documents",
    keys: &[
        super::PATH_KEY,
        ConfigKeyDoc {
            name: "table",
            ty: "\"decisions\" | \"products\" | \"documents\"",
            default: None,
            doc: "which table to write",
        },
    ],
    example: "path = \"decisions.csv\"\ntable = \"decisions\"\n",
};

fn num(x: f64) -> String {
    round(x).to_string()
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

pub(super) fn render(config: &CsvConfig, report: &Report, dataset: &Dataset) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let result = match config.table {
        CsvTable::Decisions => decisions(&mut w, report),
        CsvTable::Products => products(&mut w, report),
        CsvTable::Documents => documents(&mut w, report, dataset),
    };
    result.expect("writing CSV to memory cannot fail");
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 strings")
}

type W = ::csv::Writer<Vec<u8>>;

fn decisions(w: &mut W, report: &Report) -> ::csv::Result<()> {
    w.write_record([
        "product_id",
        "policy",
        "action",
        "order_quantity",
        "safety_stock",
        "reorder_point",
        "order_up_to",
        "inventory_position",
        "demand_per_day",
        "expected_cycle_service_level",
        "expected_fill_rate",
        "expected_cost_per_period",
        "stockout_risk",
        "days_of_cover",
        "class",
        "strategy",
        "evidence",
        "rationale",
    ])?;
    for d in &report.decisions {
        w.write_record([
            d.product_id.clone(),
            d.policy.clone(),
            d.action.as_str().to_owned(),
            num(d.order_quantity),
            num(d.safety_stock),
            num(d.reorder_point),
            num(d.order_up_to),
            num(d.inventory_position),
            num(d.demand_per_day),
            num(d.expected_cycle_service_level),
            opt(d.expected_fill_rate),
            opt(d.expected_cost_per_period),
            num(d.stockout_risk),
            opt(d.days_of_cover),
            d.class.clone().unwrap_or_default(),
            d.strategy.clone(),
            d.evidence.join(" "),
            d.rationale.clone(),
        ])?;
    }
    w.flush().map_err(Into::into)
}

fn products(w: &mut W, report: &Report) -> ::csv::Result<()> {
    w.write_record([
        "item",
        "category",
        "period",
        "periods",
        "demand_mean",
        "demand_std_dev",
        "units",
        "sales_trend",
        "sales_trend_confidence",
        "reviews",
        "mean_rating",
        "recent_mean_rating",
        "rating_trend",
        "sentiment_documents",
        "mean_compound",
        "recency_weighted_compound",
        "negative_share",
        "sentiment_trend",
        "signals",
        "evidence",
    ])?;
    for (item, o) in &report.outlook.items {
        let demand = o.demand.as_ref().map(|d| &d.value);
        let trend = o.sales_trend.as_ref().map(|t| &t.value);
        let rating = o.rating_trend.as_ref().map(|r| &r.value);
        let sentiment = o.sentiment.as_ref().map(|s| &s.value);
        let signals: Vec<String> = o
            .signals
            .iter()
            .map(|s| format!("{}={}", s.value.kind.as_str(), s.value.documents))
            .collect();
        w.write_record([
            item.clone(),
            o.category.clone().unwrap_or_default(),
            demand
                .map(|d| d.period.as_str().to_owned())
                .unwrap_or_default(),
            demand.map(|d| d.periods.to_string()).unwrap_or_default(),
            opt(demand.map(|d| d.mean)),
            opt(demand.map(|d| d.std_dev)),
            opt(demand.map(|d| d.units)),
            trend
                .map(|t| t.direction.as_str().to_owned())
                .unwrap_or_default(),
            opt(trend.map(|t| t.confidence)),
            rating.map(|r| r.reviews.to_string()).unwrap_or_default(),
            opt(rating.map(|r| r.mean_rating)),
            opt(rating.map(|r| r.recent_mean_rating)),
            rating
                .map(|r| r.trend.direction.as_str().to_owned())
                .unwrap_or_default(),
            sentiment
                .map(|s| s.documents.to_string())
                .unwrap_or_default(),
            opt(sentiment.map(|s| s.mean_compound)),
            opt(sentiment.map(|s| s.recency_weighted_compound)),
            opt(sentiment.map(|s| s.negative_share)),
            sentiment
                .and_then(|s| s.trend.as_ref())
                .map(|t| t.direction.as_str().to_owned())
                .unwrap_or_default(),
            signals.join(" "),
            o.evidence.join(" "),
        ])?;
    }
    w.flush().map_err(Into::into)
}

fn documents(w: &mut W, report: &Report, dataset: &Dataset) -> ::csv::Result<()> {
    w.write_record([
        "id",
        "product_id",
        "kind",
        "created_at",
        "rating",
        "lang",
        "title",
        "text",
        "sentiment_lang",
        "neg",
        "neu",
        "pos",
        "compound",
        "source",
        "line",
    ])?;
    for d in &dataset.documents {
        let s = report.outlook.documents.get(&d.id);
        w.write_record([
            d.id.clone(),
            d.product_id.clone().unwrap_or_default(),
            format!("{:?}", d.kind).to_lowercase(),
            d.created_at.to_rfc3339(),
            opt(d.rating),
            d.lang.clone().unwrap_or_default(),
            d.title.clone().unwrap_or_default(),
            d.text.clone(),
            s.map(|s| s.lang.clone()).unwrap_or_default(),
            opt(s.map(|s| s.scores.neg)),
            opt(s.map(|s| s.scores.neu)),
            opt(s.map(|s| s.scores.pos)),
            opt(s.map(|s| s.scores.compound)),
            d.provenance.source.to_string(),
            d.provenance.line.map(|l| l.to_string()).unwrap_or_default(),
        ])?;
    }
    w.flush().map_err(Into::into)
}
