//! Restock's file collectors: `csv` and `jsonl` read documents (reviews, questions, posts),
//! sales, stock positions, products or a planner's demand forecasts from a local file, plain or gzip, in UTF-8 or any
//! encoding `encoding_rs` knows. A `columns` table maps record fields to the file's columns;
//! `join` fills fields from other files matched on a key column (one record per distinct
//! match, so an Olist review becomes one document per product of its order). Every record keeps
//! its file and line; a row that cannot be read (wrong field count, invalid JSON, a bad date or
//! number, a required join with no match) is quarantined with the reason, never dropped and
//! never read with shifted columns: for a file of R data rows, rows read + rows quarantined = R.
//!
//! What it deliberately is not: not a query engine (joins are single-key hash joins on the main
//! file's rows, the joined files held in memory), not a type-inferring or dialect-sniffing CSV
//! reader (the header names the columns; the delimiter and encoding are configured), and it
//! neither cleans nor filters text: that is for preprocessors. It reads only local files; web
//! pages, feeds and APIs belong to other collectors.
//!
//! ```toml
//! [[collect]]
//! name = "reviews"
//! type = "csv"
//! records = "documents"
//! path = "data/olist_order_reviews_dataset.csv"
//! columns = { id = "review_id", rating = "review_score", text = "review_comment_message", created_at = "review_creation_date" }
//! join = { path = "data/olist_order_items_dataset.csv", on = "order_id", columns = { product_id = "product_id" } }
//! ```
//!
//! # Fields
//!
//! | `records` | fields (**required**) | defaults |
//! |---|---|---|
//! | `documents` | **id**, product_id, kind, title, text, rating (1–5), **created_at**, lang | kind: the `kind` key; text: `""` |
//! | `sales` | **product_id**, **date**, quantity (units), unit_price, order_id | quantity: 1 |
//! | `stock` | **product_id**, **on_hand**, on_order, backorders, **lead_time_days**, lead_time_std_days, unit_cost, holding_cost_rate, ordering_cost, stockout_cost, service_level (0–1, exclusive), moq, case_pack (> 0) | on_order, backorders, lead_time_std_days: 0 |
//! | `products` | **id**, title, category, price | |
//! | `forecasts` | **product_id**, **period** (the period's first day), distribution, mean, std_dev, values, probabilities | distribution: the `distribution` key (`normal`) |
//!
//! An absent or empty cell gives the default, or `None` for an optional field; a required field
//! without a value quarantines the row. Numbers must be finite and not negative. `created_at` is
//! a UTC timestamp (values without an offset are taken as UTC); a sale's `date` is the date part
//! as written.
//!
//! A sale's `quantity` may also be recorded as unknown: a cell listed in `missing_values`
//! (e.g. `["NA"]`; `""` for empty cells, which otherwise mean 1 unit) gives `quantity = NaN`,
//! and the collector's summary counts them. Forecast models then apply their explicit missing
//! policy; nothing reads such a sale as zero.
//!
//! # Forecasts
//!
//! One row per item and period: `period` is the period's first day, for the collector's
//! `period` length (`week` by default: ISO weeks, so a Monday; `month`: the 1st; `day`). A date
//! that is not a period's first day is an error for that row, not rounded down: a plan dated
//! mid-period is more likely a wrong period length than a plan for the period before. The
//! distribution (`normal`, `poisson`, `negative_binomial`, `empirical`) takes `mean` and
//! `std_dev` (normal, negative binomial with `std_dev` > √mean), `mean` (Poisson), or `values`
//! and optional `probabilities` (empirical; equal weights when absent; they must sum to 1 within
//! 1e-9). A list is a JSON array in JSONL, or one cell with items separated by `;`
//! (`0;1;2;5`). A parameter the distribution does not take must be empty. A second row for
//! the same item and period is quarantined: the first one read is kept.
//!
//! # Checks
//!
//! Build-time checks (reported as [`restock_core::ConfigErrors`] at the key at fault): the
//! files exist; `columns` names fields of the record kind; the encoding label is known; the
//! delimiter is one ASCII character; keys of another record kind are absent (`period` and
//! `distribution` are for forecasts, `missing_values` for sales); and for CSV files, every
//! mapped column, key column and required field's column is in the header (for forecasts
//! without a distribution column, the columns the default distribution needs; with
//! `missing_values`, a quantity column).
#![deny(missing_docs)]

mod collector;
mod config;
mod delimited;
mod fields;
mod forecast;
mod info;
mod join;
mod jsonl;
mod mapping;
mod parse;
mod plan;
mod read;
mod row;
mod source;

use restock_core::{BuildContext, Collector, Registry};

pub use config::{DistributionKind, FilesConfig, JoinConfig, JoinOn, Joins, RecordKind};

use collector::FileCollector;
use plan::Plan;

/// The format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Delimited text with a header line.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Registers the `csv` and `jsonl` collector types.
///
/// Both take a [`FilesConfig`]; building fails with [`restock_core::ConfigErrors`] naming the
/// keys at fault (a missing file at `path`, an unknown field at `columns.<field>`, a column
/// missing from the header, an unknown `encoding`…).
pub fn register(registry: &mut Registry) {
    registry.add_collector(info::CSV, |config: FilesConfig, ctx: &BuildContext| {
        let plan = Plan::build(config, Format::Csv, ctx)?;
        Ok(Box::new(FileCollector::new(plan)) as Box<dyn Collector>)
    });
    registry.add_collector(info::JSONL, |config: FilesConfig, ctx: &BuildContext| {
        let plan = Plan::build(config, Format::Jsonl, ctx)?;
        Ok(Box::new(FileCollector::new(plan)) as Box<dyn Collector>)
    });
}
