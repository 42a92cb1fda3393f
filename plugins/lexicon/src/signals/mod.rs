//! Rule-based detection of demand signals in review text, in English and Brazilian Portuguese.
//!
//! A [`SignalRules`] holds, for each [`SignalKind`] and [`Lang`], a list of phrases. A text shows
//! a kind when one of that kind's phrases occurs in it and is not negated. The default lists are
//! in `phrases_en.txt` and `phrases_pt.txt` next to this file (one `kind<TAB>phrase` per line);
//! a manifest can extend or replace them per kind and language with a [`PhrasesConfig`].
//!
//! # How a phrase matches
//!
//! Text and phrases are folded the same way: lowercased, decomposed (NFD) and stripped of
//! combining marks, so `nao chegou` matches `não chegou`. Both are split into words (runs of
//! letters and digits; an apostrophe inside a word is dropped, so `doesn't` is `doesnt`). A
//! phrase is a sequence of whitespace-separated elements, matched word by word:
//!
//! | element | matches |
//! |---|---|
//! | `chegou` | exactly that word (whole word: `presente` does not match `apresentei`) |
//! | `quebr*` | one word starting with the stem (at least 3 letters): `quebrado`, `quebrou` |
//! | `*` | any one word |
//! | `...` | zero to 3 words |
//!
//! A phrase starting with `!` is an exclusion: where it matches, matches of the same kind that
//! overlap it do not count (`!até o presente` keeps "até o presente momento", *until now*, from
//! counting as a gift via `presente*`).
//!
//! A phrase starts and ends with a word or stem. It never matches across clause punctuation
//! (`. , ; : ! ?`, brackets, line breaks), and `*` and `...` never stand for a negation word, so
//! `qualidade ... ruim` does not match `qualidade não é ruim`.
//!
//! # Negation
//!
//! A match is dropped when a negation word (`não`, `sem`, `nenhum`, `nunca`, …; `not`, `no`,
//! `never`, `without`, `didn't`, …) stands at most 3 words before it, in the same clause, with
//! only "bridge" words between (articles, `veio`, `chegou`, `foi`, `tinha`, `was`, `arrived`,
//! …). So `não veio quebrado` and `sem defeito` are not quality problems, `não vou comprar de
//! novo` is not a repeat purchase, but `não gostei, veio quebrado` is a quality problem.
//! Phrases that state a problem with a negation (`não chegou`, `never arrived`) carry the
//! negation themselves.

mod pattern;
mod text;

use std::collections::HashMap;

use restock_core::SignalKind;
use serde::Deserialize;

use pattern::{Element, compile, match_at, negated};
use text::tokenize;

/// The default English phrases, `kind<TAB>phrase` per line.
const DEFAULT_EN: &str = include_str!("phrases_en.txt");
/// The default Portuguese phrases, `kind<TAB>phrase` per line.
const DEFAULT_PT: &str = include_str!("phrases_pt.txt");

/// Negation words, English (folded: apostrophes dropped).
const NEGATION_EN: &str = "not no never without nothing none nor neither zero dont didnt doesnt \
    isnt wasnt arent werent havent hasnt hadnt wont cant couldnt wouldnt shouldnt";
/// Words that may stand between a negation word and the phrase it negates, English.
const BRIDGE_EN: &str = "a an the any it its this that they was is were are be been being has \
    have had get got come came arrive arrived seem seems seemed look looks looked feel feels \
    very too so at all really even one single of sign signs with";
/// Negation words, Portuguese.
const NEGATION_PT: &str = "não nem sem nenhum nenhuma nunca jamais nada zero";
/// Words that may stand between a negation word and the phrase it negates, Portuguese.
const BRIDGE_PT: &str = "o a os as um uma de do da dos das com e é foi era está estava estão \
    estavam veio vieram vem chegou chegaram tem tinha tinham teve há havia houve apresentou \
    apresenta apresentava ficou ficaram parece parecia sinal muito tão mais me se estar ser \
    nenhum nenhuma qualquer tipo";

fn word_list(words: &str) -> Vec<String> {
    words.split_whitespace().map(text::fold).collect()
}

/// A language with its own phrase lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    En,
    /// Portuguese (the lists are written for Brazilian Portuguese).
    Pt,
}

impl Lang {
    /// Both languages, in order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Pt];

