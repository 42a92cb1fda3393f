//! The typed configuration of `redact_pii`.

use serde::Deserialize;

use crate::redact::{Kind, Kinds};

/// Configuration of the `redact_pii` preprocessor. Every key is optional; the defaults redact
/// every kind in documents' text and title.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The kinds of personal data to replace (`kinds`, default all four). Must not be empty.
    pub kinds: Vec<Kind>,
    /// The document fields to redact (`fields`, default text and title). Must not be empty.
    pub fields: Vec<Field>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            kinds: vec![Kind::Email, Kind::Phone, Kind::Card, Kind::Address],
            fields: vec![Field::Text, Field::Title],
        }
    }
}

impl Config {
    /// The kinds asked for, as a set.
    pub fn kinds(&self) -> Kinds {
        self.kinds.iter().copied().collect()
    }
}

/// A document field that `redact_pii` can redact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// [`restock_core::Document::text`].
    Text,
    /// [`restock_core::Document::title`].
    Title,
}
