//! Text cleanup for Restock pipelines: the `normalize_text` preprocessor, which turns the text
//! and titles of collected documents into plain, comparable text before any model reads them.
//! It strips HTML tags and decodes entities (`&amp;`, `&#39;`) with a real HTML parser, applies
//! Unicode normalisation (NFKC by default, so fullwidth letters and ligatures become their plain
//! forms), collapses whitespace, and drops — or keeps, as configured — documents left with no
//! words, always saying how many and why.
//!
//! What this crate deliberately is not: it does not detect languages, segment words, translate,
//! fix spelling, lower-case, strip accents or emoji, redact PII or remove duplicates (those are
//! separate preprocessors, or the models' business), and it never touches sales, stock or
//! products. It does no I/O. Non-ASCII text (`não`, `很好`, `👍`) passes through intact apart
//! from the Unicode normalisation asked for.
//!
//! Use it from a manifest:
//!
//! ```toml
//! [[preprocess]]
//! type = "normalize_text"
//! empty = "keep_rated"
//! ```
//!
//! or from Rust, by calling [`register`] on a [`restock_core::Registry`], or
//! [`NormalizeText::new`] directly.
#![deny(missing_docs)]

mod config;
mod html;
mod normalize;

pub use config::{Config, EmptyPolicy, UnicodeForm};
pub use html::html_to_text;
pub use normalize::{INFO, NormalizeText};

use restock_core::{BuildContext, ConfigErrors, Preprocessor, Registry};

/// Registers the `normalize_text` preprocessor.
pub fn register(registry: &mut Registry) {
    registry.add_preprocessor(
        INFO,
        |config: Config, _ctx: &BuildContext| -> Result<Box<dyn Preprocessor>, ConfigErrors> {
            Ok(Box::new(NormalizeText::new(config)))
        },
    );
}
