//! The bundled lexicons, parsed once into the tables the scorer reads.
//!
//! English: `data/vader/` (vaderSentiment 3.3.2's `vader_lexicon.txt` and
//! `emoji_utf8_lexicon.txt`; its negation, booster and special-case lists are constants in its
//! Python source and are copied here). Portuguese: `data/leia/` (LeIA's lexicon, emoji
//! descriptions, `booster.txt` and `negate.txt`). Each is parsed the way the reference parses
//! it, so duplicate keys resolve the same way (the later line wins).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::pystr::is_py_whitespace;

const VADER_LEXICON: &str = include_str!("../../data/vader/vader_lexicon.txt");
const VADER_EMOJI: &str = include_str!("../../data/vader/emoji_utf8_lexicon.txt");
const LEIA_LEXICON: &str = include_str!("../../data/leia/vader_lexicon_ptbr.txt");
/// Not used for scoring (see [`LangData::emoji`]); a test shows why.
#[cfg(test)]
const LEIA_EMOJI: &str = include_str!("../../data/leia/emoji_utf8_lexicon_ptbr.txt");
const LEIA_BOOSTER: &str = include_str!("../../data/leia/booster.txt");
const LEIA_NEGATE: &str = include_str!("../../data/leia/negate.txt");

/// Mean rating increase for a booster word (VADER's `B_INCR`).
pub(crate) const B_INCR: f64 = 0.293;
/// Mean rating decrease for a dampener word (VADER's `B_DECR`).
pub(crate) const B_DECR: f64 = -0.293;

/// vaderSentiment 3.3.2 `NEGATE`.
const EN_NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// vaderSentiment 3.3.2 `BOOSTER_DICT`: `true` for `B_INCR`, `false` for `B_DECR`.
const EN_BOOSTERS: &[(&str, bool)] = &[
    ("absolutely", true),
    ("amazingly", true),
    ("awfully", true),
    ("completely", true),
    ("considerable", true),
    ("considerably", true),
    ("decidedly", true),
    ("deeply", true),
    ("effing", true),
    ("enormous", true),
    ("enormously", true),
    ("entirely", true),
    ("especially", true),
    ("exceptional", true),
    ("exceptionally", true),
    ("extreme", true),
    ("extremely", true),
    ("fabulously", true),
    ("flipping", true),
    ("flippin", true),
    ("frackin", true),
    ("fracking", true),
    ("fricking", true),
    ("frickin", true),
    ("frigging", true),
    ("friggin", true),
    ("fully", true),
    ("fuckin", true),
    ("fucking", true),
    ("fuggin", true),
    ("fugging", true),
    ("greatly", true),
    ("hella", true),
    ("highly", true),
    ("hugely", true),
    ("incredible", true),
    ("incredibly", true),
    ("intensely", true),
    ("major", true),
    ("majorly", true),
    ("more", true),
    ("most", true),
    ("particularly", true),
    ("purely", true),
    ("quite", true),
    ("really", true),
    ("remarkably", true),
    ("so", true),
    ("substantially", true),
    ("thoroughly", true),
    ("total", true),
    ("totally", true),
    ("tremendous", true),
    ("tremendously", true),
    ("uber", true),
    ("unbelievably", true),
    ("unusually", true),
    ("utter", true),
    ("utterly", true),
    ("very", true),
    ("almost", false),
    ("barely", false),
    ("hardly", false),
    ("just enough", false),
    ("kind of", false),
    ("kinda", false),
    ("kindof", false),
    ("kind-of", false),
    ("less", false),
    ("little", false),
    ("marginal", false),
    ("marginally", false),
    ("occasional", false),
    ("occasionally", false),
    ("partly", false),
    ("scarce", false),
    ("scarcely", false),
    ("slight", false),
    ("slightly", false),
    ("somewhat", false),
    ("sort of", false),
    ("sorta", false),
    ("sortof", false),
    ("sort-of", false),
];

