//! The `sales_trend` model: baseline demand rate, sales trend and review-rating trend per item.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::NaiveDate;
use restock_core::config::{ConfigError, ConfigErrors};
use restock_core::{
    ConfigKeyDoc, Context, Dataset, DemandRate, Document, Grouping, ItemIndex, Model, Outlook,
    Period, PluginInfo, RatingTrend, Severity, Tagged, Trend, TrendDirection,
};
use serde::Deserialize;

use restock_stats::{mann_kendall, mean_std};

use crate::series::aggregate;

/// Configuration of `sales_trend`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalesTrendConfig {
    /// Period length for aggregation.
    #[serde(default = "default_period")]
    pub period: Period,
    /// Number of most recent complete periods used for the rate and the tests.
    #[serde(default = "default_window")]
    pub window: usize,
    /// Items are products or categories.
    #[serde(default)]
    pub group_by: Grouping,
    /// Significance level of the trend tests, in (0, 0.5).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Fewest periods (or rated reviews) for a trend test; fewer gives `stable` with p = 1.
    #[serde(default = "default_min_observations")]
    pub min_observations: usize,
    /// Documents cited as evidence per item.
    #[serde(default = "default_evidence")]
    pub evidence: usize,
}

fn default_period() -> Period {
    Period::Week
}
fn default_window() -> usize {
    26
}
fn default_alpha() -> f64 {
    0.05
}
fn default_min_observations() -> usize {
    8
}
fn default_evidence() -> usize {
    3
}

pub(crate) const INFO: PluginInfo = PluginInfo {
    type_name: "sales_trend",
    doc: "baseline demand per period, Mann–Kendall sales trend and review-rating trend per item",
    keys: &[
        ConfigKeyDoc {
            name: "period",
            ty: "\"day\" | \"week\" | \"month\"",
            default: Some("\"week\""),
            doc: "aggregation period (weeks are ISO, Monday first; only complete periods count)",
        },
        ConfigKeyDoc {
            name: "window",
            ty: "integer",
            default: Some("26"),
            doc: "most recent complete periods used for the rate and the tests",
        },
        ConfigKeyDoc {
            name: "group_by",
            ty: "\"product\" | \"category\"",
            default: Some("\"product\""),
            doc: "decide per product, or per product category (needs products with a category)",
        },
        ConfigKeyDoc {
            name: "alpha",
            ty: "float",
            default: Some("0.05"),
            doc: "significance level: a trend is increase/decrease when p < alpha",
        },
        ConfigKeyDoc {
            name: "min_observations",
            ty: "integer",
            default: Some("8"),
            doc: "fewest periods (or rated reviews) to test a trend; fewer reads as stable",
        },
        ConfigKeyDoc {
            name: "evidence",
            ty: "integer",
            default: Some("3"),
            doc: "reviews cited per item (lowest-rated first unless ratings are rising)",
        },
    ],
    example: "period = \"week\"\nwindow = 26\ngroup_by = \"category\"\nalpha = 0.05\nmin_observations = 8\nevidence = 3\n",
};

/// The `sales_trend` model.
#[derive(Debug, Clone)]
pub struct SalesTrend {
    config: SalesTrendConfig,
    name: String,
}

impl SalesTrend {
    /// Checks value ranges; errors name the key.
    pub fn new(config: SalesTrendConfig, name: &str) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        if !(config.alpha > 0.0 && config.alpha < 0.5) {
            errors.push(ConfigError::at_key(
                &["alpha"],
                "expected a number in (0, 0.5), e.g. 0.05",
            ));
        }
        if config.window < 2 {
            errors.push(ConfigError::at_key(
                &["window"],
                "expected at least 2 periods",
            ));
        }
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        Ok(Self {
            config,
            name: name.to_owned(),
        })
    }

    fn trend(&self, x: &[f64]) -> Trend {
        let r = mann_kendall(x);
        let tested = x.len() >= self.config.min_observations;
        let p_value = if tested { r.p_value } else { 1.0 };
        let direction = if p_value < self.config.alpha && r.s > 0.0 {
            TrendDirection::Increase
        } else if p_value < self.config.alpha && r.s < 0.0 {
            TrendDirection::Decrease
        } else {
            TrendDirection::Stable
        };
        Trend {
            direction,
            confidence: 1.0 - p_value,
            test: if tested {
                "mann_kendall"
            } else {
                "too_few_observations"
            }
            .to_owned(),
            statistic: r.s,
            p_value,
            slope: r.slope,
            n: r.n,
        }
    }

    fn tag<T>(&self, value: T) -> Tagged<T> {
        Tagged {
            model: self.name.clone(),
            value,
        }
    }
}