    /// `en` or `pt`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pt => "pt",
        }
    }

    /// The language of a BCP 47 tag by its primary subtag (`pt-BR` → `Pt`, `EN` → `En`), or
    /// `None` for any other language.
    pub fn from_bcp47(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if primary.eq_ignore_ascii_case("pt") {
            Some(Lang::Pt)
        } else {
            None
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How a [`PhraseChange`] combines with the default list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeMode {
    /// Add the given phrases to the defaults (the default mode).
    #[default]
    Extend,
    /// Use only the given phrases for each language listed; an empty list turns the kind off
    /// for that language. Languages not listed keep their defaults.
    Replace,
}

/// Changes to one kind's phrase lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseChange {
    /// English phrases.
    #[serde(default)]
    pub en: Option<Vec<String>>,
    /// Portuguese phrases.
    #[serde(default)]
    pub pt: Option<Vec<String>>,
    /// `extend` (default) or `replace`.
    #[serde(default)]
    pub mode: ChangeMode,
}

impl PhraseChange {
    fn get(&self, lang: Lang) -> Option<&Vec<String>> {
        match lang {
            Lang::En => self.en.as_ref(),
            Lang::Pt => self.pt.as_ref(),
        }
    }
}

/// Changes to the default phrase lists, per kind, as a manifest writes them:
///
/// ```toml
/// phrases = { stock_out = { pt = ["acabou o estoque"], mode = "extend" } }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhrasesConfig {
    /// Changes to [`SignalKind::StockOut`] phrases.
    #[serde(default)]
    pub stock_out: Option<PhraseChange>,
    /// Changes to [`SignalKind::Delivery`] phrases.
    #[serde(default)]
    pub delivery: Option<PhraseChange>,
    /// Changes to [`SignalKind::Quality`] phrases.
    #[serde(default)]
    pub quality: Option<PhraseChange>,
    /// Changes to [`SignalKind::SizeFit`] phrases.
    #[serde(default)]
    pub size_fit: Option<PhraseChange>,
    /// Changes to [`SignalKind::RepeatPurchase`] phrases.
    #[serde(default)]
    pub repeat_purchase: Option<PhraseChange>,
    /// Changes to [`SignalKind::Gifting`] phrases.
    #[serde(default)]
    pub gifting: Option<PhraseChange>,
}

impl PhrasesConfig {
    /// The change for `kind`, if any.
    pub fn change(&self, kind: SignalKind) -> Option<&PhraseChange> {
        match kind {
            SignalKind::StockOut => self.stock_out.as_ref(),
            SignalKind::Delivery => self.delivery.as_ref(),
            SignalKind::Quality => self.quality.as_ref(),
            SignalKind::SizeFit => self.size_fit.as_ref(),
            SignalKind::RepeatPurchase => self.repeat_purchase.as_ref(),
            SignalKind::Gifting => self.gifting.as_ref(),
        }
    }
}

/// One phrase found in a text: which kind and phrase, and where (word positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalMatch {
    /// The kind the phrase belongs to.
    pub kind: SignalKind,
    /// The phrase as written in its list.
    pub phrase: String,
    /// Index of the first matched word among the text's words.
    pub start: usize,
    /// Index one past the last matched word.
    pub end: usize,
    /// True when a negation governs the match, so it does not count.
    pub negated: bool,
    /// True when an exclusion (`!phrase`) of the same kind overlaps the match, so it does not
    /// count.
    pub excluded: bool,
}

impl SignalMatch {
    /// True when the match counts as a signal (neither negated nor excluded).
    pub fn counts(&self) -> bool {
        !self.negated && !self.excluded
    }
}

/// A match before it is reported: the index of the compiled phrase and where it matched.
struct Found {
    phrase: usize,
    start: usize,
    end: usize,
    negated: bool,
    excluded: bool,
}

impl Found {
    fn counts(&self) -> bool {
        !self.negated && !self.excluded
    }
}

#[derive(Debug, Clone)]
struct CompiledPhrase {
    kind: SignalKind,
    /// Index into the kind's phrase list.
    index: usize,
    /// An exclusion (`!phrase`): where it matches, the kind's other matches do not count.
    exclusion: bool,
    elements: Vec<Element>,
}

