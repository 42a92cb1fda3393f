//! What models conclude about each item: demand rate, sales trend, rating trend, and (from later
//! models) sentiment, signals and forecasts. Every finding is [`Tagged`] with the model that made
//! it, so a report can say who claimed what.

use std::collections::{BTreeMap, HashMap};

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

/// Maps product ids to item keys under a [`Grouping`], from the dataset's products.
#[derive(Debug, Clone)]
pub struct ItemIndex {
    grouping: Grouping,
    category: HashMap<String, String>,
}

impl ItemIndex {
    /// The index of `products` (blank categories count as none).
    pub fn new(grouping: Grouping, products: &[crate::records::Product]) -> Self {
        let category = products
            .iter()
            .filter_map(|p| {
                let c = p.category.as_deref()?.trim();
                (!c.is_empty()).then(|| (p.id.clone(), c.to_owned()))
            })
            .collect();
        Self { grouping, category }
    }

    /// The grouping.
    pub fn grouping(&self) -> Grouping {
        self.grouping
    }

    /// The item a product belongs to: itself, or its category ([`Grouping::UNCATEGORISED`]
    /// when it has none).
    pub fn item_of(&self, product_id: &str) -> String {
        match self.grouping {
            Grouping::Product => product_id.to_owned(),
            Grouping::Category => self
                .category
                .get(product_id)
                .cloned()
                .unwrap_or_else(|| Grouping::UNCATEGORISED.to_owned()),
        }
    }

    /// The category of an item: the product's category, or the item itself for categories.
    pub fn category_of(&self, item: &str) -> Option<String> {
        match self.grouping {
            Grouping::Product => self.category.get(item).cloned(),
            Grouping::Category => Some(item.to_owned()),
        }
    }
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

/// Sentiment scores of one text, VADER's four numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SentimentScores {
    /// Share of negative sentiment, in [0, 1].
    pub neg: f64,
    /// Share of neutral, in [0, 1].
    pub neu: f64,
    /// Share of positive, in [0, 1].
    pub pos: f64,
    /// Normalised sum of valences, in [−1, 1] (the compound sentiment score).
    pub compound: f64,
}

/// The sentiment of one document, and the language it was scored as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentSentiment {
    /// The scores.
    #[serde(flatten)]
    pub scores: SentimentScores,
    /// The lexicon's language (`en`, `pt`).
    pub lang: String,
    /// True when the language was detected from the text rather than given.
    pub detected: bool,
}

/// The sentiment of an item's documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentSummary {
    /// Documents scored (with non-empty text).
    pub documents: usize,
    /// Mean compound score, in [−1, 1].
    pub mean_compound: f64,
    /// Share of documents with compound ≥ 0.05.
    pub positive_share: f64,
    /// Share of documents with compound ≤ −0.05.
    pub negative_share: f64,
    /// Mean compound with weights 2^(−age / half-life), age in days before `as_of`.
    pub recency_weighted_compound: f64,
    /// The half-life used, days.
    pub half_life_days: f64,
    /// Documents per language used.
    pub languages: BTreeMap<String, usize>,
    /// Trend of the mean compound per period (the sales model's periods), when tested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
}

/// A kind of demand signal found in what customers write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// The product was unavailable, out of stock, or the order was cancelled for lack of it.
    StockOut,
    /// Late, missing, partial or wrong delivery.
    Delivery,
    /// Broken, defective, poor quality, not as described.
    Quality,
    /// Wrong size or fit.
    SizeFit,
    /// The customer will buy again, or already did.
    RepeatPurchase,
    /// Bought as a gift.
    Gifting,
}

impl SignalKind {
    /// Every kind, in order.
    pub const ALL: [SignalKind; 6] = [
        SignalKind::StockOut,
        SignalKind::Delivery,
        SignalKind::Quality,
        SignalKind::SizeFit,
        SignalKind::RepeatPurchase,
        SignalKind::Gifting,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::StockOut => "stock_out",
            SignalKind::Delivery => "delivery",
            SignalKind::Quality => "quality",
            SignalKind::SizeFit => "size_fit",
            SignalKind::RepeatPurchase => "repeat_purchase",
            SignalKind::Gifting => "gifting",
        }
    }
}

/// How often one kind of signal occurs in an item's documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// The kind.
    pub kind: SignalKind,
    /// Documents in which it was found.
    pub documents: usize,
    /// Those documents as a share of the item's documents with text.
    pub share: f64,
    /// Ids of documents that show it, most recent first.
    pub evidence: Vec<String>,
}

/// One quantile of a forecast distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantile {
    /// Probability level, in (0, 1).
    pub level: f64,
    /// Demand at that level, units per period (never negative).
    pub value: f64,
}

/// The forecast of one future period.
///
/// JSON form: `start`, the distribution's fields (tagged by `distribution`, so `mean` appears
/// once, the distribution's), `mean` too for an `empirical` distribution, and `quantiles`.
/// Reading it back sets `mean` to the distribution's mean.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastPoint {
    /// First day of the period.
    pub start: NaiveDate,
    /// Point forecast (mean), units per period; never negative. Equal to the distribution's
    /// mean.
    pub mean: f64,
    /// The distribution policies use for this period's demand.
    pub distribution: crate::records::DemandDistribution,
    /// Requested quantiles, ascending by level.
    pub quantiles: Vec<Quantile>,
}

