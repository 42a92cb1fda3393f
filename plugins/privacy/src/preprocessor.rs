//! The `redact_pii` preprocessor.

use async_trait::async_trait;
use restock_core::{
    ConfigKeyDoc, Context, Dataset, Document, Error, PluginInfo, Preprocessor, Result, Severity,
};

use crate::config::{Config, Field};
use crate::redact::{Counts, Kind, Kinds, redact};

/// What `redact_pii` says about itself (`restock plugins`, the manifest reference).
pub const INFO: PluginInfo = PluginInfo {
    type_name: "redact_pii",
    doc: "Replaces e-mail addresses, phone numbers, payment card numbers (Luhn-checked) and \
          street addresses in document text and titles with `[EMAIL]`, `[PHONE]`, `[CARD]` and \
          `[ADDRESS]`, leaving order numbers, prices and dates; reports counts per kind, never values.",
    keys: &[
        ConfigKeyDoc {
            name: "kinds",
            ty: r#"array of "email" | "phone" | "card" | "address""#,
            default: Some(r#"["email", "phone", "card", "address"]"#),
            doc: "The kinds of personal data to replace; not empty. What each covers and misses: \
                  docs/privacy.md.",
        },
        ConfigKeyDoc {
            name: "fields",
            ty: r#"array of "text" | "title""#,
            default: Some(r#"["text", "title"]"#),
            doc: "The document fields to redact; not empty. Sales, stock and products are never \
                  touched.",
        },
    ],
    example: r#"kinds = ["email", "phone", "card", "address"]
fields = ["text", "title"]
"#,
};

/// How many documents between two cancellation checks and progress updates.
const CHUNK: usize = 512;

/// Inputs at least this long get a progress display.
const PROGRESS_MIN: usize = 2_000;

/// The `redact_pii` preprocessor: runs [`redact`] on the configured fields of every document.
/// Sales, stock and products pass through untouched, and no document is dropped.
#[derive(Debug, Clone)]
pub struct RedactPii {
    config: Config,
    kinds: Kinds,
}

impl RedactPii {
    /// A preprocessor with `config`.
    pub fn new(config: Config) -> Self {
        let kinds = config.kinds();
        Self { config, kinds }
    }

    /// Its configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Redacts one document's configured fields in place; the values replaced.
    pub fn redact_document(&self, doc: &mut Document) -> Counts {
        let mut counts = Counts::default();
        for field in &self.config.fields {
            let slot = match field {
                Field::Text => &mut doc.text,
                Field::Title => match doc.title.as_mut() {
                    Some(title) => title,
                    None => continue,
                },
            };
            let out = redact(slot, &self.kinds);
            if out.counts.total() > 0 {
                *slot = out.text;
                counts += out.counts;
            }
        }
        counts
    }
}

/// `1 document`, `2 documents`; `1 value`, `2 values`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[async_trait]
impl Preprocessor for RedactPii {
    async fn process(&self, mut dataset: Dataset, ctx: &Context) -> Result<Dataset> {
        let total = dataset.documents.len();
        let progress =
            (total >= PROGRESS_MIN).then(|| ctx.progress("redacting PII", Some(total as u64)));
        let mut counts = Counts::default();
        let mut changed = 0usize;
        let mut reported = 0usize;
        for (index, doc) in dataset.documents.iter_mut().enumerate() {
            if index % CHUNK == 0 {
                if ctx.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                if let Some(progress) = &progress {
                    progress.inc((index - reported) as u64);
                    reported = index;
                }
            }
            let found = self.redact_document(doc);
            if found.total() > 0 {
                changed += 1;
                counts += found;
            }
        }
        if let Some(progress) = &progress {
            progress.inc((total - reported) as u64);
        }
        // Counts only: the values themselves must never reach a log or a report.
        let per_kind = Kind::ALL
            .iter()
            .filter(|kind| self.kinds.contains(**kind))
            .map(|kind| format!("{} {kind}", counts.get(*kind)))
            .collect::<Vec<_>>()
            .join(", ");
        ctx.report(
            Severity::Info,
            None,
            None,
            format!(
                "redacted {} in {changed} of {}: {per_kind}",
                count(counts.total(), "value"),
                count(total, "document")
            ),
        );
        Ok(dataset)
    }
}
