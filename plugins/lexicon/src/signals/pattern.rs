//! Phrases compiled to token patterns, and matching them against a tokenised text.

use super::text::{Token, fold, tokenize};

/// The most tokens a `...` gap may skip.
pub(crate) const MAX_GAP: usize = 3;

/// The most tokens between a negation word and the phrase it negates.
pub(crate) const NEGATION_WINDOW: usize = 3;

/// The shortest stem a `stem*` element may have.
pub(crate) const MIN_STEM: usize = 3;

/// One element of a phrase pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Element {
    /// Exactly this word.
    Word(String),
    /// Any word starting with this stem (`quebr*`).
    Stem(String),
    /// Any one word (`*`).
    Any,
    /// Zero to [`MAX_GAP`] words (`...`).
    Gap,
}

impl Element {
    fn matches(&self, token: &str) -> bool {
        match self {
            Element::Word(w) => token == w,
            Element::Stem(s) => token.starts_with(s.as_str()),
            Element::Any => true,
            Element::Gap => false,
        }
    }
}

/// Compiles `phrase` to elements, or says why it cannot be used.
pub(crate) fn compile(phrase: &str) -> Result<Vec<Element>, String> {
    let mut elements = Vec::new();
    for item in phrase.split_whitespace() {
        if item == "*" {
            elements.push(Element::Any);
        } else if item == "..." || item == "…" {
            elements.push(Element::Gap);
        } else if let Some(stem) = item.strip_suffix('*') {
            let words = tokenize(stem);
            let [word] = words.as_slice() else {
                return Err(format!(
                    "`{item}`: a stem before `*` must be one word of letters or digits"
                ));
            };
            if fold(stem) != word.text {
                return Err(format!(
                    "`{item}`: a stem before `*` must be one word of letters or digits"
                ));
            }
            if word.text.chars().count() < MIN_STEM {
                return Err(format!(
                    "`{item}`: a stem before `*` needs at least {MIN_STEM} letters"
                ));
            }
            elements.push(Element::Stem(word.text.clone()));
        } else {
            let words = tokenize(item);
            if words.is_empty() {
                return Err(format!("`{item}` has no letters or digits"));
            }
            elements.extend(words.into_iter().map(|t| Element::Word(t.text)));
        }
    }
    match (elements.first(), elements.last()) {
        (None, _) => Err("the phrase is empty".to_owned()),
        (Some(Element::Any | Element::Gap), _) | (_, Some(Element::Any | Element::Gap)) => {
            Err("a phrase must start and end with a word (not `*` or `...`)".to_owned())
        }
        _ if elements
            .windows(2)
            .any(|w| w[0] == Element::Gap && w[1] == Element::Gap) =>
        {
            Err("two `...` in a row".to_owned())
        }
        _ => Ok(elements),
    }
}

/// The end (exclusive) of the shortest match of `elements` starting at token `start`, if any.
/// A match never spans a clause break, and `*` and `...` never stand for a negation word
/// (one of `cues`): "qualidade ... ruim" does not match "qualidade nao e ruim".
pub(crate) fn match_at(
    elements: &[Element],
    tokens: &[Token],
    start: usize,
    cues: &[String],
) -> Option<usize> {
    fn go(elements: &[Element], tokens: &[Token], pos: usize, cues: &[String]) -> Option<usize> {
        let Some((element, rest)) = elements.split_first() else {
            return Some(pos);
        };
        let free = |token: &Token| !token.break_before && !cues.contains(&token.text);
        match element {
            Element::Gap => {
                // Shortest gap first.
                let mut next = pos;
                loop {
                    if let Some(end) = go(rest, tokens, next, cues) {
                        return Some(end);
                    }
                    if next - pos == MAX_GAP || !tokens.get(next).is_some_and(free) {
                        return None;
                    }
                    next += 1;
                }
            }
            Element::Any => {
                let token = tokens.get(pos)?;
                free(token).then_some(())?;
                go(rest, tokens, pos + 1, cues)
            }
            Element::Word(_) | Element::Stem(_) => {
                let token = tokens.get(pos)?;
                (!token.break_before && element.matches(&token.text)).then_some(())?;
                go(rest, tokens, pos + 1, cues)
            }
        }
    }
    let (first, rest) = elements.split_first()?;
    let token = tokens.get(start)?;
    if !first.matches(&token.text) {
        return None;
    }
    go(rest, tokens, start + 1, cues)
}

