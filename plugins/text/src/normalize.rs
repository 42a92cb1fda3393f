//! The `normalize_text` preprocessor.

use std::borrow::Cow;

use async_trait::async_trait;
use restock_core::{
    ConfigKeyDoc, Context, Dataset, Document, Error, PluginInfo, Preprocessor, Provenance, Result,
    Severity,
};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

use crate::config::{Config, EmptyPolicy, UnicodeForm};
use crate::html::html_to_text;

/// What `normalize_text` says about itself (`restock plugins`, the manifest reference).
pub const INFO: PluginInfo = PluginInfo {
    type_name: "normalize_text",
    doc: "Cleans document text and titles: strips HTML and decodes entities, normalises Unicode, \
          collapses whitespace, and drops documents left empty.",
    keys: &[
        ConfigKeyDoc {
            name: "html",
            ty: "boolean",
            default: Some("true"),
            doc: "Strip HTML tags and decode entities (`&amp;`, `&#39;`), leaving out script, \
                  style, noscript and template contents; turn off for plain text where `<` is common.",
        },
        ConfigKeyDoc {
            name: "unicode",
            ty: r#""nfkc" | "nfc" | "none""#,
            default: Some(r#""nfkc""#),
            doc: "Unicode normalisation form: nfkc also folds compatibility characters \
                  (`ＡＢＣ` → `ABC`, `ﬁ` → `fi`, NBSP → space); nfc only composes accents.",
        },
        ConfigKeyDoc {
            name: "whitespace",
            ty: "boolean",
            default: Some("true"),
            doc: "Collapse runs of whitespace (spaces, tabs, newlines, NBSP) and control \
                  characters to one space, and trim both ends.",
        },
        ConfigKeyDoc {
            name: "empty",
            ty: r#""drop" | "keep_rated" | "keep""#,
            default: Some(r#""drop""#),
            doc: "A document whose text and title are empty after cleaning is dropped; dropped \
                  unless it has a rating (keep_rated); or kept.",
        },
    ],
    example: r#"html = true
unicode = "nfkc"
whitespace = true
empty = "keep_rated"
"#,
};

/// How many documents between two cancellation checks and progress updates.
const CHUNK: usize = 512;

/// Inputs at least this long get a progress display.
const PROGRESS_MIN: usize = 2_000;

/// How many dropped documents a diagnostic names.
const EXAMPLES: usize = 3;

/// The `normalize_text` preprocessor: cleans [`Document::text`] and [`Document::title`] of every
/// document, in this order: HTML to text, Unicode normalisation, whitespace. A title left empty
/// becomes `None`; a document left with neither text nor title is handled by
/// [`Config::empty`]. Sales, stock and products pass through untouched.
#[derive(Debug, Clone)]
pub struct NormalizeText {
    config: Config,
}

impl NormalizeText {
    /// A preprocessor with `config`.
    pub fn new(config: Config) -> Self {
        Self { config }
    }

    /// Its configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// One text cleaned as configured; borrowed when nothing had to change.
    ///
    /// ```
    /// use restock_text::{Config, NormalizeText};
    /// let clean = NormalizeText::new(Config::default());
    /// assert_eq!(clean.clean("<p>ＡＢＣ&nbsp;&amp;\n\tﬁne</p>"), "ABC & fine");
    /// ```
    pub fn clean<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut text = Cow::Borrowed(text);
        if self.config.html && text.contains(['<', '&']) {
            text = Cow::Owned(html_to_text(&text));
        }
        text = match self.config.unicode {
            UnicodeForm::Nfkc => {
                if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
                    text
                } else {
                    Cow::Owned(text.nfkc().collect())
                }
            }
            UnicodeForm::Nfc => {
                if is_nfc_quick(text.chars()) == IsNormalized::Yes {
                    text
                } else {
                    Cow::Owned(text.nfc().collect())
                }
            }
            UnicodeForm::None => text,
        };
        if self.config.whitespace && !is_collapsed(&text) {
            text = Cow::Owned(collapse(&text));
        }
        text
    }

    /// Cleans one document's text and title in place; true when either changed.
    fn clean_document(&self, doc: &mut Document) -> bool {
        let mut changed = false;
        if let Cow::Owned(text) = self.clean(&doc.text)
            && text != doc.text
        {
            doc.text = text;
            changed = true;
        }
        let title = match doc.title.as_deref() {
            None => None,
            Some(title) => match self.clean(title) {
                cleaned if cleaned.trim().is_empty() => Some(None),
                Cow::Owned(cleaned) if cleaned != title => Some(Some(cleaned)),
                _ => None,
            },
        };
        if let Some(title) = title {
            doc.title = title;
            changed = true;
        }
        changed
    }
}

/// True for the characters `whitespace = true` collapses: Unicode white space (which includes
/// NBSP, U+3000 and line separators) and control characters.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// True when `text` has no separator other than single spaces between words.
fn is_collapsed(text: &str) -> bool {
    let mut after_separator = true;
    for c in text.chars() {
        if is_separator(c) {
            if c != ' ' || after_separator {
                return false;
            }
            after_separator = true;
        } else {
            after_separator = false;
        }
    }
    text.is_empty() || !after_separator
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(is_separator).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `1 document`, `2 documents`.
fn documents(n: usize) -> String {
    if n == 1 {
        "1 document".to_owned()
    } else {
        format!("{n} documents")
    }
}

/// Documents set aside or kept empty: how many, and where the first few came from.
#[derive(Default)]
struct Tally {
    count: usize,
    examples: Vec<Provenance>,
}

impl Tally {
    fn add(&mut self, doc: &Document) {
        self.count += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push(doc.provenance.clone());
        }
    }

    /// Reports `{verb} N documents {what}: a, b, c and M more` when there were any.
    fn report(&self, ctx: &Context, verb: &str, what: &str) {
        if self.count == 0 {
            return;
        }
        let mut places = self
            .examples
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if self.count > self.examples.len() {
            places.push_str(&format!(" and {} more", self.count - self.examples.len()));
        }
        let location = (self.count == 1).then(|| self.examples[0].clone());
        ctx.report(
            Severity::Info,
            None,
            location,
            format!("{verb} {} {what}: {places}", documents(self.count)),
        );
    }
}

