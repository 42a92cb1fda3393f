//! The records a pipeline moves: documents customers wrote, sales, stock positions and products,
//! each with the [`Provenance`] that lets an error or a decision point back at its source.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a record came from: a file path or URL, and the 1-based line (for CSV, the line on
/// which the record starts; for JSONL, the line of the object).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// File path (as written in the manifest, resolved against its folder) or URL.
    pub source: Arc<str>,
    /// 1-based line number, when the source has lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl Provenance {
    /// A provenance pointing at `line` of `source`.
    pub fn at(source: impl Into<Arc<str>>, line: u64) -> Self {
        Self {
            source: source.into(),
            line: Some(line),
        }
    }

    /// A provenance with no line (a whole file, a URL, a record made by a component).
    pub fn of(source: impl Into<Arc<str>>) -> Self {
        Self {
            source: source.into(),
            line: None,
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.source),
            None => write!(f, "{}", self.source),
        }
    }
}

/// What kind of text a [`Document`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A product review, usually with a rating.
    Review,
    /// A customer question about a product.
    Question,
    /// A social-media or forum post; may name no product.
    Post,
}

/// Something a customer wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Identifier, unique together with `product_id` (a review of an order with two products is
    /// one document per product, sharing the id).
    pub id: String,
    /// The product it is about, when known.
    pub product_id: Option<String>,
    /// Review, question or post.
    pub kind: DocumentKind,
    /// Title or headline, when the source has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The body text; may be empty for a rating-only review.
    pub text: String,
    /// Star rating on the 1–5 scale, when given.
    pub rating: Option<f64>,
    /// When it was written, UTC.
    pub created_at: DateTime<Utc>,
    /// Language as a BCP 47 tag (`en`, `pt-BR`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Source-specific fields kept for later stages.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub extra: BTreeMap<String, String>,
    /// Where it came from.
    pub provenance: Provenance,
}

impl Document {
    /// Title and text joined by a newline, as one text to read.
    pub fn full_text(&self) -> String {
        match &self.title {
            Some(title) if !title.is_empty() && !self.text.is_empty() => {
                format!("{title}\n{}", self.text)
            }
            Some(title) if !title.is_empty() => title.clone(),
            _ => self.text.clone(),
        }
    }
}

/// Units of one product sold on one day (one order line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sale {
    /// The product sold.
    pub product_id: String,
    /// The day of the sale (the order's purchase date).
    pub date: NaiveDate,
    /// Units sold; 1 when the source has one row per unit. `NaN` when the source recorded the
    /// demand as unknown (a `missing_values` marker such as `NA`): models must apply an explicit
    /// missing-value policy to such periods, never read them as zero silently. JSON has no NaN:
    /// it is written `null` and read back as NaN.
    #[serde(deserialize_with = "nan_from_null")]
    pub quantity: f64,
    /// Price per unit in the shop's currency, when known.
    pub unit_price: Option<f64>,
    /// The order it belongs to, when known.
    pub order_id: Option<String>,
    /// Where it came from.
    pub provenance: Provenance,
}

/// A number, or `null` for NaN (how serde_json writes NaN).
fn nan_from_null<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
}

/// What the shop holds and knows about one item's replenishment.
///
/// Quantities are in units; lead times in days; `holding_cost_rate` is the annual carrying
/// charge as a fraction of `unit_cost` (so holding one unit for a year costs
/// `unit_cost × holding_cost_rate`), following Silver, Pyke & Thomas, *Inventory and Production
/// Management in Supply Chains*, 4th ed., §2.3 (the "r" of their notation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockPosition {
    /// The item (a product id, or a group id such as a category when the pipeline groups).
    pub product_id: String,
    /// Units physically on hand.
    pub on_hand: f64,
    /// Units ordered from suppliers and not yet received.
    pub on_order: f64,
    /// Units owed to customers.
    pub backorders: f64,
    /// Mean replenishment lead time, days.
    pub lead_time_days: f64,
    /// Standard deviation of the lead time, days.
    pub lead_time_std_days: f64,
    /// Cost of one unit, currency units.
    pub unit_cost: Option<f64>,
    /// Annual holding cost as a fraction of unit cost (e.g. 0.25).
    pub holding_cost_rate: Option<f64>,
    /// Fixed cost of placing one order, currency units.
    pub ordering_cost: Option<f64>,
    /// Cost per unit short, currency units (used by cost-based policies).
    pub stockout_cost: Option<f64>,
    /// Target cycle service level for this item, in (0, 1); overrides the strategy's default.
    pub service_level: Option<f64>,
    /// Minimum order quantity, units.
    pub moq: Option<f64>,
    /// Orders are placed in multiples of this many units.
    pub case_pack: Option<f64>,
    /// Where it came from.
    pub provenance: Provenance,
}