/// True when a negation word governs the phrase starting at token `start`: it stands at most
/// [`NEGATION_WINDOW`] words before it, in the same clause, with only `bridges` between.
pub(crate) fn negated(tokens: &[Token], start: usize, cues: &[String], bridges: &[String]) -> bool {
    let mut pos = start;
    for _ in 0..=NEGATION_WINDOW {
        if pos == 0 || tokens[pos].break_before {
            return false;
        }
        pos -= 1;
        let word = &tokens[pos].text;
        if cues.contains(word) {
            return true;
        }
        if !bridges.contains(word) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(phrase: &str, text: &str) -> Vec<(usize, usize)> {
        let elements = compile(phrase).unwrap();
        let tokens = tokenize(text);
        (0..tokens.len())
            .filter_map(|s| match_at(&elements, &tokens, s, &["nao".to_owned()]).map(|e| (s, e)))
            .collect()
    }

    #[test]
    fn compiles_words_stems_and_wildcards() {
        assert_eq!(
            compile("Não * chegou ... quebr*").unwrap(),
            [
                Element::Word("nao".into()),
                Element::Any,
                Element::Word("chegou".into()),
                Element::Gap,
                Element::Stem("quebr".into()),
            ]
        );
        assert_eq!(
            compile("doesn't fit").unwrap(),
            [Element::Word("doesnt".into()), Element::Word("fit".into())]
        );
    }

    #[test]
    fn rejects_bad_phrases() {
        for bad in [
            "",
            "  ",
            "*",
            "* chegou",
            "chegou ...",
            "qu*",
            "a-b*",
            "x ... ... y",
            "--",
        ] {
            assert!(compile(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn matches_whole_words_only() {
        assert_eq!(ends("presente", "eu apresentei o presente"), [(3, 4)]);
        assert_eq!(ends("quebr*", "veio quebrada"), [(1, 2)]);
        assert!(ends("quebr*", "sem quebra-cabeça").len() == 1);
    }

    #[test]
    fn wildcards_and_gaps() {
        assert_eq!(ends("nao * chegou", "nao ainda chegou"), [(0, 3)]);
        assert!(ends("nao * chegou", "nao chegou").is_empty());
        assert_eq!(
            ends("cancel* ... estoque", "cancelaram pois sem estoque"),
            [(0, 4)]
        );
        assert_eq!(ends("cancel* ... estoque", "cancelaram estoque"), [(0, 2)]);
        assert!(ends("cancel* ... estoque", "cancelaram a b c d estoque").is_empty());
        assert!(ends("qualidade ... ruim", "qualidade nao e ruim").is_empty());
        assert!(ends("nao * chegou", "nao nao chegou").is_empty());
    }

    #[test]
    fn matches_stop_at_clause_breaks() {
        assert!(ends("veio quebrado", "veio. quebrado").is_empty());
        assert!(ends("cancel* ... estoque", "cancelaram. sem estoque").is_empty());
    }

    #[test]
    fn negation_needs_a_cue_nearby_with_only_bridges_between() {
        let cues = ["nao".to_owned(), "sem".to_owned()];
        let bridges = ["veio".to_owned(), "com".to_owned()];
        let check = |text: &str, start: usize| negated(&tokenize(text), start, &cues, &bridges);
        assert!(check("nao veio quebrado", 2));
        assert!(check("sem defeito", 1));
        assert!(!check("nao gostei veio quebrado", 3));
        assert!(!check("nao, veio quebrado", 2));
        assert!(!check("quebrado", 0));
    }
}