#[async_trait]
impl Preprocessor for NormalizeText {
    async fn process(&self, mut dataset: Dataset, ctx: &Context) -> Result<Dataset> {
        let total = dataset.documents.len();
        let progress =
            (total >= PROGRESS_MIN).then(|| ctx.progress("cleaning text", Some(total as u64)));
        let mut kept = Vec::with_capacity(total);
        let mut changed = 0usize;
        let mut dropped = Tally::default();
        let mut kept_empty = Tally::default();
        let mut reported = 0usize;
        for (index, mut doc) in std::mem::take(&mut dataset.documents)
            .into_iter()
            .enumerate()
        {
            if index % CHUNK == 0 {
                if ctx.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                if let Some(progress) = &progress {
                    progress.inc((index - reported) as u64);
                    reported = index;
                }
            }
            if self.clean_document(&mut doc) {
                changed += 1;
            }
            let empty = doc.title.is_none() && doc.text.trim().is_empty();
            let keep = !empty
                || match self.config.empty {
                    EmptyPolicy::Drop => false,
                    EmptyPolicy::KeepRated => doc.rating.is_some(),
                    EmptyPolicy::Keep => true,
                };
            if !keep {
                dropped.add(&doc);
            } else {
                if empty {
                    kept_empty.add(&doc);
                }
                kept.push(doc);
            }
        }
        if let Some(progress) = &progress {
            progress.inc((total - reported) as u64);
        }
        dataset.documents = kept;

        ctx.report(
            Severity::Info,
            None,
            None,
            format!(
                "changed the text or title of {changed} of {}",
                documents(total)
            ),
        );
        let (dropped_what, kept_what) = match self.config.empty {
            EmptyPolicy::KeepRated => (
                "with empty text, no title and no rating",
                "with a rating but empty text and no title",
            ),
            EmptyPolicy::Drop | EmptyPolicy::Keep => (
                "with empty text and no title",
                "with empty text and no title",
            ),
        };
        dropped.report(ctx, "dropped", dropped_what);
        kept_empty.report(ctx, "kept", kept_what);
        Ok(dataset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(unicode: UnicodeForm, whitespace: bool) -> NormalizeText {
        NormalizeText::new(Config {
            unicode,
            whitespace,
            ..Config::default()
        })
    }

    #[test]
    fn whitespace_runs_collapse_and_ends_are_trimmed() {
        let clean = NormalizeText::new(Config::default());
        assert_eq!(
            clean.clean("Produto   chegou\n\nantes do prazo!"),
            "Produto chegou antes do prazo!"
        );
        assert_eq!(clean.clean("\t a\u{a0}\u{3000}b\r\n"), "a b");
        assert_eq!(clean.clean("a\u{0}b"), "a b");
        assert_eq!(clean.clean("   "), "");
    }

    #[test]
    fn non_ascii_text_is_kept_intact() {
        let clean = NormalizeText::new(Config::default());
        for text in [
            "não",
            "很好。质量不错",
            "👍🏽 love it 😀",
            "👨‍👩‍👧 family",
            "ação é ótima",
        ] {
            assert_eq!(clean.clean(text), text);
            assert!(matches!(clean.clean(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn decomposed_accents_are_composed() {
        let decomposed = "na\u{303}o";
        assert_eq!(with(UnicodeForm::Nfkc, true).clean(decomposed), "não");
        assert_eq!(with(UnicodeForm::Nfc, true).clean(decomposed), "não");
        assert_eq!(with(UnicodeForm::None, true).clean(decomposed), decomposed);
    }

    #[test]
    fn nfkc_folds_compatibility_characters_and_nfc_keeps_them() {
        assert_eq!(with(UnicodeForm::Nfkc, true).clean("ＡＢＣ"), "ABC");
        assert_eq!(with(UnicodeForm::Nfkc, true).clean("ﬁne"), "fine");
        // Fullwidth punctuation folds too; CJK characters and the ideographic full stop do not.
        assert_eq!(
            with(UnicodeForm::Nfkc, true).clean("很好，不错。"),
            "很好,不错。"
        );
        assert_eq!(with(UnicodeForm::Nfc, true).clean("ﬁne"), "ﬁne");
        assert_eq!(with(UnicodeForm::Nfc, true).clean("ＡＢＣ"), "ＡＢＣ");
        assert_eq!(with(UnicodeForm::None, true).clean("ﬁne"), "ﬁne");
    }

    #[test]
    fn whitespace_can_be_left_alone() {
        let clean = with(UnicodeForm::None, false);
        assert_eq!(clean.clean(" a\n\nb "), " a\n\nb ");
        assert_eq!(clean.clean("<p>a</p><p>b</p>"), "a b");
    }

    #[test]
    fn html_can_be_left_alone() {
        let clean = NormalizeText::new(Config {
            html: false,
            ..Config::default()
        });
        assert_eq!(clean.clean("x<y and y>z &amp;"), "x<y and y>z &amp;");
    }

    #[test]
    fn is_collapsed_agrees_with_collapse() {
        for text in [
            "", "a", "a b", " a", "a ", "a  b", "a\tb", "a\u{a0}b", "\u{85}", "ab c d",
        ] {
            assert_eq!(is_collapsed(text), collapse(text) == text, "{text:?}");
        }
    }
}
