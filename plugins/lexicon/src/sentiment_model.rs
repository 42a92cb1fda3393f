//! The `lexicon_sentiment` model: VADER scores per document, summarised per item.

use std::collections::{BTreeMap, HashMap, HashSet};

use async_trait::async_trait;
use chrono::NaiveDate;
use restock_core::config::{ConfigError, ConfigErrors};
use restock_core::{
    ConfigKeyDoc, Context, Dataset, Document, DocumentSentiment, Grouping, ItemIndex, Model,
    Outlook, PluginInfo, SentimentSummary, Severity, Tagged, Trend, TrendDirection,
};
use serde::Deserialize;

use crate::language::{LanguageSetting, Lexicon, choose};
use crate::vader::{Analyzer, Language, Options};

/// Configuration of `lexicon_sentiment`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconSentimentConfig {
    /// `en`, `pt`, or `auto` (the document's `lang`, else identified from the text).
    #[serde(default)]
    pub language: LanguageSetting,
    /// The lexicon when identification is unsure or finds another language.
    #[serde(default)]
    pub fallback_language: Lexicon,
    /// NFC-normalise and ignore a trailing U+FE0F on emoji (false: exactly the references).
    #[serde(default = "yes")]
    pub normalize_emoji: bool,
    /// Half-life of the recency weights, days.
    #[serde(default = "default_half_life")]
    pub half_life_days: f64,
    /// Significance level of the sentiment trend test.
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Fewest periods with documents for a trend test.
    #[serde(default = "default_min_periods")]
    pub min_periods: usize,
    /// Items are products or categories; default: as the earlier models grouped.
    #[serde(default)]
    pub group_by: Option<Grouping>,
    /// Most negative documents cited per item.
    #[serde(default = "default_evidence")]
    pub evidence: usize,
}

fn yes() -> bool {
    true
}
fn default_half_life() -> f64 {
    30.0
}
fn default_alpha() -> f64 {
    0.05
}
fn default_min_periods() -> usize {
    6
}
fn default_evidence() -> usize {
    2
}

pub(crate) const INFO: PluginInfo = PluginInfo {
    type_name: "lexicon_sentiment",
    doc: "VADER sentiment per document (English: vaderSentiment 3.3.2; Portuguese: LeIA), summarised per item with recency weights and a trend",
    keys: &[
        ConfigKeyDoc {
            name: "language",
            ty: "\"en\" | \"pt\" | \"auto\"",
            default: Some("\"auto\""),
            doc: "auto: the document's lang field, else identified from the text (whatlang)",
        },
        ConfigKeyDoc {
            name: "fallback_language",
            ty: "\"en\" | \"pt\"",
            default: Some("\"en\""),
            doc: "lexicon used when identification is unsure or finds another language",
        },
        ConfigKeyDoc {
            name: "normalize_emoji",
            ty: "boolean",
            default: Some("true"),
            doc: "NFC text and ignore a trailing U+FE0F on emoji; false scores exactly as the references",
        },
        ConfigKeyDoc {
            name: "half_life_days",
            ty: "float",
            default: Some("30"),
            doc: "a review this many days older than as_of counts half in the recency-weighted mean",
        },
        ConfigKeyDoc {
            name: "alpha",
            ty: "float",
            default: Some("0.05"),
            doc: "significance level of the Mann–Kendall test on mean compound per period",
        },
        ConfigKeyDoc {
            name: "min_periods",
            ty: "integer",
            default: Some("6"),
            doc: "fewest periods with reviews (in the sales model's window) to test a trend",
        },
        ConfigKeyDoc {
            name: "group_by",
            ty: "\"product\" | \"category\"",
            default: Some("(as earlier models grouped)"),
            doc: "items are products or categories",
        },
        ConfigKeyDoc {
            name: "evidence",
            ty: "integer",
            default: Some("2"),
            doc: "most negative reviews cited per item",
        },
    ],
    example: "language = \"auto\"\nfallback_language = \"pt\"\nnormalize_emoji = true\nhalf_life_days = 30\nalpha = 0.05\nmin_periods = 6\ngroup_by = \"category\"\nevidence = 2\n",
};