#[async_trait]
impl Model for SalesTrend {
    async fn assess(
        &self,
        dataset: &Dataset,
        outlook: &mut Outlook,
        ctx: &Context,
    ) -> restock_core::Result<()> {
        let as_of = ctx.as_of();
        let period = self.config.period;
        if !outlook.items.is_empty() && outlook.grouping != self.config.group_by {
            ctx.warn(format!(
                "an earlier model grouped by {:?}; this one groups by {:?}: items of both kinds are mixed",
                outlook.grouping, self.config.group_by
            ));
        }
        outlook.grouping = self.config.group_by;
        let items = ItemIndex::new(self.config.group_by, &dataset.products);

        let mut sales: BTreeMap<String, Vec<(NaiveDate, f64)>> = BTreeMap::new();
        for s in &dataset.sales {
            sales
                .entry(items.item_of(&s.product_id))
                .or_default()
                .push((s.date, s.quantity));
        }
        // Items with stock but no sales get a zero rate over the window, when the stock key is
        // a known item (a product of the catalogue, or a category of one). An unknown key is
        // more likely a mismatch (a product id under group_by = "category"): the strategy
        // reports it instead of deciding on a demand of zero.
        let known: std::collections::HashSet<String> = dataset
            .products
            .iter()
            .map(|p| items.item_of(&p.id))
            .collect();
        for p in &dataset.stock {
            if known.contains(&p.product_id) {
                sales.entry(p.product_id.clone()).or_default();
            }
        }
        let mut rated: HashMap<String, Vec<&Document>> = HashMap::new();
        for d in &dataset.documents {
            if let Some(product) = &d.product_id {
                rated.entry(items.item_of(product)).or_default().push(d);
            }
        }

        let progress = ctx.progress("items", Some(sales.len() as u64));
        // A window with no sales at all usually means as_of is wrong, not that nothing sells.
        if let Some(latest) = dataset.sales.iter().map(|s| s.date).max() {
            let mut window_start = previous(period, period.start_of(as_of));
            for _ in 1..self.config.window {
                window_start = previous(period, window_start);
            }
            if latest < window_start {
                ctx.warn(format!(
                    "the latest sale ({latest}) is before the {} complete {}s ending before as_of {as_of}: every demand rate reads as zero; is as_of right?",
                    self.config.window,
                    period.as_str()
                ));
            }
        }
        // The last complete period is the one before the period holding as_of.
        let last_complete = previous(period, period.start_of(as_of));
        for (item, item_sales) in &sales {
            if ctx.is_cancelled() {
                return Err(restock_core::Error::Cancelled);
            }
            progress.inc(1);
            let first = item_sales.iter().map(|s| s.0).min();
            // With no sales, the window is the last `window` complete periods before as_of.
            let first = first.unwrap_or_else(|| {
                let mut start = last_complete;
                for _ in 1..self.config.window {
                    start = previous(period, start);
                }
                start
            });
            let series = aggregate(item_sales.iter().copied(), period, first, as_of);
            if series.units.is_empty() {
                let message = format!(
                    "first sale {first} is in the current {}: no complete period yet, so no demand rate",
                    period.as_str()
                );
                ctx.report(Severity::Warning, Some(item), None, message.clone());
                let entry = outlook.item_mut(item);
                entry.category = items.category_of(item);
                entry.errors.push(format!("{}: {message}", self.name));
                continue;
            }
            let skip = series.units.len().saturating_sub(self.config.window);
            let from = series.starts[skip];
            let to = period.next(*series.starts.last().expect("non-empty")) - chrono::Days::new(1);
            // A period holding a sale of unknown quantity has an unknown total: it is left out
            // of the rate and the trend test (never read as a number) and reported.
            let calendar = &series.units[skip..];
            let known: Vec<f64> = calendar.iter().copied().filter(|u| !u.is_nan()).collect();
            let unknown = calendar.len() - known.len();
            if known.is_empty() {
                let message = format!(
                    "the demand of all {unknown} complete {}s in the window is unknown (sales without a quantity): no demand rate",
                    period.as_str()
                );
                ctx.report(Severity::Warning, Some(item), None, message.clone());
                let entry = outlook.item_mut(item);
                entry.category = items.category_of(item);
                entry.errors.push(format!("{}: {message}", self.name));
                continue;
            }
            if unknown > 0 {
                ctx.report(
                    Severity::Warning,
                    Some(item),
                    None,
                    format!(
                        "the demand of {unknown} of the {} complete {}s in the window is unknown (sales without a quantity): left out of the demand rate and the trend test",
                        calendar.len(),
                        period.as_str()
                    ),
                );
            }
            let window = &known[..];
            let (mean, std_dev) = mean_std(window);
            let demand = DemandRate {
                period,
                periods: window.len(),
                from,
                to,
                mean,
                std_dev,
                units: window.iter().sum(),
                zero_share: window.iter().filter(|u| **u == 0.0).count() as f64
                    / window.len() as f64,
            };
            let sales_trend = self.trend(window);
            if demand.units == 0.0
                && let Some(last) = item_sales.iter().map(|s| s.0).max()
            {
                ctx.report(
                    Severity::Info,
                    Some(item),
                    None,
                    format!(
                        "no sales in the {} complete {}s before {as_of} (last sale {last}): demand reads as zero",
                        window.len(),
                        period.as_str()
                    ),
                );
            }

            let mut reviews: Vec<&Document> = rated
                .get(item)
                .map(|docs| {
                    docs.iter()
                        .copied()
                        .filter(|d| {
                            let day = d.created_at.date_naive();
                            day >= from && day < as_of
                        })
                        .collect()
                })
                .unwrap_or_default();
            reviews.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
            let ratings: Vec<f64> = reviews.iter().filter_map(|d| d.rating).collect();
            let rating_trend = (!ratings.is_empty()).then(|| {
                let half = ratings.len() / 2;
                RatingTrend {
                    reviews: ratings.len(),
                    mean_rating: mean_std(&ratings).0,
                    recent_mean_rating: mean_std(&ratings[half..]).0,
                    low_share: ratings.iter().filter(|r| **r <= 2.0).count() as f64
                        / ratings.len() as f64,
                    trend: self.trend(&ratings),
                }
            });
            let rising = rating_trend
                .as_ref()
                .is_some_and(|r| r.trend.direction == TrendDirection::Increase);
            let evidence = cite(&reviews, rising, self.config.evidence);

            let entry = outlook.item_mut(item);
            entry.category = items.category_of(item);
            entry.demand = Some(self.tag(demand));
            entry.sales_trend = Some(self.tag(sales_trend));
            entry.rating_trend = rating_trend.map(|r| self.tag(r));
            for id in evidence {
                if !entry.evidence.contains(&id) {
                    entry.evidence.push(id);
                }
            }
        }
        Ok(())
    }
}