#[derive(Debug, Clone, Default)]
struct LangRules {
    /// Negation words, folded.
    cues: Vec<String>,
    /// Words allowed between a negation word and what it negates, folded.
    bridges: Vec<String>,
    /// Phrases as written, per kind (index = position in `SignalKind::ALL`).
    phrases: [Vec<String>; KINDS],
    compiled: Vec<CompiledPhrase>,
    /// Compiled phrases by their first word.
    by_word: HashMap<String, Vec<usize>>,
    /// Compiled phrases starting with a stem, checked at every word.
    by_stem: Vec<usize>,
}

/// Phrase rules for every kind and language, compiled once and shared (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct SignalRules {
    langs: [LangRules; 2],
}

/// The number of kinds.
const KINDS: usize = SignalKind::ALL.len();

fn kind_index(kind: SignalKind) -> usize {
    SignalKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is in ALL")
}

fn kind_by_name(name: &str) -> Option<SignalKind> {
    SignalKind::ALL.into_iter().find(|k| k.as_str() == name)
}

/// Reads a `kind<TAB>phrase` list: `#` starts a comment line, blank lines are skipped.
fn parse_list(source: &str, file: &str) -> Result<[Vec<String>; KINDS], String> {
    let mut lists: [Vec<String>; KINDS] = Default::default();
    for (n, line) in source.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((kind, phrase)) = line.split_once('\t') else {
            return Err(format!("{file}:{}: expected `kind<TAB>phrase`", n + 1));
        };
        let Some(kind) = kind_by_name(kind.trim()) else {
            return Err(format!("{file}:{}: unknown kind `{}`", n + 1, kind.trim()));
        };
        lists[kind_index(kind)].push(phrase.trim().to_owned());
    }
    Ok(lists)
}

impl LangRules {
    fn build(phrases: [Vec<String>; KINDS], lang: Lang) -> Result<LangRules, String> {
        let (cues, bridges) = match lang {
            Lang::En => (NEGATION_EN, BRIDGE_EN),
            Lang::Pt => (NEGATION_PT, BRIDGE_PT),
        };
        let mut rules = LangRules {
            cues: word_list(cues),
            bridges: word_list(bridges),
            ..LangRules::default()
        };
        for kind in SignalKind::ALL {
            let k = kind_index(kind);
            let mut seen = std::collections::HashSet::new();
            for phrase in &phrases[k] {
                let (exclusion, body) = match phrase.strip_prefix('!') {
                    Some(body) => (true, body),
                    None => (false, phrase.as_str()),
                };
                let elements = compile(body).map_err(|why| {
                    format!(
                        "phrases.{}.{}: {phrase:?}: {why}",
                        kind.as_str(),
                        lang.as_str()
                    )
                })?;
                if !seen.insert((exclusion, elements.clone())) {
                    continue;
                }
                let at = rules.compiled.len();
                match &elements[0] {
                    Element::Word(w) => rules.by_word.entry(w.clone()).or_default().push(at),
                    _ => rules.by_stem.push(at),
                }
                rules.compiled.push(CompiledPhrase {
                    kind,
                    index: rules.phrases[k].len(),
                    exclusion,
                    elements,
                });
                rules.phrases[k].push(phrase.clone());
            }
        }
        Ok(rules)
    }
}

impl SignalRules {
    /// The default phrase lists with `config`'s changes applied. The error names the kind,
    /// language and phrase at fault.
    pub fn new(config: &PhrasesConfig) -> Result<SignalRules, String> {
        let mut langs: [LangRules; 2] = Default::default();
        for lang in Lang::ALL {
            let (source, file) = match lang {
                Lang::En => (DEFAULT_EN, "phrases_en.txt"),
                Lang::Pt => (DEFAULT_PT, "phrases_pt.txt"),
            };
            let mut lists = parse_list(source, file)?;
            for kind in SignalKind::ALL {
                let Some(change) = config.change(kind) else {
                    continue;
                };
                let Some(given) = change.get(lang) else {
                    continue;
                };
                let list = &mut lists[kind_index(kind)];
                if change.mode == ChangeMode::Replace {
                    list.clear();
                }
                list.extend(given.iter().map(|p| p.trim().to_owned()));
            }
            langs[lang.index()] = LangRules::build(lists, lang)?;
        }
        Ok(SignalRules { langs })
    }

