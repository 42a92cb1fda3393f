//! [`redact`]: personal data in a text replaced by placeholders, and how many of each kind.

use std::fmt;
use std::ops::Range;

use regex::Regex;
use serde::Deserialize;

use crate::patterns::{ADDRESS_EN, ADDRESS_PT, CARD, EMAIL, PHONE, digits, luhn, stands_alone};

/// A kind of personal data that [`redact`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// E-mail addresses, replaced by `[EMAIL]`.
    Email,
    /// Phone numbers, replaced by `[PHONE]`.
    Phone,
    /// Payment card numbers that pass the Luhn check, replaced by `[CARD]`.
    Card,
    /// Street addresses (the street, house number and unit), replaced by `[ADDRESS]`.
    Address,
}

impl Kind {
    /// Every kind, in the order they are looked for: e-mail addresses first (they may hold
    /// digits), then cards (so a card is never half-taken for a phone), phones, addresses.
    pub const ALL: [Kind; 4] = [Kind::Email, Kind::Card, Kind::Phone, Kind::Address];

    /// The placeholder that replaces a match: `[EMAIL]`, `[PHONE]`, `[CARD]`, `[ADDRESS]`.
    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::Email => "[EMAIL]",
            Kind::Phone => "[PHONE]",
            Kind::Card => "[CARD]",
            Kind::Address => "[ADDRESS]",
        }
    }

    /// Its name in configuration and diagnostics: `email`, `phone`, `card`, `address`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Card => "card",
            Kind::Address => "address",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which kinds [`redact`] replaces. [`Kinds::all`] (the default) is every kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds {
    /// Replace e-mail addresses.
    pub email: bool,
    /// Replace phone numbers.
    pub phone: bool,
    /// Replace card numbers.
    pub card: bool,
    /// Replace street addresses.
    pub address: bool,
}

impl Kinds {
    /// Every kind.
    pub const fn all() -> Self {
        Self {
            email: true,
            phone: true,
            card: true,
            address: true,
        }
    }

    /// No kind: [`redact`] returns the text unchanged.
    pub const fn none() -> Self {
        Self {
            email: false,
            phone: false,
            card: false,
            address: false,
        }
    }

    /// True when `kind` is replaced.
    pub fn contains(&self, kind: Kind) -> bool {
        match kind {
            Kind::Email => self.email,
            Kind::Phone => self.phone,
            Kind::Card => self.card,
            Kind::Address => self.address,
        }
    }

    /// True when no kind is replaced.
    pub fn is_empty(&self) -> bool {
        !Kind::ALL.iter().any(|k| self.contains(*k))
    }
}

impl Default for Kinds {
    fn default() -> Self {
        Self::all()
    }
}

impl FromIterator<Kind> for Kinds {
    fn from_iter<I: IntoIterator<Item = Kind>>(kinds: I) -> Self {
        let mut out = Kinds::none();
        for kind in kinds {
            match kind {
                Kind::Email => out.email = true,
                Kind::Phone => out.phone = true,
                Kind::Card => out.card = true,
                Kind::Address => out.address = true,
            }
        }
        out
    }
}

/// How many values of each kind were replaced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// E-mail addresses replaced.
    pub email: usize,
    /// Phone numbers replaced.
    pub phone: usize,
    /// Card numbers replaced.
    pub card: usize,
    /// Street addresses replaced.
    pub address: usize,
}

impl Counts {
    /// The count of `kind`.
    pub fn get(&self, kind: Kind) -> usize {
        match kind {
            Kind::Email => self.email,
            Kind::Phone => self.phone,
            Kind::Card => self.card,
            Kind::Address => self.address,
        }
    }

    fn bump(&mut self, kind: Kind) {
        match kind {
            Kind::Email => self.email += 1,
            Kind::Phone => self.phone += 1,
            Kind::Card => self.card += 1,
            Kind::Address => self.address += 1,
        }
    }

    /// Every value replaced, all kinds together.
    pub fn total(&self) -> usize {
        self.email + self.phone + self.card + self.address
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.email += other.email;
        self.phone += other.phone;
        self.card += other.card;
        self.address += other.address;
    }
}

/// A text with its personal data replaced, and how many values of each kind were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    /// The text, each value replaced by its kind's [placeholder](Kind::placeholder).
    pub text: String,
    /// How many values of each kind were replaced.
    pub counts: Counts,
}