/// vaderSentiment 3.3.2 `SPECIAL_CASES` (idioms that set the valence). The single-word key
/// `badass` is kept for completeness; it can never match, since the reference only looks up
/// two- and three-word sequences.
const EN_SPECIAL_CASES: &[(&str, f64)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("badass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
];

/// Words some rule compares a token with, by their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u8)]
pub(crate) enum Tag {
    /// No rule names this word.
    #[default]
    None,
    /// English `no` (its own negation rule).
    No,
    /// English `or`, `nor` (after `no ... `).
    OrNor,
    /// English `least`.
    Least,
    /// English `at` (`at least` is not a negation).
    At,
    /// English `very` (`very least` is not a negation).
    Very,
    /// English `kind` (`kind of` is a dampener, not the positive word `kind`).
    Kind,
    /// English `of`.
    Of,
    /// `never` / `nunca`.
    Never,
    /// `so`, `this` / `entao`, `este` (`never so good` intensifies).
    SoThis,
    /// `without` / `sem`.
    Without,
    /// `doubt` / `dúvida` (`without a doubt` is not a negation).
    Doubt,
    /// The contrastive conjunction: `but` / `mas`.
    But,
}

/// Everything the scorer needs to know about one lowercased word, from one lookup. Eight
/// bytes, so that the tables stay small enough for the processor's caches.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    /// Distinct per word in the table ([`Entry::UNKNOWN`]'s for words not in it), so two
    /// tokens are the same known word exactly when their ids are equal.
    pub id: u32,
    /// Index of the word's mean valence in [`WordTable::valences`] (with
    /// [`Entry::HAS_VALENCE`]); lexicon valences are means of ten integer ratings, so there
    /// are fewer than a hundred distinct ones.
    valence: u8,
    /// +1 for a booster, −1 for a dampener, 0 for neither.
    booster: i8,
    flags: u8,
    /// The word's role in a rule.
    pub tag: Tag,
}

impl Entry {
    const HAS_VALENCE: u8 = 1;
    const NEGATION: u8 = 2;
    const NGRAM_HEAD: u8 = 4;

    /// A word the tables do not know.
    pub const UNKNOWN: Entry = Entry {
        id: u32::MAX,
        valence: 0,
        booster: 0,
        flags: 0,
        tag: Tag::None,
    };

    /// In the lexicon (the references' `word in self.lexicon`).
    #[inline]
    pub fn in_lexicon(&self) -> bool {
        self.flags & Self::HAS_VALENCE != 0
    }

    /// The booster (`B_INCR`) or dampener (`B_DECR`) increment of a one-word booster key.
    #[inline]
    pub fn booster(&self) -> Option<f64> {
        match self.booster {
            0 => None,
            b if b > 0 => Some(B_INCR),
            _ => Some(B_DECR),
        }
    }

    /// In the negation word list.
    #[inline]
    pub fn negation(&self) -> bool {
        self.flags & Self::NEGATION != 0
    }

    /// The first word of some multi-word special case or booster key, so sequences starting
    /// with it are worth comparing.
    #[inline]
    pub fn ngram_head(&self) -> bool {
        self.flags & Self::NGRAM_HEAD != 0
    }
}

/// Longest word, in UTF-8 bytes, kept in the packed table.
pub(crate) const SHORT_MAX: usize = 15;

/// Packs a word of at most [`SHORT_MAX`] bytes into a `u128`: its bytes little-endian, zeros
/// after them, and its length in the top byte (so a word with trailing NUL bytes differs).
#[inline]
pub(crate) fn pack(bytes: &[u8]) -> u128 {
    debug_assert!(bytes.len() <= SHORT_MAX);
    let mut buf = [0u8; 16];
    buf[..bytes.len()].copy_from_slice(bytes);
    u128::from_le_bytes(buf) | ((bytes.len() as u128) << 120)
}

#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = (a as u128) * (b as u128);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A packed word as two `u64`s (a `u128` would be 16-byte aligned and make every table slot
/// 32 bytes instead of 24).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key2(u64, u64);

impl std::hash::Hash for Key2 {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(((self.1 as u128) << 64) | self.0 as u128);
    }
}

/// Hasher for packed words: one folded 64×64→128 multiply, which mixes every input bit into
/// both halves. The keys are trusted (our lexicons), so there is no need for a keyed hash.
#[derive(Default, Clone, Copy)]
pub(crate) struct PackedHasher(u64);

