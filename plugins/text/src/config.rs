//! The typed configuration of `normalize_text`.

use serde::Deserialize;

/// Configuration of the `normalize_text` preprocessor. Every key is optional; the defaults
/// clean HTML, apply NFKC, collapse whitespace and drop documents left empty.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Strip HTML tags and decode entities (`html`, default `true`). Turn it off for sources
    /// known to be plain text in which `<` is common (`a<b`, `x <y> z`).
    pub html: bool,
    /// The Unicode normalisation form (`unicode`, default NFKC).
    pub unicode: UnicodeForm,
    /// Collapse runs of whitespace and control characters to one space and trim
    /// (`whitespace`, default `true`).
    pub whitespace: bool,
    /// What happens to a document whose text and title are empty after cleaning (`empty`,
    /// default drop).
    pub empty: EmptyPolicy,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            html: true,
            unicode: UnicodeForm::Nfkc,
            whitespace: true,
            empty: EmptyPolicy::Drop,
        }
    }
}

/// A Unicode normalisation form (UAX #15).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnicodeForm {
    /// Compatibility composition: fullwidth `ＡＢＣ` → `ABC`, `ﬁ` → `fi`, NBSP → space, and
    /// composed accents (`não` stays `não`). The best form for matching words.
    #[default]
    Nfkc,
    /// Canonical composition only: accents composed, compatibility characters (`ﬁ`, fullwidth
    /// letters) kept as written.
    Nfc,
    /// No normalisation.
    None,
}

/// What happens to a document whose text and title are both empty after cleaning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmptyPolicy {
    /// Drop it.
    #[default]
    Drop,
    /// Drop it unless it has a rating: a rating-only review still feeds rating trends.
    KeepRated,
    /// Keep it.
    Keep,
}