impl Serialize for ForecastPoint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::records::DemandDistribution;
        #[derive(Serialize)]
        struct Point<'a> {
            start: NaiveDate,
            #[serde(flatten)]
            distribution: &'a DemandDistribution,
            // The other distributions carry `mean` themselves: written twice, it would be a
            // duplicate key that JSON readers resolve differently (or refuse).
            #[serde(skip_serializing_if = "Option::is_none")]
            mean: Option<f64>,
            #[serde(skip_serializing_if = "<[Quantile]>::is_empty")]
            quantiles: &'a [Quantile],
        }
        Point {
            start: self.start,
            distribution: &self.distribution,
            mean: matches!(self.distribution, DemandDistribution::Empirical { .. })
                .then_some(self.mean),
            quantiles: &self.quantiles,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ForecastPoint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Point {
            start: NaiveDate,
            #[serde(flatten)]
            distribution: crate::records::DemandDistribution,
            #[serde(default)]
            quantiles: Vec<Quantile>,
        }
        let p = Point::deserialize(deserializer)?;
        Ok(ForecastPoint {
            start: p.start,
            mean: p.distribution.mean(),
            distribution: p.distribution,
            quantiles: p.quantiles,
        })
    }
}

/// A demand forecast of an item over the next periods, from a forecasting model or from the
/// planner's `forecasts` records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandForecast {
    /// The period length.
    pub period: Period,
    /// The method, e.g. `croston`, `ets(A,N,N)`, or `planner` for supplied forecasts.
    pub method: String,
    /// The Syntetos–Boylan demand class (`smooth`, `erratic`, `intermittent`, `lumpy`) when
    /// the method was chosen by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Fitted or given parameters (smoothing constants, aggregation levels, AICc …).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub params: BTreeMap<String, f64>,
    /// Periods of history the model was fitted on (0 for supplied forecasts).
    pub history_periods: usize,
    /// One entry per future period, oldest first.
    pub points: Vec<ForecastPoint>,
    /// Fallbacks and data handling a planner should know of (trimmed leading zeros, missing
    /// periods dropped, a shorter season), one line each.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
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
    /// Sentiment of the item's documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<Tagged<SentimentSummary>>,
    /// Demand forecasts, one per forecasting model (or the planner's), in manifest order.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub forecasts: Vec<Tagged<DemandForecast>>,
    /// Demand signals found in the item's documents, one entry per kind found.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub signals: Vec<Tagged<Signal>>,
    /// Ids of the documents that support the findings, most telling first.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub evidence: Vec<String>,
    /// A language model's reading of the item's documents (`openai_chat`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub llm: Option<Tagged<LlmAssessment>>,
    /// Problems met while assessing this item, one line each, prefixed with the model name.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<String>,
}

/// What a language model concluded from an item's documents: the validated answer (every
/// field range-checked against the documents sent) and what it took to get it.
///
/// When an item's documents needed several requests, the answers are combined: the trend with
/// the largest documents × confidence weight wins, lists are joined without repeats, counts are
/// added (see `docs/llm.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmAssessment {
    /// Where demand is going, as the model reads the documents.
    pub trend: TrendDirection,
    /// The model's confidence in `trend`, in [0, 1].
    pub confidence: f64,
    /// What drives demand (short phrases).
    pub demand_drivers: Vec<String>,
    /// What threatens demand or supply (short phrases).
    pub risks: Vec<String>,
    /// Documents that mention a stock-out or unavailability (≤ `documents`).
    pub stockout_mentions: usize,
    /// Quality problems customers report (short phrases).
    pub quality_issues: Vec<String>,
    /// One sentence in the manifest's `summary_language`.
    pub summary: String,
    /// Ids of documents that support the answer; always ids that were sent.
    pub supporting_document_ids: Vec<String>,
    /// Documents sent to the model.
    pub documents: usize,
    /// Chat requests the answer took (one per packed batch, plus any correction round).
    pub requests: u64,
    /// Prompt tokens of those requests (as the server reported, else as counted).
    pub input_tokens: u64,
    /// Completion tokens of those requests (as the server reported, else as counted).
    pub output_tokens: u64,
}

/// What one language-model component spent in a run.
///
/// Unlike the rest of the report this depends on the cache: a second run of the same manifest
/// has every answer cached, and counts hits instead of requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LlmUsage {
    /// The model as the server names it (`gpt-4o-mini`).
    pub model: String,
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Requests sent again after a 429, 408, 5xx, timeout or broken connection.
    pub retries: u64,
    /// Prompt tokens the server reported.
    pub input_tokens: u64,
    /// Completion tokens the server reported.
    pub output_tokens: u64,
    /// Answers read from the cache instead of asked for.
    pub cache_hits: u64,
    /// Items whose answer failed (listed in their `errors`).
    pub failed_items: u64,
    /// Estimated cost in the currency of the configured prices: tokens / 10⁶ × price.
    pub estimated_cost: f64,
}

/// Findings per item, keyed by item id (product id or category, per [`Grouping`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outlook {
    /// What the item keys are.
    pub grouping: Grouping,
    /// Findings per item, sorted by key.
    pub items: BTreeMap<String, ItemOutlook>,
    /// Sentiment per document id. Left out of the JSON report (thousands of rows); the
    /// `csv` output's `documents` table carries it.
    #[serde(skip)]
    pub documents: BTreeMap<String, DocumentSentiment>,
    /// What each language-model component spent, by component name; absent when none ran.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub usage: BTreeMap<String, LlmUsage>,
}

impl Outlook {
    /// The outlook of `item`, created empty when absent.
    pub fn item_mut(&mut self, item: &str) -> &mut ItemOutlook {
        self.items.entry(item.to_owned()).or_default()
    }
}