impl Hasher for PackedHasher {
    fn write(&mut self, _: &[u8]) {
        unreachable!("PackedHasher only hashes u128 keys");
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.0 = fold_mul(
            (i as u64) ^ 0x9e37_79b9_7f4a_7c15,
            ((i >> 64) as u64) ^ 0xd6e8_feb8_6659_fd93,
        );
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// FxHash-style hasher for the few words longer than [`SHORT_MAX`] bytes.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for c in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..c.len()].copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
        }
        self.0 = h;
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(K);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits weak; the table indexes by low bits.
        self.0.rotate_left(26)
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Lowercased word → [`Entry`]. Words of up to [`SHORT_MAX`] bytes (all but a few dozen)
/// are keyed by their [`pack`]ed bytes, so a lookup compares integers instead of strings and
/// needs no lowercased copy of the token.
#[derive(Debug, Default)]
pub(crate) struct WordTable {
    /// Distinct valences, indexed by [`Entry::valence`].
    valences: Vec<f64>,
    short: HashMap<Key2, Entry, BuildHasherDefault<PackedHasher>>,
    long: FastMap<&'static str, Entry>,
}

impl WordTable {
    /// The entry of `word` (as written in a lexicon file: lookups use lowercased tokens, so a
    /// key with capitals can never match, as in the references), created if new.
    fn entry(&mut self, word: &'static str) -> &mut Entry {
        let id = (self.short.len() + self.long.len()) as u32;
        let new = Entry {
            id,
            ..Entry::UNKNOWN
        };
        if word.len() > SHORT_MAX {
            return self.long.entry(word).or_insert(new);
        }
        let key = pack(word.as_bytes());
        self.short
            .entry(Key2(key as u64, (key >> 64) as u64))
            .or_insert(new)
    }

    /// Gives `word` the lexicon valence `valence`.
    fn set_valence(&mut self, word: &'static str, valence: f64) {
        let index = match self
            .valences
            .iter()
            .position(|v| v.to_bits() == valence.to_bits())
        {
            Some(i) => i,
            None => {
                self.valences.push(valence);
                self.valences.len() - 1
            }
        };
        let index = u8::try_from(index).expect("more than 256 distinct valences in a lexicon");
        let e = self.entry(word);
        e.valence = index;
        e.flags |= Entry::HAS_VALENCE;
    }

    /// The lexicon valence of an entry (`self.lexicon[word]`), if the word is in the lexicon.
    #[inline]
    pub fn valence(&self, e: &Entry) -> Option<f64> {
        if e.in_lexicon() {
            Some(self.valences[e.valence as usize])
        } else {
            None
        }
    }

    /// Looks up a lowercase word [`pack`]ed (so at most [`SHORT_MAX`] bytes).
    #[inline]
    pub fn get_packed(&self, key: u128) -> Option<&Entry> {
        self.short.get(&Key2(key as u64, (key >> 64) as u64))
    }

    /// Looks up a lowercase word.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&Entry> {
        if word.len() <= SHORT_MAX {
            self.get_packed(pack(word.as_bytes()))
        } else {
            self.long.get(word)
        }
    }

    #[cfg(test)]
    pub(crate) fn lexicon_size(&self) -> usize {
        self.short
            .values()
            .chain(self.long.values())
            .filter(|e| e.in_lexicon())
            .count()
    }
}

/// vaderSentiment's emoji table: each code point of the text is looked up on its own, so only
/// the one-code-point keys of `emoji_utf8_lexicon.txt` can ever match.
#[derive(Debug)]
pub(crate) struct EmojiTable {
    /// One-code-point keys, as the reference matches them.
    pub exact: FastMap<char, &'static str>,
    /// For `normalize_emoji`: also the keys that are one code point plus U+FE0F, filed under
    /// that code point (a bare key wins).
    pub normalized: FastMap<char, &'static str>,
    /// No key is below this code point, so lower characters need no lookup.
    pub min: char,
}

/// A multi-word key: its words' ids and its value.
#[derive(Debug)]
pub(crate) struct Ngram {
    pub ids: Vec<u32>,
    pub value: f64,
}

/// Everything language-specific: tables from the lexicon files and the rule switches that
/// distinguish the two references.
#[derive(Debug)]
pub(crate) struct LangData {
    /// Lowercased word → what the rules know about it.
    pub words: WordTable,
    /// Multi-word special-case idioms, which set the valence.
    pub special_ngrams: Vec<Ngram>,
    /// Multi-word booster keys, whose increment is added.
    pub booster_ngrams: Vec<Ngram>,
    /// Emoji descriptions, for a reference that can match them. LeIA looks each whitespace-
    /// separated token up in its emoji table only after folding the text to ASCII, and every
    /// key of that table is non-ASCII, so no emoji is ever described: `None`.
    pub emoji: Option<EmojiTable>,
    /// vaderSentiment 3.3.x rules that LeIA (forked from an older VADER) does not have.
    pub vader33: bool,
}

