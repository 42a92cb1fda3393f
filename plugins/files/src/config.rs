//! The typed configuration of the `csv` and `jsonl` collectors, as written in a `[[collect]]`
//! table (minus `type` and `name`, which the runner keeps).
//!
//! Deserialisation only checks shapes; what needs the file system or the record kind (the file
//! exists, the columns are known fields and are in the header, the encoding is known) is checked
//! when the collector is built (see `plan`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

pub use restock_core::RecordKind;
use restock_core::{DocumentKind, Period};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// The configuration shared by the `csv` and `jsonl` collectors.
///
/// ```toml
/// records = "documents"
/// path = "data/olist_order_reviews_dataset.csv"
/// columns = { id = "review_id", rating = "review_score", created_at = "review_creation_date" }
/// join = { path = "data/olist_order_items_dataset.csv", on = "order_id", columns = { product_id = "product_id" } }
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesConfig {
    /// Which records the rows become.
    pub records: RecordKind,
    /// The file to read, relative to the manifest's folder; plain or gzip (a `.gz` name or gzip
    /// magic bytes).
    pub path: PathBuf,
    /// Record field → source column (CSV header name, or top-level JSON key). A field not
    /// listed reads the column named like the field, when there is one.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Columns copied verbatim into [`restock_core::Document::extra`] (documents only).
    #[serde(default)]
    pub extra: Vec<String>,
    /// The kind of documents when no `kind` column says otherwise (documents only; default
    /// `review`).
    #[serde(default)]
    pub kind: Option<DocumentKind>,
    /// The field separator, one ASCII character (CSV only; default `,`).
    #[serde(default)]
    pub delimiter: Option<String>,
    /// The text encoding, any WHATWG label (`utf-8`, `latin-1`, `windows-1252`, `utf-16le`…;
    /// default `utf-8`, with or without a byte-order mark).
    #[serde(default)]
    pub encoding: Option<String>,
    /// A chrono `strftime` format for the date fields, when they are not RFC 3339,
    /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or unix seconds.
    #[serde(default)]
    pub date_format: Option<String>,
    /// Other files whose columns fill fields of each row, matched on a key column.
    #[serde(default)]
    pub join: Option<Joins>,
    /// The length of a forecast's period (forecasts only; default `week`): each row's `period`
    /// date must be the first day of one (a Monday for ISO weeks, the 1st for months).
    #[serde(default)]
    pub period: Option<Period>,
    /// The distribution of a forecast when no `distribution` column gives one (forecasts only;
    /// default `normal`).
    #[serde(default)]
    pub distribution: Option<DistributionKind>,
    /// Cell texts that mean "recorded as unknown" in a sale's `quantity` (sales only; default
    /// none): such a sale gets `quantity = NaN` instead of being quarantined. `""` matches an
    /// empty cell (and, in JSONL, a `null` or absent key), which otherwise means 1 unit.
    #[serde(default)]
    pub missing_values: Vec<String>,
}

/// The family of a forecast's demand distribution, as written in a manifest or a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistributionKind {
    /// Normal: `mean` and `std_dev`.
    Normal,
    /// Poisson: `mean` (the variance equals it).
    Poisson,
    /// Negative binomial: `mean` and `std_dev`, with `std_dev` above √mean.
    NegativeBinomial,
    /// Discrete: `values` and optional `probabilities` (equal weights when absent).
    Empirical,
}

impl DistributionKind {
    /// The name as written in a manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            DistributionKind::Normal => "normal",
            DistributionKind::Poisson => "poisson",
            DistributionKind::NegativeBinomial => "negative_binomial",
            DistributionKind::Empirical => "empirical",
        }
    }

    /// The kind named `text` (case and surrounding spaces ignored; `-` or a space may stand for
    /// `_`), if any.
    pub fn parse(text: &str) -> Option<Self> {
        let name = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        match name.as_str() {
            "normal" => Some(DistributionKind::Normal),
            "poisson" => Some(DistributionKind::Poisson),
            "negative_binomial" => Some(DistributionKind::NegativeBinomial),
            "empirical" => Some(DistributionKind::Empirical),
            _ => None,
        }
    }
}