impl StockPosition {
    /// A position with nothing on hand, on order or owed, the given lead time (no variability)
    /// and no costs or constraints: what a strategy assumes for an item without one.
    pub fn empty(product_id: &str, lead_time_days: f64, provenance: Provenance) -> Self {
        Self {
            product_id: product_id.to_owned(),
            on_hand: 0.0,
            on_order: 0.0,
            backorders: 0.0,
            lead_time_days,
            lead_time_std_days: 0.0,
            unit_cost: None,
            holding_cost_rate: None,
            ordering_cost: None,
            stockout_cost: None,
            service_level: None,
            moq: None,
            case_pack: None,
            provenance,
        }
    }

    /// Inventory position: on hand + on order − backorders (Silver, Pyke & Thomas, 4th ed.,
    /// §6.3.1).
    pub fn inventory_position(&self) -> f64 {
        self.on_hand + self.on_order - self.backorders
    }
}

/// The probability distribution of demand in one period, units per period.
///
/// Serialised with a `distribution` tag: `normal`, `poisson`, `negative_binomial` or
/// `empirical`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "distribution", rename_all = "snake_case")]
pub enum DemandDistribution {
    /// Normal with the given mean and standard deviation (policies truncate it at 0 where that
    /// matters and say so).
    Normal {
        /// Mean, units.
        mean: f64,
        /// Standard deviation, units (≥ 0).
        std_dev: f64,
    },
    /// Poisson with the given mean (= variance).
    Poisson {
        /// Mean, units.
        mean: f64,
    },
    /// Negative binomial given by its mean and standard deviation; over-dispersed count demand
    /// (variance > mean). With r = μ² / (σ² − μ) and p = r / (r + μ), P(X = k) =
    /// C(k + r − 1, k) pᶜ (1 − p)ᵏ (Johnson, Kemp & Kotz, *Univariate Discrete
    /// Distributions*, 3rd ed., §5.1).
    NegativeBinomial {
        /// Mean, units.
        mean: f64,
        /// Standard deviation, units; must exceed √mean.
        std_dev: f64,
    },
    /// A discrete distribution on `values` with `probabilities` (same length, summing to 1).
    Empirical {
        /// Demand values, units, ascending.
        values: Vec<f64>,
        /// Probability of each value.
        probabilities: Vec<f64>,
    },
}

impl DemandDistribution {
    /// The name used in manifests and reports.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Normal { .. } => "normal",
            Self::Poisson { .. } => "poisson",
            Self::NegativeBinomial { .. } => "negative_binomial",
            Self::Empirical { .. } => "empirical",
        }
    }

    /// The mean, units per period.
    pub fn mean(&self) -> f64 {
        match self {
            Self::Normal { mean, .. }
            | Self::Poisson { mean }
            | Self::NegativeBinomial { mean, .. } => *mean,
            Self::Empirical {
                values,
                probabilities,
            } => values.iter().zip(probabilities).map(|(v, p)| v * p).sum(),
        }
    }

    /// The standard deviation, units per period.
    pub fn std_dev(&self) -> f64 {
        match self {
            Self::Normal { std_dev, .. } | Self::NegativeBinomial { std_dev, .. } => *std_dev,
            Self::Poisson { mean } => mean.sqrt(),
            Self::Empirical {
                values,
                probabilities,
            } => {
                let mean = self.mean();
                values
                    .iter()
                    .zip(probabilities)
                    .map(|(v, p)| p * (v - mean) * (v - mean))
                    .sum::<f64>()
                    .sqrt()
            }
        }
    }
}