/// CPython's `line.strip()`.
fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_whitespace)
}

/// `(word, measure) = line.strip().split('\t')[0:2]` for each non-empty line, as both
/// references build their lexicon dict (later lines overwrite earlier ones).
fn parse_lexicon(text: &'static str, words: &mut WordTable) {
    for line in text.split('\n') {
        if line.is_empty() {
            continue;
        }
        let mut fields = py_strip(line).split('\t');
        let word = fields.next().unwrap_or("");
        let measure = fields.next().unwrap_or("");
        let valence: f64 = py_strip(measure)
            .parse()
            .unwrap_or_else(|_| panic!("bundled lexicon: bad valence in line {line:?}"));
        words.set_valence(word, valence);
    }
}

/// `(emoji, description) = line.strip().split('\t')[0:2]` for each non-empty line.
fn parse_emoji(text: &'static str) -> Vec<(&'static str, &'static str)> {
    text.split('\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut fields = py_strip(line).split('\t');
            let key = fields.next().unwrap_or("");
            let description = fields.next().unwrap_or("");
            (key, description)
        })
        .collect()
}

fn per_char_emoji(pairs: &[(&'static str, &'static str)]) -> EmojiTable {
    let mut exact: FastMap<char, &'static str> = FastMap::default();
    let mut with_fe0f: FastMap<char, &'static str> = FastMap::default();
    for &(key, description) in pairs {
        let mut chars = key.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(c), None, _) => {
                exact.insert(c, description);
            }
            (Some(c), Some('\u{fe0f}'), None) => {
                with_fe0f.insert(c, description);
            }
            _ => {}
        }
    }
    let mut normalized = exact.clone();
    for (c, d) in with_fe0f {
        normalized.entry(c).or_insert(d);
    }
    let min = normalized.keys().copied().min().unwrap_or(char::MAX);
    EmojiTable {
        exact,
        normalized,
        min,
    }
}

/// The multi-word keys among `keys`, as word ids (a token never contains a space, so a key
/// with one can only match a sequence of tokens). Every word of such a key gets an entry, so a
/// token equals it exactly when their ids are equal, and the first word is marked.
fn ngrams(words: &mut WordTable, keys: impl Iterator<Item = (&'static str, f64)>) -> Vec<Ngram> {
    let mut out = Vec::new();
    for (key, value) in keys.filter(|(k, _)| k.contains(' ')) {
        let ids: Vec<u32> = key.split(' ').map(|w| words.entry(w).id).collect();
        words.entry(key.split(' ').next().unwrap_or("")).flags |= Entry::NGRAM_HEAD;
        out.push(Ngram { ids, value });
    }
    out
}

fn build_english() -> LangData {
    let mut words = WordTable::default();
    parse_lexicon(VADER_LEXICON, &mut words);
    for &w in EN_NEGATE {
        words.entry(w).flags |= Entry::NEGATION;
    }
    let boosters = EN_BOOSTERS
        .iter()
        .map(|&(w, incr)| (w, if incr { B_INCR } else { B_DECR }));
    for (w, b) in boosters.clone() {
        if !w.contains(' ') {
            words.entry(w).booster = if b > 0.0 { 1 } else { -1 };
        }
    }
    for (w, tag) in [
        ("no", Tag::No),
        ("or", Tag::OrNor),
        ("nor", Tag::OrNor),
        ("least", Tag::Least),
        ("at", Tag::At),
        ("very", Tag::Very),
        ("kind", Tag::Kind),
        ("of", Tag::Of),
        ("never", Tag::Never),
        ("so", Tag::SoThis),
        ("this", Tag::SoThis),
        ("without", Tag::Without),
        ("doubt", Tag::Doubt),
        ("but", Tag::But),
    ] {
        words.entry(w).tag = tag;
    }
    let special_ngrams = ngrams(&mut words, EN_SPECIAL_CASES.iter().copied());
    let booster_ngrams = ngrams(&mut words, boosters);
    LangData {
        words,
        special_ngrams,
        booster_ngrams,
        emoji: Some(per_char_emoji(&parse_emoji(VADER_EMOJI))),
        vader33: true,
    }
}

fn build_portuguese() -> LangData {
    let mut words = WordTable::default();
    parse_lexicon(LEIA_LEXICON, &mut words);
    // NEGATE = [t.strip() for t in open('negate.txt')]; the reference tests a single word
    // against it, so multi-word lines ("nao consegue") never match and are left out.
    for line in LEIA_NEGATE.lines() {
        let w = py_strip(line);
        if !w.is_empty() && !w.contains(' ') {
            words.entry(w).flags |= Entry::NEGATION;
        }
    }
    // parts = line.strip().split(' '); BOOSTER_DICT[' '.join(parts[:-1])] =
    //     B_INCR if parts[-1] == 'INCR' else B_DECR
    let mut boosters: Vec<(&'static str, f64)> = Vec::new();
    for line in LEIA_BOOSTER.lines() {
        let line = py_strip(line);
        let (key, kind) = line.rsplit_once(' ').unwrap_or(("", line));
        let b = if kind == "INCR" { B_INCR } else { B_DECR };
        if let Some(slot) = boosters.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = b;
        } else {
            boosters.push((key, b));
        }
    }
    for &(w, b) in &boosters {
        if !w.is_empty() && !w.contains(' ') {
            words.entry(w).booster = if b > 0.0 { 1 } else { -1 };
        }
    }
    // LeIA's _negation_check and _but_check with its Portuguese words. "dúvida" keeps its
    // accent in the reference although the text was folded to ASCII, so it never matches.
    // Of the but-words ['mas', 'entretanto', 'todavia', 'porem', 'porém'] only 'mas' is ever
    // tested: the reference returns inside the loop after the first word.
    for (w, tag) in [
        ("nunca", Tag::Never),
        ("entao", Tag::SoThis),
        ("este", Tag::SoThis),
        ("sem", Tag::Without),
        ("dúvida", Tag::Doubt),
        ("mas", Tag::But),
    ] {
        words.entry(w).tag = tag;
    }
    let booster_ngrams = ngrams(&mut words, boosters.iter().copied());
    LangData {
        words,
        // LeIA's SPECIAL_CASE_IDIOMS is empty.
        special_ngrams: Vec::new(),
        booster_ngrams,
        emoji: None,
        vader33: false,
    }
}

/// English tables, parsed on first use.
pub(crate) fn english() -> &'static LangData {
    static DATA: OnceLock<LangData> = OnceLock::new();
    DATA.get_or_init(build_english)
}