/// The `lexicon_sentiment` model.
pub struct LexiconSentiment {
    config: LexiconSentimentConfig,
    english: Analyzer,
    portuguese: Analyzer,
    name: String,
}

impl LexiconSentiment {
    /// Checks value ranges; errors name the key.
    pub fn new(config: LexiconSentimentConfig, name: &str) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        if !(config.half_life_days.is_finite() && config.half_life_days > 0.0) {
            errors.push(ConfigError::at_key(
                &["half_life_days"],
                "expected a positive number of days",
            ));
        }
        if !(config.alpha > 0.0 && config.alpha < 0.5) {
            errors.push(ConfigError::at_key(
                &["alpha"],
                "expected a number in (0, 0.5), e.g. 0.05",
            ));
        }
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        let options = Options {
            normalize_emoji: config.normalize_emoji,
        };
        Ok(Self {
            english: Analyzer::new(Language::English, options),
            portuguese: Analyzer::new(Language::Portuguese, options),
            config,
            name: name.to_owned(),
        })
    }

    fn tag<T>(&self, value: T) -> Tagged<T> {
        Tagged {
            model: self.name.clone(),
            value,
        }
    }

    /// Scores every document with text, once per id.
    fn score_documents(
        &self,
        dataset: &Dataset,
        ctx: &Context,
    ) -> restock_core::Result<BTreeMap<String, DocumentSentiment>> {
        let mut scores = BTreeMap::new();
        let mut fell_back = 0usize;
        let progress = ctx.progress("scoring documents", Some(dataset.documents.len() as u64));
        for (i, doc) in dataset.documents.iter().enumerate() {
            if i % 1024 == 0 && ctx.is_cancelled() {
                return Err(restock_core::Error::Cancelled);
            }
            progress.inc(1);
            if scores.contains_key(&doc.id) {
                continue;
            }
            let text = doc.full_text();
            if text.trim().is_empty() {
                continue;
            }
            let choice = choose(
                self.config.language,
                doc.lang.as_deref(),
                &text,
                self.config.fallback_language,
            );
            fell_back += usize::from(choice.fell_back);
            let analyzer = match choice.lexicon {
                Lexicon::En => &self.english,
                Lexicon::Pt => &self.portuguese,
            };
            scores.insert(
                doc.id.clone(),
                DocumentSentiment {
                    scores: analyzer.polarity_scores(&text),
                    lang: choice.lexicon.as_str().to_owned(),
                    detected: choice.detected,
                },
            );
        }
        if fell_back > 0 {
            ctx.report(
                Severity::Info,
                None,
                None,
                format!(
                    "{fell_back} documents were too short or not clearly English or Portuguese; scored as {}",
                    self.config.fallback_language.as_str()
                ),
            );
        }
        Ok(scores)
    }

    fn summarise(
        &self,
        docs: &[(&Document, &DocumentSentiment)],
        as_of: NaiveDate,
        demand: Option<&restock_core::DemandRate>,
    ) -> SentimentSummary {
        let n = docs.len() as f64;
        let compounds: Vec<f64> = docs.iter().map(|(_, s)| s.scores.compound).collect();
        let mut languages = BTreeMap::new();
        for (_, s) in docs {
            *languages.entry(s.lang.clone()).or_insert(0) += 1;
        }
        let (mut weighted, mut weights) = (0.0, 0.0);
        for (doc, s) in docs {
            let age = (as_of - doc.created_at.date_naive()).num_days().max(0) as f64;
            let w = 0.5f64.powf(age / self.config.half_life_days);
            weighted += w * s.scores.compound;
            weights += w;
        }
        SentimentSummary {
            documents: docs.len(),
            mean_compound: compounds.iter().sum::<f64>() / n,
            positive_share: compounds.iter().filter(|c| **c >= 0.05).count() as f64 / n,
            negative_share: compounds.iter().filter(|c| **c <= -0.05).count() as f64 / n,
            recency_weighted_compound: if weights > 0.0 {
                weighted / weights
            } else {
                0.0
            },
            half_life_days: self.config.half_life_days,
            languages,
            trend: demand.and_then(|demand| self.trend(docs, demand)),
        }
    }

    /// Mann–Kendall on the mean compound of each period of the sales model's window that has
    /// documents.
    fn trend(
        &self,
        docs: &[(&Document, &DocumentSentiment)],
        demand: &restock_core::DemandRate,
    ) -> Option<Trend> {
        let period = demand.period;
        let mut by_period: BTreeMap<NaiveDate, (f64, usize)> = BTreeMap::new();
        for (doc, s) in docs {
            let day = doc.created_at.date_naive();
            if day < demand.from || day > demand.to {
                continue;
            }
            let e = by_period.entry(period.start_of(day)).or_insert((0.0, 0));
            e.0 += s.scores.compound;
            e.1 += 1;
        }
        let means: Vec<f64> = by_period.values().map(|(sum, k)| sum / *k as f64).collect();
        if means.len() < self.config.min_periods {
            return None;
        }
        let r = restock_stats::mann_kendall(&means);
        let direction = match (r.p_value < self.config.alpha, r.s) {
            (true, s) if s > 0.0 => TrendDirection::Increase,
            (true, s) if s < 0.0 => TrendDirection::Decrease,
            _ => TrendDirection::Stable,
        };
        Some(Trend {
            direction,
            confidence: 1.0 - r.p_value,
            test: "mann_kendall".into(),
            statistic: r.s,
            p_value: r.p_value,
            slope: r.slope,
            n: r.n,
        })
    }
}