/// A demand forecast for one item and period, supplied by the planner (the `forecasts` record
/// kind): lets a demand plan drive the policies without sales history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastRecord {
    /// The item.
    pub product_id: String,
    /// The period length.
    pub period: crate::Period,
    /// First day of the period.
    pub start: NaiveDate,
    /// Demand in that period.
    #[serde(flatten)]
    pub distribution: DemandDistribution,
    /// Where it came from.
    pub provenance: Provenance,
}

/// A product the shop sells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Identifier, as used by sales, documents and stock.
    pub id: String,
    /// Name, when known.
    pub title: Option<String>,
    /// Category, when known; the key of `group_by = "category"`.
    pub category: Option<String>,
    /// Selling price, currency units.
    pub price: Option<f64>,
    /// Where it came from.
    pub provenance: Provenance,
}

/// The five kinds of record a [`Dataset`] holds, as manifests name them (`records = "sales"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// Reviews, questions, posts ([`Document`]).
    Documents,
    /// Order lines ([`Sale`]).
    Sales,
    /// Stock positions ([`StockPosition`]).
    Stock,
    /// The catalogue ([`Product`]).
    Products,
    /// Demand forecasts supplied by the planner ([`ForecastRecord`]).
    Forecasts,
}

impl RecordKind {
    /// The name as written in a manifest (`sales`).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Documents => "documents",
            RecordKind::Sales => "sales",
            RecordKind::Stock => "stock",
            RecordKind::Products => "products",
            RecordKind::Forecasts => "forecasts",
        }
    }

    /// One record of this kind, for messages (`sale`).
    pub fn singular(self) -> &'static str {
        match self {
            RecordKind::Documents => "document",
            RecordKind::Sales => "sale",
            RecordKind::Stock => "stock position",
            RecordKind::Products => "product",
            RecordKind::Forecasts => "forecast",
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything collected for one run: the five collections, each record with its provenance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Reviews, questions and posts.
    pub documents: Vec<Document>,
    /// Order lines.
    pub sales: Vec<Sale>,
    /// Stock positions, one per item.
    pub stock: Vec<StockPosition>,
    /// The product catalogue.
    pub products: Vec<Product>,
    /// Demand forecasts supplied by the planner.
    #[serde(default)]
    pub forecasts: Vec<ForecastRecord>,
}

impl Dataset {
    /// Appends every record of `other`.
    pub fn merge(&mut self, other: Dataset) {
        self.documents.extend(other.documents);
        self.sales.extend(other.sales);
        self.stock.extend(other.stock);
        self.products.extend(other.products);
        self.forecasts.extend(other.forecasts);
    }

    /// The number of records of each kind, in the order documents, sales, stock, products,
    /// forecasts.
    pub fn counts(&self) -> [usize; 5] {
        [
            self.documents.len(),
            self.sales.len(),
            self.stock.len(),
            self.products.len(),
            self.forecasts.len(),
        ]
    }

    /// Total number of records.
    pub fn len(&self) -> usize {
        self.counts().iter().sum()
    }

    /// True when there are no records at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sorts every collection into a canonical order (by id, then date, then provenance), so
    /// that the result of concurrent collectors does not depend on which finished first.
    pub fn sort(&mut self) {
        self.documents.sort_by(|a, b| {
            (&a.id, &a.product_id, &a.provenance).cmp(&(&b.id, &b.product_id, &b.provenance))
        });
        self.sales.sort_by(|a, b| {
            (&a.product_id, a.date, &a.provenance).cmp(&(&b.product_id, b.date, &b.provenance))
        });
        self.stock
            .sort_by(|a, b| (&a.product_id, &a.provenance).cmp(&(&b.product_id, &b.provenance)));
        self.products
            .sort_by(|a, b| (&a.id, &a.provenance).cmp(&(&b.id, &b.provenance)));
        self.forecasts.sort_by(|a, b| {
            (&a.product_id, a.start, &a.provenance).cmp(&(&b.product_id, b.start, &b.provenance))
        });
    }
}
