//! What models conclude about each item: demand rate, sales trend, rating trend, and (from later
//! models) sentiment, signals and forecasts. Every finding is [`Tagged`] with the model that made
//! it, so a report can say who claimed what.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::period::Period;

/// What an outlook item is: one product, or a group of products sharing a category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// Items are product ids.
    #[default]
    Product,
    /// Items are category names; products without a category fall into `"(uncategorised)"`.
    Category,
}

impl Grouping {
    /// The item key used for products without a category under [`Grouping::Category`].
    pub const UNCATEGORISED: &'static str = "(uncategorised)";
}

/// A finding and the name of the model component that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tagged<T> {
    /// The component name (`name` in the manifest, or `type#index`).
    pub model: String,
    /// The finding.
    #[serde(flatten)]
    pub value: T,
}

/// Direction of a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    /// Significantly rising.
    Increase,
    /// Significantly falling.
    Decrease,
    /// No significant change.
    Stable,
}

impl TrendDirection {
    /// `increase`, `decrease` or `stable`.
    pub fn as_str(self) -> &'static str {
        match self {
            TrendDirection::Increase => "increase",
            TrendDirection::Decrease => "decrease",
            TrendDirection::Stable => "stable",
        }
    }
}

/// The baseline demand rate of an item, from its sales per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandRate {
    /// The period length the rate is expressed in.
    pub period: Period,
    /// Number of complete periods the rate was estimated from.
    pub periods: usize,
    /// First day of the first period used.
    pub from: NaiveDate,
    /// Last day of the last period used.
    pub to: NaiveDate,
    /// Mean demand per period, units.
    pub mean: f64,
    /// Sample standard deviation of demand per period, units.
    pub std_dev: f64,
    /// Units sold in the window.
    pub units: f64,
    /// Fraction of periods with zero demand, in [0, 1].
    pub zero_share: f64,
}

/// A monotonic trend test over an ordered series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Increase, decrease or stable.
    pub direction: TrendDirection,
    /// One minus the two-sided p-value, in [0, 1].
    pub confidence: f64,
    /// The test used, e.g. `mann_kendall`.
    pub test: String,
    /// The test statistic (Mann–Kendall S).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Robust slope (Sen's estimator), units per period.
    pub slope: f64,
    /// Number of observations tested.
    pub n: usize,
}

/// How customers' star ratings of an item are moving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingTrend {
    /// Rated documents in the window.
    pub reviews: usize,
    /// Mean rating in the window, 1–5.
    pub mean_rating: f64,
    /// Mean rating of the most recent half of the window (by date), 1–5.
    pub recent_mean_rating: f64,
    /// Share of ratings ≤ 2.
    pub low_share: f64,
    /// Trend test of ratings in date order.
    pub trend: Trend,
}

/// Everything the models concluded about one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemOutlook {
    /// Category of the item, when known (for products) or the item itself (for categories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Baseline demand rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand: Option<Tagged<DemandRate>>,
    /// Sales trend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales_trend: Option<Tagged<Trend>>,
    /// Review-rating trend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating_trend: Option<Tagged<RatingTrend>>,
    /// Ids of the documents that support the findings, most telling first.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub evidence: Vec<String>,
    /// Problems met while assessing this item, one line each, prefixed with the model name.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<String>,
}

/// Findings per item, keyed by item id (product id or category, per [`Grouping`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outlook {
    /// What the item keys are.
    pub grouping: Grouping,
    /// Findings per item, sorted by key.
    pub items: BTreeMap<String, ItemOutlook>,
}

impl Outlook {
    /// The outlook of `item`, created empty when absent.
    pub fn item_mut(&mut self, item: &str) -> &mut ItemOutlook {
        self.items.entry(item.to_owned()).or_default()
    }
}
