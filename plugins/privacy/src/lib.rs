//! Privacy for Restock pipelines: finds e-mail addresses, phone numbers, payment card numbers
//! and street addresses in what customers write and replaces them with placeholders
//! (`[EMAIL]`, `[PHONE]`, `[CARD]`, `[ADDRESS]`), so that no model, report or remote server
//! sees them. [`redact`] is a pure function on one text, for any code about to send text off
//! the machine (the LLM models call it before a request); [`RedactPii`] is the `redact_pii`
//! preprocessor that applies it to every document's text and title and reports how many values
//! of each kind it replaced, never the values.
//!
//! The patterns favour keeping what a planner needs: order numbers, prices, dates, times,
//! ISBNs, tracking codes, percentages and quantities survive, at the price of missing some
//! personal data written in unusual ways (bare digit runs are never phones; cards must pass the
//! Luhn check; addresses need a house number and a street type). `docs/privacy.md` lists what is
//! covered and what is not; it is redaction by pattern, not anonymisation: names, and data
//! written in words, are left.
//!
//! What this crate deliberately is not: no named-entity recognition, no language model, no
//! hashing or pseudonymisation, no I/O.
//!
//! ```toml
//! [[preprocess]]
//! type = "redact_pii"
//! kinds = ["email", "phone", "card", "address"]
//! ```
#![deny(missing_docs)]

mod config;
mod patterns;
mod preprocessor;
mod redact;

pub use config::{Config, Field};
pub use preprocessor::{INFO, RedactPii};
pub use redact::{Counts, Kind, Kinds, Redacted, redact};

use restock_core::{BuildContext, ConfigError, ConfigErrors, Preprocessor, Registry};

/// Registers the `redact_pii` preprocessor.
pub fn register(registry: &mut Registry) {
    registry.add_preprocessor(
        INFO,
        |config: Config, _ctx: &BuildContext| -> Result<Box<dyn Preprocessor>, ConfigErrors> {
            let mut errors = Vec::new();
            if config.kinds.is_empty() {
                errors.push(ConfigError::at_key(
                    &["kinds"],
                    "is empty: name at least one of \"email\", \"phone\", \"card\", \"address\" \
                     (or leave the step out)",
                ));
            }
            if config.fields.is_empty() {
                errors.push(ConfigError::at_key(
                    &["fields"],
                    "is empty: name \"text\", \"title\" or both (or leave the step out)",
                ));
            }
            if !errors.is_empty() {
                return Err(ConfigErrors(errors));
            }
            Ok(Box::new(RedactPii::new(config)))
        },
    );
}