/// Portuguese tables, parsed on first use.
pub(crate) fn portuguese() -> &'static LangData {
    static DATA: OnceLock<LangData> = OnceLock::new();
    DATA.get_or_init(build_portuguese)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_the_reference_sizes() {
        let en = english();
        assert_eq!(en.words.lexicon_size(), 7506);
        assert_eq!(en.words.valence(en.words.get("good").unwrap()), Some(1.9));
        assert!(en.words.get("kind of").is_none());
        assert_eq!(en.words.get("kind").unwrap().tag, Tag::Kind);
        // Longer than SHORT_MAX: in the second table.
        assert_eq!(
            en.words.valence(en.words.get("enthusiastically").unwrap()),
            Some(2.6)
        );
        assert_eq!(
            en.words.valence(en.words.get("wonderfully").unwrap()),
            Some(2.9)
        );
        assert_eq!(std::mem::size_of::<Entry>(), 8);
        assert_eq!(en.booster_ngrams.len(), 3);
        assert_eq!(en.special_ngrams.len(), 8);
        let emoji = en.emoji.as_ref().unwrap();
        assert_eq!(emoji.exact[&'❤'], "red heart");
        // Every "X\u{fe0f}" key also has a bare "X" key with the same description, so the
        // normalised table equals the exact one: normalize_emoji differs only by skipping the
        // U+FE0F after an emoji in the text.
        assert_eq!(emoji.normalized, emoji.exact);
        assert!(emoji.min > '\u{7f}');
        let pt = portuguese();
        assert_eq!(pt.words.lexicon_size(), 5779);
        assert_eq!(pt.words.get("tao").unwrap().booster(), Some(B_INCR));
        assert_eq!(pt.words.get("pouco").unwrap().booster(), Some(B_DECR));
        assert!(pt.words.get("nao").unwrap().negation());
        let ids: Vec<u32> = ["mais", "ou", "menos"]
            .iter()
            .map(|w| pt.words.get(w).unwrap().id)
            .collect();
        assert!(pt.booster_ngrams.iter().any(|n| n.ids == ids));
        // Why `emoji` is None for LeIA: no key survives its ASCII folding.
        assert!(pt.emoji.is_none());
        assert!(parse_emoji(LEIA_EMOJI).iter().all(|(k, _)| !k.is_ascii()));
    }
}