/// `text` with the e-mail addresses, phone numbers, payment card numbers and street addresses
/// of the `kinds` asked for replaced by `[EMAIL]`, `[PHONE]`, `[CARD]` and `[ADDRESS]`.
///
/// Order numbers, prices, dates, times, ISBNs, tracking codes, percentages and quantities are
/// left alone: bare digit runs are never phones, cards must pass the Luhn check, and a number
/// joined to another by `-`, `.`, `,` or `/` is never taken on its own. The patterns and what
/// each misses are described in `docs/privacy.md`. Deterministic and pure; the same text always
/// gives the same result.
///
/// ```
/// use restock_privacy::{Kinds, redact};
/// let out = redact(
///     "Order 4410023381 arrived 2024-03-05, call me at +55 11 91234-5678 or a.b@example.com",
///     &Kinds::all(),
/// );
/// assert_eq!(
///     out.text,
///     "Order 4410023381 arrived 2024-03-05, call me at [PHONE] or [EMAIL]"
/// );
/// assert_eq!((out.counts.phone, out.counts.email, out.counts.card), (1, 1, 0));
/// ```
pub fn redact(text: &str, kinds: &Kinds) -> Redacted {
    let mut found: Vec<(Range<usize>, Kind)> = Vec::new();
    for kind in Kind::ALL {
        if !kinds.contains(kind) || !could_hold(text, kind) {
            continue;
        }
        for span in find(text, kind) {
            // Earlier kinds win: a span overlapping one already taken is not a second value.
            if !found
                .iter()
                .any(|(taken, _)| taken.start < span.end && span.start < taken.end)
            {
                found.push((span, kind));
            }
        }
    }
    let mut counts = Counts::default();
    if found.is_empty() {
        return Redacted {
            text: text.to_owned(),
            counts,
        };
    }
    found.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, kind) in found {
        out.push_str(&text[at..span.start]);
        out.push_str(kind.placeholder());
        counts.bump(kind);
        at = span.end;
    }
    out.push_str(&text[at..]);
    Redacted { text: out, counts }
}

/// A cheap test before running a kind's patterns: no `@`, no e-mail; fewer than 8 digits, no
/// phone; fewer than 13, no card; no digit, no address.
fn could_hold(text: &str, kind: Kind) -> bool {
    match kind {
        Kind::Email => text.contains('@'),
        Kind::Phone => digits(text) >= 8,
        Kind::Card => digits(text) >= 13,
        Kind::Address => text.bytes().any(|b| b.is_ascii_digit()),
    }
}

/// The spans of `kind` in `text`, in order, not overlapping.
fn find(text: &str, kind: Kind) -> Vec<Range<usize>> {
    match kind {
        Kind::Email => EMAIL.find_iter(text).map(|m| m.range()).collect(),
        Kind::Card => find_checked(text, &CARD, |span| {
            let candidate = &text[span.clone()];
            stands_alone(text, span, &[' ', '-', '.', ',', '/'])
                && (13..=19).contains(&digits(candidate))
                && luhn(candidate)
        }),
        Kind::Phone => find_checked(text, &PHONE, |span| {
            stands_alone(text, span, &['-', '.', ',', '/'])
                && (8..=15).contains(&digits(&text[span.clone()]))
        }),
        Kind::Address => {
            let mut spans: Vec<Range<usize>> = ADDRESS_EN
                .find_iter(text)
                .chain(ADDRESS_PT.find_iter(text))
                .map(|m| m.range())
                .collect();
            spans.sort_by_key(|s| s.start);
            let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
            for span in spans {
                if out.last().is_none_or(|last| last.end <= span.start) {
                    out.push(span);
                }
            }
            out
        }
    }
}

/// The matches of `regex` in `text` that pass `accept`. A rejected match does not hide a
/// later one that starts inside it: the search resumes one character after its start.
fn find_checked(
    text: &str,
    regex: &Regex,
    accept: impl Fn(&Range<usize>) -> bool,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while from <= text.len() {
        let Some(m) = regex.find_at(text, from) else {
            break;
        };
        let span = m.range();
        if accept(&span) {
            from = span.end;
            out.push(span);
        } else {
            let next = text[span.start..].chars().next().map_or(1, char::len_utf8);
            from = span.start + next;
        }
    }
    out
}
