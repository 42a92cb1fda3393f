use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use restock_core::display::{percent, quantity as fmt};
use restock_core::{Action, ConfigKeyDoc, Dataset, Decision, Document, PluginInfo, Severity};
use serde::Deserialize;

use crate::report::Report;

/// `type = "markdown"`: a planner's summary — the biggest orders, the items at risk with what
/// customers wrote, and what went wrong.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// File to write.
    pub path: PathBuf,
    /// Rows per section.
    #[serde(default = "ten")]
    pub top: usize,
    /// Quotes per item at risk.
    #[serde(default = "two")]
    pub quotes: usize,
}

fn ten() -> usize {
    10
}

fn two() -> usize {
    2
}

pub(super) const INFO: PluginInfo = PluginInfo {
    type_name: "markdown",
    doc: "a planner's summary: biggest orders, items at risk with customer quotes, problems",
    keys: &[
        super::PATH_KEY,
        ConfigKeyDoc {
            name: "top",
            ty: "integer",
            default: Some("10"),
            doc: "rows per section",
        },
        ConfigKeyDoc {
            name: "quotes",
            ty: "integer",
            default: Some("2"),
            doc: "customer quotes per item at risk",
        },
    ],
    example: "path = \"summary.md\"\ntop = 10\nquotes = 2\n",
};

pub(super) fn render(config: &MarkdownConfig, report: &Report, dataset: &Dataset) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(out, "# {} — replenishment summary", report.pipeline.name);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "As of {}. {} items decided: {} to order ({} units), {} to hold, {} to reduce, {} to promote.",
        report.pipeline.as_of,
        s.decisions,
        s.orders,
        fmt(s.units_to_order),
        count(&report.decisions, Action::Hold),
        count(&report.decisions, Action::Reduce),
        count(&report.decisions, Action::Promote),
    );
    let _ = writeln!(
        out,
        "Read {} documents, {} sales lines, {} stock positions, {} products{}; {} rows quarantined (see `{}`).",
        s.records.documents,
        s.records.sales,
        s.records.stock,
        s.records.products,
        match s.records.forecasts {
            0 => String::new(),
            n => format!(", {n} forecast periods"),
        },
        s.quarantined,
        s.quarantine_file
    );

    let mut orders: Vec<&Decision> = report
        .decisions
        .iter()
        .filter(|d| d.action == Action::Order)
        .collect();
    orders.sort_by(|a, b| {
        b.order_quantity
            .total_cmp(&a.order_quantity)
            .then(a.product_id.cmp(&b.product_id))
    });
    let _ = writeln!(out, "\n## Biggest orders\n");
    if orders.is_empty() {
        let _ = writeln!(out, "No item needs an order.");
    } else {
        let _ = writeln!(
            out,
            "| item | order | inventory position | reorder point | safety stock | demand / day | cycle service level |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
        for d in orders.iter().take(config.top) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                d.product_id,
                fmt(d.order_quantity),
                fmt(d.inventory_position),
                fmt(d.reorder_point),
                fmt(d.safety_stock),
                fmt(d.demand_per_day),
                percent(d.expected_cycle_service_level)
            );
        }
    }

    let mut at_risk: Vec<&Decision> = report
        .decisions
        .iter()
        .filter(|d| d.stockout_risk > 1.0 - d.expected_cycle_service_level + 1e-9)
        .collect();
    at_risk.sort_by(|a, b| {
        b.stockout_risk
            .total_cmp(&a.stockout_risk)
            .then(a.product_id.cmp(&b.product_id))
    });
    let _ = writeln!(
        out,
        "\n## At risk of a stock-out before the next delivery\n"
    );
    if at_risk.is_empty() {
        let _ = writeln!(out, "No item is below its service target.");
    }
    let documents: HashMap<&str, &Document> = dataset
        .documents
        .iter()
        .filter(|d| !d.full_text().is_empty())
        .map(|d| (d.id.as_str(), d))
        .collect();
    for d in at_risk.iter().take(config.top) {
        let _ = writeln!(
            out,
            "### {} — {} risk\n\n{}\n",
            d.product_id,
            percent(d.stockout_risk),
            d.rationale
        );
        for id in d
            .evidence
            .iter()
            .filter_map(|id| documents.get(id.as_str()))
            .take(config.quotes)
        {
            let text = id.full_text().replace('\n', " ");
            let short: String = text.chars().take(200).collect();
            let ellipsis = if short.len() < text.len() { "…" } else { "" };
            let stars = id.rating.map(|r| format!("{r}★, ")).unwrap_or_default();
            let _ = writeln!(
                out,
                "> “{short}{ellipsis}” — {stars}{}, review `{}`\n",
                id.created_at.date_naive(),
                id.id
            );
        }
    }

    if !report.outlook.usage.is_empty() {
        let _ = writeln!(out, "## LLM usage\n");
        let _ = writeln!(
            out,
            "| model | requests | retries | cache hits | input tokens | output tokens | failed items | estimated cost |\n|---|---|---|---|---|---|---|---|"
        );
        for (component, u) in &report.outlook.usage {
            let _ = writeln!(
                out,
                "| `{component}` ({}) | {} | {} | {} | {} | {} | {} | {:.4} |",
                u.model,
                u.requests,
                u.retries,
                u.cache_hits,
                u.input_tokens,
                u.output_tokens,
                u.failed_items,
                u.estimated_cost
            );
        }
        let _ = writeln!(out);
    }

    let problems: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .collect();
    let _ = writeln!(out, "## Problems\n");
    if problems.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for p in problems.iter().take(config.top) {
        let item = p
            .item
            .as_deref()
            .map(|i| format!(" [{i}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {:?} in `{}`{item}: {}",
            p.severity, p.component, p.message
        );
    }
    if problems.len() > config.top {
        let _ = writeln!(
            out,
            "- … and {} more in the JSON report.",
            problems.len() - config.top
        );
    }
    out
}

fn count(decisions: &[Decision], action: Action) -> usize {
    decisions.iter().filter(|d| d.action == action).count()
}