#[async_trait]
impl Model for LexiconSentiment {
    async fn assess(
        &self,
        dataset: &Dataset,
        outlook: &mut Outlook,
        ctx: &Context,
    ) -> restock_core::Result<()> {
        let scores = self.score_documents(dataset, ctx)?;
        let grouping = self.config.group_by.unwrap_or(outlook.grouping);
        if outlook.items.is_empty() {
            outlook.grouping = grouping;
        } else if grouping != outlook.grouping {
            ctx.warn(format!(
                "grouping by {grouping:?} while earlier models grouped by {:?}: items of both kinds are mixed",
                outlook.grouping
            ));
        }
        let index = ItemIndex::new(grouping, &dataset.products);
        let mut per_item: HashMap<String, Vec<(&Document, &DocumentSentiment)>> = HashMap::new();
        let mut seen: HashSet<(&str, String)> = HashSet::new();
        for doc in &dataset.documents {
            let (Some(product), Some(s)) = (&doc.product_id, scores.get(&doc.id)) else {
                continue;
            };
            let item = index.item_of(product);
            // A review of two products of one category counts once for the category.
            if !seen.insert((doc.id.as_str(), item.clone())) {
                continue;
            }
            per_item.entry(item).or_default().push((doc, s));
        }
        let mut items: Vec<_> = per_item.into_iter().collect();
        items.sort_by(|a, b| a.0.cmp(&b.0));
        for (item, mut docs) in items {
            docs.sort_by(|a, b| (a.0.created_at, &a.0.id).cmp(&(b.0.created_at, &b.0.id)));
            let entry = outlook.item_mut(&item);
            if entry.category.is_none() {
                entry.category = index.category_of(&item);
            }
            let demand = entry.demand.as_ref().map(|d| &d.value);
            let summary = self.summarise(&docs, ctx.as_of(), demand);
            entry.sentiment = Some(self.tag(summary));
            // The most negative reviews, most recent first among equals.
            let mut negative: Vec<_> = docs
                .iter()
                .filter(|(_, s)| s.scores.compound <= -0.05)
                .collect();
            negative.sort_by(|a, b| {
                a.1.scores
                    .compound
                    .total_cmp(&b.1.scores.compound)
                    .then(b.0.created_at.cmp(&a.0.created_at))
                    .then(a.0.id.cmp(&b.0.id))
            });
            for (doc, _) in negative.into_iter().take(self.config.evidence) {
                if !entry.evidence.contains(&doc.id) {
                    entry.evidence.push(doc.id.clone());
                }
            }
        }
        outlook.documents.extend(scores);
        Ok(())
    }
}
