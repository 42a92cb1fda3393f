//! Which lexicon a document is read with: its own `lang` field, the manifest's choice, or
//! language identification (whatlang, between English and Portuguese only) with a stated
//! fallback when it is unsure (very short texts such as "ok").

use std::sync::OnceLock;

use serde::Deserialize;

/// The languages Restock's lexicons cover. The default, English, is the fallback when
/// identification is unsure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lexicon {
    /// English (vaderSentiment's lexicon).
    #[default]
    En,
    /// Brazilian Portuguese (LeIA's lexicon).
    Pt,
}

impl Lexicon {
    /// `en` or `pt`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lexicon::En => "en",
            Lexicon::Pt => "pt",
        }
    }

    /// The lexicon for a BCP 47 tag (`en`, `en-GB`, `pt`, `pt-BR`), if covered.
    pub fn from_tag(tag: &str) -> Option<Lexicon> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" | "eng" => Some(Lexicon::En),
            "pt" | "por" => Some(Lexicon::Pt),
            _ => None,
        }
    }
}

/// The manifest's `language` setting; `auto` by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LanguageSetting {
    /// Every document in English.
    En,
    /// Every document in Portuguese.
    Pt,
    /// The document's `lang` field when it names en or pt, else identification from the text.
    #[default]
    Auto,
}

/// How a document's lexicon was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The lexicon.
    pub lexicon: Lexicon,
    /// True when identified from the text.
    pub detected: bool,
    /// True when identification was unsure or found another language, and `fallback` was used.
    pub fell_back: bool,
}

/// Chooses the lexicon for one document.
pub fn choose(
    setting: LanguageSetting,
    doc_lang: Option<&str>,
    text: &str,
    fallback: Lexicon,
) -> Choice {
    let fixed = |lexicon| Choice {
        lexicon,
        detected: false,
        fell_back: false,
    };
    match setting {
        LanguageSetting::En => fixed(Lexicon::En),
        LanguageSetting::Pt => fixed(Lexicon::Pt),
        LanguageSetting::Auto => {
            if let Some(lexicon) = doc_lang.and_then(Lexicon::from_tag) {
                return fixed(lexicon);
            }
            // Choosing between the two lexicons we have is a two-way question: asked among all
            // of whatlang's languages, short Portuguese reviews often come out unreliable or
            // as Galician or Spanish.
            static DETECTOR: OnceLock<whatlang::Detector> = OnceLock::new();
            let detector = DETECTOR.get_or_init(|| {
                whatlang::Detector::with_allowlist(vec![whatlang::Lang::Eng, whatlang::Lang::Por])
            });
            let identified = detector.detect(text).and_then(|info| {
                let lexicon = match info.lang() {
                    whatlang::Lang::Eng => Lexicon::En,
                    _ => Lexicon::Pt,
                };
                info.is_reliable().then_some(lexicon)
            });
            match identified {
                Some(lexicon) => Choice {
                    lexicon,
                    detected: true,
                    fell_back: false,
                },
                None => Choice {
                    lexicon: fallback,
                    detected: true,
                    fell_back: true,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_tag_wins_over_identification() {
        let c = choose(
            LanguageSetting::Auto,
            Some("pt-BR"),
            "This is plainly English text.",
            Lexicon::En,
        );
        assert_eq!((c.lexicon, c.detected), (Lexicon::Pt, false));
    }

    #[test]
    fn identification_with_a_fallback() {
        let pt = choose(
            LanguageSetting::Auto,
            None,
            "O produto chegou antes do prazo e a qualidade é excelente, recomendo a loja.",
            Lexicon::En,
        );
        assert_eq!(
            (pt.lexicon, pt.detected, pt.fell_back),
            (Lexicon::Pt, true, false)
        );
        let en = choose(
            LanguageSetting::Auto,
            None,
            "The blender arrived late and the lid was cracked, very disappointed with it.",
            Lexicon::Pt,
        );
        assert_eq!((en.lexicon, en.fell_back), (Lexicon::En, false));
        let short = choose(LanguageSetting::Auto, None, "ok", Lexicon::Pt);
        assert_eq!((short.lexicon, short.fell_back), (Lexicon::Pt, true));
    }
}