/// The reviews with text to cite: lowest-rated first (most recent first among equals), or
/// highest-rated first when ratings are rising.
fn cite(reviews: &[&Document], rising: bool, n: usize) -> Vec<String> {
    let mut with_text: Vec<&&Document> = reviews
        .iter()
        .filter(|d| !d.text.trim().is_empty())
        .collect();
    with_text.sort_by(|a, b| {
        let (ra, rb) = (a.rating.unwrap_or(3.0), b.rating.unwrap_or(3.0));
        let by_rating = if rising {
            rb.total_cmp(&ra)
        } else {
            ra.total_cmp(&rb)
        };
        by_rating
            .then(b.created_at.cmp(&a.created_at))
            .then(a.id.cmp(&b.id))
    });
    let mut ids: Vec<String> = Vec::new();
    for d in with_text {
        if ids.len() == n {
            break;
        }
        if !ids.contains(&d.id) {
            ids.push(d.id.clone());
        }
    }
    ids
}

fn previous(period: Period, start: NaiveDate) -> NaiveDate {
    match period {
        Period::Day => start - chrono::Days::new(1),
        Period::Week => start - chrono::Days::new(7),
        Period::Month => start - chrono::Months::new(1),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use restock_core::context::MemorySink;
    use restock_core::{Provenance, Sale};

    use super::*;

    fn sale(day: &str, quantity: f64) -> Sale {
        Sale {
            product_id: "p".into(),
            date: day.parse().unwrap(),
            quantity,
            unit_price: None,
            order_id: None,
            provenance: Provenance::at("sales.csv", 1),
        }
    }

    #[test]
    fn weeks_of_unknown_demand_are_left_out_and_reported() {
        // Weeks of 2018-07-02 … 07-23: 2, unknown (2 + ?), 0, 4.
        let dataset = Dataset {
            sales: vec![
                sale("2018-07-02", 2.0),
                sale("2018-07-09", 2.0),
                sale("2018-07-10", f64::NAN),
                sale("2018-07-24", 4.0),
            ],
            ..Dataset::default()
        };
        let config: SalesTrendConfig = restock_core::config::deserialize(
            &restock_core::ConfigValue::new(restock_core::config::ConfigKind::Table(vec![]), 0..0),
        )
        .unwrap();
        let model = SalesTrend::new(config, "sales_trend").unwrap();
        let sink = Arc::new(MemorySink::default());
        let ctx = Context::new("2018-07-30".parse().unwrap(), sink.clone());
        let mut outlook = Outlook::default();
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(model.assess(&dataset, &mut outlook, &ctx))
            .unwrap();
        let demand = &outlook.items["p"].demand.as_ref().unwrap().value;
        assert_eq!(demand.periods, 3);
        assert_eq!(demand.units, 6.0);
        assert_eq!(demand.mean, 2.0);
        assert!(demand.std_dev.is_finite());
        let (diagnostics, _) = sink.take();
        let warnings: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.message.contains("unknown"))
            .collect();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].severity, Severity::Warning);
        assert!(
            warnings[0]
                .message
                .starts_with("the demand of 1 of the 4 complete weeks in the window is unknown"),
            "{}",
            warnings[0].message
        );
    }
}
