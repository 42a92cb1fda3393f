//! The `review_signals` model: demand signals found in each item's documents, counted, with
//! evidence.

use std::collections::{BTreeMap, HashMap, HashSet};

use async_trait::async_trait;
use restock_core::config::{ConfigError, ConfigErrors};
use restock_core::{
    ConfigKeyDoc, Context, Dataset, Document, Grouping, ItemIndex, Model, Outlook, PluginInfo,
    Signal, SignalKind, Tagged,
};
use serde::Deserialize;

use crate::language::{LanguageSetting, Lexicon, choose};
use crate::signals::{Lang, PhrasesConfig, SignalRules};

/// Configuration of `review_signals`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSignalsConfig {
    /// `en`, `pt`, or `auto` (as `lexicon_sentiment` chose, else the document's `lang`, else
    /// identified from the text).
    #[serde(default)]
    pub language: LanguageSetting,
    /// The phrase list used when identification is unsure.
    #[serde(default)]
    pub fallback_language: Lexicon,
    /// Changes to the default phrase lists, per signal kind.
    #[serde(default)]
    pub phrases: PhrasesConfig,
    /// Items are products or categories; default: as the earlier models grouped.
    #[serde(default)]
    pub group_by: Option<Grouping>,
    /// Documents cited per signal and item.
    #[serde(default = "default_evidence")]
    pub evidence: usize,
}

fn default_evidence() -> usize {
    3
}

pub(crate) const INFO: PluginInfo = PluginInfo {
    type_name: "review_signals",
    doc: "rule-based demand signals in review text (stock-out, delivery, quality, size/fit, repeat purchase, gifting), EN and PT, counted per item with evidence",
    keys: &[
        ConfigKeyDoc {
            name: "language",
            ty: "\"en\" | \"pt\" | \"auto\"",
            default: Some("\"auto\""),
            doc: "auto: as lexicon_sentiment chose, else the document's lang, else identified",
        },
        ConfigKeyDoc {
            name: "fallback_language",
            ty: "\"en\" | \"pt\"",
            default: Some("\"en\""),
            doc: "phrase list used when identification is unsure",
        },
        ConfigKeyDoc {
            name: "phrases",
            ty: "table: kind = { en = [..], pt = [..], mode = \"extend\" | \"replace\" }",
            default: Some("{}"),
            doc: "extend or replace the default phrase lists (docs/signals.md lists them)",
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
            default: Some("3"),
            doc: "documents cited per signal and item, most recent first",
        },
    ],
    example: "language = \"auto\"\nfallback_language = \"pt\"\ngroup_by = \"category\"\nevidence = 3\nphrases = { stock_out = { pt = [\"acabou o estoque\"], mode = \"extend\" } }\n",
};

/// The `review_signals` model.
pub struct ReviewSignals {
    config: ReviewSignalsConfig,
    rules: SignalRules,
    name: String,
}

impl ReviewSignals {
    /// Builds the phrase rules; an invalid phrase is an error at `phrases`.
    pub fn new(config: ReviewSignalsConfig, name: &str) -> Result<Self, ConfigErrors> {
        let rules = SignalRules::new(&config.phrases)
            .map_err(|message| ConfigErrors(vec![ConfigError::at_key(&["phrases"], message)]))?;
        Ok(Self {
            config,
            rules,
            name: name.to_owned(),
        })
    }

    fn lang(&self, doc: &Document, text: &str, outlook: &Outlook) -> Lang {
        let chosen = match (self.config.language, outlook.documents.get(&doc.id)) {
            (LanguageSetting::Auto, Some(scored)) => Lexicon::from_tag(&scored.lang),
            _ => None,
        };
        let lexicon = chosen.unwrap_or_else(|| {
            choose(
                self.config.language,
                doc.lang.as_deref(),
                text,
                self.config.fallback_language,
            )
            .lexicon
        });
        match lexicon {
            Lexicon::En => Lang::En,
            Lexicon::Pt => Lang::Pt,
        }
    }
}

#[async_trait]
impl Model for ReviewSignals {
    async fn assess(
        &self,
        dataset: &Dataset,
        outlook: &mut Outlook,
        ctx: &Context,
    ) -> restock_core::Result<()> {
        let grouping = self.config.group_by.unwrap_or(outlook.grouping);
        if outlook.items.is_empty() {
            outlook.grouping = grouping;
        }
        let index = ItemIndex::new(grouping, &dataset.products);
        // Detect once per document id.
        let mut found: HashMap<&str, Vec<SignalKind>> = HashMap::new();
        for (i, doc) in dataset.documents.iter().enumerate() {
            if i % 1024 == 0 && ctx.is_cancelled() {
                return Err(restock_core::Error::Cancelled);
            }
            if found.contains_key(doc.id.as_str()) {
                continue;
            }
            let text = doc.full_text();
            if text.trim().is_empty() {
                continue;
            }
            let lang = self.lang(doc, &text, outlook);
            found.insert(&doc.id, self.rules.detect(&text, lang));
        }
        // Per item: the ids of its documents with text (a set: a review of an order with two
        // products of one category counts once), and per kind the documents that show it.
        let mut per_item: BTreeMap<String, (HashSet<&str>, BTreeMap<SignalKind, Vec<&Document>>)> =
            BTreeMap::new();
        for doc in &dataset.documents {
            let (Some(product), Some(kinds)) = (&doc.product_id, found.get(doc.id.as_str())) else {
                continue;
            };
            let (docs, by_kind) = per_item.entry(index.item_of(product)).or_default();
            if !docs.insert(doc.id.as_str()) {
                continue;
            }
            for kind in kinds {
                by_kind.entry(*kind).or_default().push(doc);
            }
        }
        for (item, (docs, by_kind)) in per_item {
            let entry = outlook.item_mut(&item);
            if entry.category.is_none() {
                entry.category = index.category_of(&item);
            }
            entry.signals.retain(|s| s.model != self.name);
            for (kind, mut shown) in by_kind {
                shown.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
                entry.signals.push(Tagged {
                    model: self.name.clone(),
                    value: Signal {
                        kind,
                        documents: shown.len(),
                        share: shown.len() as f64 / docs.len() as f64,
                        evidence: shown
                            .iter()
                            .take(self.config.evidence)
                            .map(|d| d.id.clone())
                            .collect(),
                    },
                });
            }
        }
        Ok(())
    }
}
