//! Text folding and tokenisation shared by review text and phrases, so both are compared in
//! the same form.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One word of a text, folded (lowercase, no accents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The folded word: letters and digits only.
    pub(crate) text: String,
    /// True when punctuation that ends a clause (`. , ; : ! ?`, brackets, line breaks) stands
    /// between this token and the one before it. Phrases and negation never reach across it.
    pub(crate) break_before: bool,
}

/// Lowercase, decompose (NFD) and drop combining marks: "Não" → "nao", "Ç" → "c".
pub(crate) fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '\n' | '\r' | '…' | '¡' | '¿'
    )
}

/// Splits `text` into folded words. A word is a run of letters and digits; an apostrophe
/// between two letters is dropped ("doesn't" → "doesnt"), any other character separates words.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let folded = fold(text);
    let chars: Vec<char> = folded.chars().collect();
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut pending_break = false;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_alphanumeric() {
            current.push(c);
            continue;
        }
        let joins = is_apostrophe(c)
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if joins {
            continue;
        }
        if !current.is_empty() {
            tokens.push(Token {
                text: std::mem::take(&mut current),
                break_before: pending_break,
            });
            pending_break = false;
        }
        if is_clause_break(c) {
            pending_break = true;
        }
    }
    if !current.is_empty() {
        tokens.push(Token {
            text: current,
            break_before: pending_break,
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Não CHEGOU, péssima açaí"), "nao chegou, pessima acai");
    }

    #[test]
    fn splits_on_non_word_characters_and_joins_apostrophes() {
        assert_eq!(
            words("It doesn't fit—too small!! 34cm e-mail"),
            ["it", "doesnt", "fit", "too", "small", "34cm", "e", "mail"]
        );
        assert_eq!(words("'quoted' text"), ["quoted", "text"]);
    }

    #[test]
    fn marks_clause_breaks() {
        let tokens = tokenize("não. veio quebrado");
        let breaks: Vec<bool> = tokens.iter().map(|t| t.break_before).collect();
        assert_eq!(breaks, [false, true, false]);
    }
}