impl fmt::Display for DistributionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `join = { … }` (one file) or `join = [{ … }, { … }]` (several files).
#[derive(Debug, Clone, PartialEq)]
pub enum Joins {
    /// A single table.
    One(JoinConfig),
    /// An array of tables.
    Many(Vec<JoinConfig>),
}

impl Joins {
    /// Each join with the key path of its table in the manifest (`["join"]` or
    /// `["join", "[1]"]`), for error messages.
    pub fn entries(&self) -> Vec<(Vec<String>, &JoinConfig)> {
        match self {
            Joins::One(join) => vec![(vec!["join".to_owned()], join)],
            Joins::Many(joins) => joins
                .iter()
                .enumerate()
                .map(|(i, join)| (vec!["join".to_owned(), format!("[{i}]")], join))
                .collect(),
        }
    }
}

impl<'de> Deserialize<'de> for Joins {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JoinsVisitor;

        impl<'de> Visitor<'de> for JoinsVisitor {
            type Value = Joins;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table { path, on, columns } or an array of such tables")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Joins, A::Error> {
                JoinConfig::deserialize(MapAccessDeserializer::new(map)).map(Joins::One)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Joins, A::Error> {
                Vec::<JoinConfig>::deserialize(SeqAccessDeserializer::new(seq)).map(Joins::Many)
            }
        }

        deserializer.deserialize_any(JoinsVisitor)
    }
}

/// One joined file: its rows are looked up by key and their columns fill record fields.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinConfig {
    /// The joined file, relative to the manifest's folder; CSV or JSONL by its name
    /// (`.jsonl`, `.ndjson`, optionally `.gz`, are JSONL; anything else is read like the main
    /// file).
    pub path: PathBuf,
    /// The key column: one name present in both files, or `{ left, right }`.
    pub on: JoinOn,
    /// Record field → column of the joined file. These fields come from the join even if the
    /// main file has a column named like them; a field that is also mapped in the collector's
    /// `columns` reads that column of the main file for rows whose key matches nothing (e.g. a
    /// category translation table that lacks some categories).
    pub columns: BTreeMap<String, String>,
    /// The joined file's separator (default: the main file's).
    #[serde(default)]
    pub delimiter: Option<String>,
    /// The joined file's encoding (default: the main file's).
    #[serde(default)]
    pub encoding: Option<String>,
}

/// The key columns of a join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinOn {
    /// `on = "order_id"`: the same column name in both files.
    Same(String),
    /// `on = { left = "order", right = "order_id" }`: `left` in the main file, `right` in the
    /// joined file.
    Pair {
        /// The column of the main file.
        left: String,
        /// The column of the joined file.
        right: String,
    },
}

impl JoinOn {
    /// The key column of the main file.
    pub fn left(&self) -> &str {
        match self {
            JoinOn::Same(name) => name,
            JoinOn::Pair { left, .. } => left,
        }
    }

    /// The key column of the joined file.
    pub fn right(&self) -> &str {
        match self {
            JoinOn::Same(name) => name,
            JoinOn::Pair { right, .. } => right,
        }
    }
}

impl<'de> Deserialize<'de> for JoinOn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Pair {
            left: String,
            right: String,
        }

        struct OnVisitor;

        impl<'de> Visitor<'de> for OnVisitor {
            type Value = JoinOn;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a column name or a table { left, right }")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<JoinOn, E> {
                Ok(JoinOn::Same(value.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JoinOn, A::Error> {
                let pair = Pair::deserialize(MapAccessDeserializer::new(map))?;
                Ok(JoinOn::Pair {
                    left: pair.left,
                    right: pair.right,
                })
            }
        }

        deserializer.deserialize_any(OnVisitor)
    }
}