    /// The default phrase lists.
    pub fn defaults() -> SignalRules {
        SignalRules::new(&PhrasesConfig::default()).expect("the bundled phrase lists are valid")
    }

    /// The kinds of signal `text` shows, sorted and without repeats.
    pub fn detect(&self, text: &str, lang: Lang) -> Vec<SignalKind> {
        let rules = &self.langs[lang.index()];
        let mut kinds: Vec<SignalKind> = self
            .scan(text, lang)
            .into_iter()
            .filter(Found::counts)
            .map(|f| rules.compiled[f.phrase].kind)
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// Every phrase occurrence in `text` in text order, including those that do not count
    /// (negated or excluded, flagged), for explaining a detection. Exclusions themselves are not
    /// listed.
    pub fn matches(&self, text: &str, lang: Lang) -> Vec<SignalMatch> {
        let rules = &self.langs[lang.index()];
        self.scan(text, lang)
            .into_iter()
            .map(|f| {
                let phrase = &rules.compiled[f.phrase];
                SignalMatch {
                    kind: phrase.kind,
                    phrase: rules.phrases[kind_index(phrase.kind)][phrase.index].clone(),
                    start: f.start,
                    end: f.end,
                    negated: f.negated,
                    excluded: f.excluded,
                }
            })
            .collect()
    }

    fn scan(&self, text: &str, lang: Lang) -> Vec<Found> {
        let rules = &self.langs[lang.index()];
        let (cues, bridges) = (&rules.cues, &rules.bridges);
        let tokens = tokenize(text);
        let mut found = Vec::new();
        let mut exclusions: Vec<(SignalKind, usize, usize)> = Vec::new();
        for start in 0..tokens.len() {
            let by_word = rules.by_word.get(&tokens[start].text);
            let candidates = by_word.into_iter().flatten().chain(&rules.by_stem);
            for &at in candidates {
                let phrase = &rules.compiled[at];
                let Some(end) = match_at(&phrase.elements, &tokens, start, cues) else {
                    continue;
                };
                if phrase.exclusion {
                    exclusions.push((phrase.kind, start, end));
                } else {
                    found.push(Found {
                        phrase: at,
                        start,
                        end,
                        negated: negated(&tokens, start, cues, bridges),
                        excluded: false,
                    });
                }
            }
        }
        if !exclusions.is_empty() {
            for f in &mut found {
                let kind = rules.compiled[f.phrase].kind;
                f.excluded = exclusions
                    .iter()
                    .any(|&(k, start, end)| k == kind && start < f.end && f.start < end);
            }
        }
        found
    }

    /// The phrases in use for `kind` in `lang`, as written (defaults and manifest changes,
    /// without repeats).
    pub fn phrases(&self, kind: SignalKind, lang: Lang) -> &[String] {
        &self.langs[lang.index()].phrases[kind_index(kind)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lists_parse_and_compile() {
        let rules = SignalRules::defaults();
        for lang in Lang::ALL {
            for kind in SignalKind::ALL {
                assert!(
                    !rules.phrases(kind, lang).is_empty(),
                    "{} {} has no phrases",
                    kind.as_str(),
                    lang.as_str()
                );
            }
        }
    }

    #[test]
    fn bundled_lists_have_no_repeats() {
        let rules = SignalRules::defaults();
        for (lang, source) in [(Lang::En, DEFAULT_EN), (Lang::Pt, DEFAULT_PT)] {
            let lists = parse_list(source, "bundled").unwrap();
            for kind in SignalKind::ALL {
                assert_eq!(
                    rules.phrases(kind, lang).len(),
                    lists[kind_index(kind)].len(),
                    "{} {} lists a phrase twice (after folding)",
                    lang.as_str(),
                    kind.as_str()
                );
            }
        }
    }

    #[test]
    fn list_errors_name_the_line() {
        assert_eq!(
            parse_list("# c\n\nquality\tx\nbogus\ty\n", "f.txt").unwrap_err(),
            "f.txt:4: unknown kind `bogus`"
        );
        assert_eq!(
            parse_list("quality x\n", "f.txt").unwrap_err(),
            "f.txt:1: expected `kind<TAB>phrase`"
        );
    }

    #[test]
    fn rules_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<SignalRules>();
    }
}
