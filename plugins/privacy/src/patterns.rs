//! The patterns behind [`crate::redact`]: one regular expression per kind of personal data, plus
//! the checks a regular expression cannot make (digit counts, the Luhn check, what may stand
//! next to a number).
//!
//! Every pattern matches ASCII digits only (`[0-9]`, never `\d`), so Arabic-Indic or fullwidth
//! digits are never taken for a phone or a card (NFKC in `normalize_text` folds fullwidth digits
//! first, if wanted). Each pattern says what it covers and what it misses; the table test in
//! `tests/redact.rs` holds both sides.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// E-mail addresses: a local part of letters, digits and `. _ % + -`, an `@`, one or more
/// dot-separated domain labels and a top-level domain of at least two letters. Letters are
/// Unicode letters, so `joão@exemplo.com.br` is covered.
///
/// Misses: quoted local parts (`"a b"@example.com`), IP-literal domains (`a@[127.0.0.1]`),
/// addresses spelled out to dodge filters (`a.b at example dot com`, `a.b(at)example.com`).
pub(crate) static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}").expect("valid e-mail pattern")
});

/// Phone numbers, in the formats people write them in reviews and messages:
///
/// - international, `+` and a country code, then up to six groups separated by a space, a dot
///   or a dash, an area code possibly in parentheses: `+55 11 91234-5678`, `+1 (415) 555-0132`,
///   `+44 20 7946 0958`, `+5511912345678`;
/// - an area code in parentheses: `(11) 91234-5678`, `(11) 3456-7890`, `(415) 555-0132`,
///   `(020) 7946 0958`;
/// - North American 3-3-4 with separators: `415-555-0132`, `415.555.0132`, `1-800-555-0199`;
/// - a trunk prefix `0` (then not `0`) and one or two spaces (UK and most of Europe): `020 7946 0958`,
///   `0161 496 0000`, `07700 900123`, `0800 123 4567`;
/// - Brazilian mobiles and landlines with the dash: `11 91234-5678`, `91234-5678`,
///   `11 3456-7890`.
///
/// Every match must have 8 to 15 digits (E.164 allows at most 15) and stand apart from other
/// numbers (see [`stands_alone`]), so dates (`2024-03-05`, `05/03/2024`), times, prices,
/// ISBNs and bare digit runs such as order numbers (`4410023381`) are not phones.
///
/// Misses: bare digit runs without `+` (`11912345678`, `4155550132`: indistinguishable from
/// order numbers), numbers split by slashes or written in words, extensions (`x123` is left),
/// and 8-digit Brazilian landlines with no area code (`3456-7890`: they look like year ranges
/// and product codes). After an international number, a lone short number glued by one space
/// (`+55 11 91234-5678 2`) is taken as one more group.
pub(crate) static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:
          \+[1-9][0-9]{0,2}(?:[\ .-]?\([0-9]{1,4}\)|[\ .-]?[0-9]{1,5}){1,6}
        | \(0?[0-9]{2,4}\)\ ?[0-9]{3,5}[\ .-]?[0-9]{4}
        | (?:1[\ .-])?[2-9][0-9]{2}[\ .-][0-9]{3}[\ .-][0-9]{4}
        | 0[1-9][0-9]{1,3}\ (?:[0-9]{3,4}\ [0-9]{3,4}|[0-9]{6,8})
        | (?:[1-9][0-9]\ )?9[0-9]{4}-[0-9]{4}
        | [1-9][0-9]\ [2-5][0-9]{3}-[0-9]{4}
        )\b
        ",
    )
    .expect("valid phone pattern")
});

/// Payment card numbers: 13 to 19 digits, optionally grouped by single spaces or dashes
/// (`4111 1111 1111 1111`, `4111-1111-1111-1111`, `378282246310005`), starting with 2 to 6
/// (the major industry identifiers of the payment networks: Mastercard 2-series, Amex, Diners
/// and JCB 3, Visa and Elo 4, Mastercard 5, Discover, Elo and Hipercard 6), and passing the
/// Luhn check ([`luhn`]). That check is what keeps order numbers, tracking numbers and ISBNs
/// (which start with 978 or 979) from being taken for cards: a random digit run passes it one
/// time in ten.
///
/// Misses: cards starting with 1, 7, 8 or 9 (rare closed-loop cards), numbers split by other
/// characters (`4111.1111.1111.1111`) or written with a typo (which fail Luhn), and partial
/// numbers (`**** 1111`, which are not personal data). Takes: a 13–19 digit order number that
/// starts with 2–6 and happens to pass Luhn.
pub(crate) static CARD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[2-6](?:[\ -]?[0-9]){12,18}\b").expect("valid card pattern"));

/// Street addresses in English: a house number (`221B`, `1600`), one to four capitalised words
/// and a street type (`Street`, `St`, `Avenue`, `Ave`, `Road`, `Rd`, `Lane`, `Drive`,
/// `Boulevard`, `Court`, `Place`, `Way`, `Terrace`, `Close`, `Crescent`, `Square`, `Highway`,
/// `Parkway`, `Row`, `Mews`, …), then optionally a compass suffix (`NW`) and a unit
/// (`, Apt 4B`, `Suite 300`, `Flat 2`, `#12`): `221B Baker Street`, `10 Downing St`,
/// `1600 Pennsylvania Avenue NW`, `350 Fifth Avenue, Suite 300`.
///
/// Misses: lowercase addresses (`221b baker street`: with lowercase words, "3 days on the road"
/// would match), street types not listed (`Loop`, `Walk`), PO boxes, and everything after the
/// street (city, state, postcode). Takes: a capitalised phrase of that shape that is not an
/// address ("2 Park Avenue bags").
pub(crate) static ADDRESS_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
          \b[0-9]{1,5}[A-Za-z]?
          (?:\ [A-Z][\w'’-]*){1,4}
          \ (?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl
              |Way|Terrace|Close|Crescent|Square|Sq|Highway|Hwy|Parkway|Pkwy|Row|Mews|Gardens
              |Grove|Hill)\b
          (?:\ (?:N|S|E|W|NE|NW|SE|SW)\b)?
          (?:\.?,?\ (?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Room)\.?\ ?\#?[0-9][0-9A-Za-z-]{0,5}\b
            |\.?,?\ \#[0-9][0-9A-Za-z-]{0,5}\b)?
        ",
    )
    .expect("valid English address pattern")
});

/// Street addresses in Portuguese: a street type (`Rua`, `R.`, `Avenida`, `Av.`, `Alameda`,
/// `Al.`, `Travessa`, `Tv.`, `Praça`, `Pça.`, `Rodovia`, `Rod.`, `Estrada`, `Largo`, `Ladeira`,
/// `Beco`, `Viela`), a name of capitalised words, numbers and the connectors `da de do das dos
/// e` (`Augusta`, `25 de Março`, `Dr. Arnaldo`, `Brigadeiro Faria Lima`), a house number
/// (`1500`, `nº 45`, `s/n`), and optionally complements (`apto 12`, `ap. 3`, `bloco B`,
/// `casa 2`, `sala 101`, `cj. 5`, `andar 3`): `Rua Augusta, 1500`, `Av. Paulista 1000, apto 12`,
/// `Rua 25 de Março, 1000`, `Praça da Sé, nº 10`.
///
/// The house number is required: a street named without one ("moro perto da Rua Augusta") is
/// not an address that reaches a door, and requiring it keeps "Via Sedex 10" and the like safe.
///
/// Misses: lowercase types (`rua augusta, 1500`), kilometre addresses (`Rodovia BR-116, km 25`),
/// the neighbourhood, city and CEP after the number (`- Bela Vista, 01310-100` is left).
pub(crate) static ADDRESS_PT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
          \b(?:Rua|R\.|Avenida|Av\.?|Alameda|Al\.|Travessa|Tv\.|Trav\.|Praça|Pça\.?|Pç\.|Rodovia
              |Rod\.|Estrada|Estr\.|Largo|Lgo\.|Ladeira|Beco|Viela)
          (?:\ (?:d[aeo]s?|e|[A-ZÀ-ÖØ-Þ0-9][\w'’.-]*)){1,6}?
          ,?\ (?:(?:n[º°o]|N[º°o])\.?\ ?)?(?:[0-9]{1,5}[A-Za-z]?\b|s/n\b)
          (?:\ ?[,–-]?\ ?(?:apto?\.?|apartamento|Apto?\.?|bloco|Bloco|bl\.|casa|Casa|sala|Sala
                           |cj\.?|conjunto|andar|lote|quadra|qd\.?)\ ?[0-9A-Z]{1,5}\b)*
        ",
    )
    .expect("valid Portuguese address pattern")
});

/// True when the digits in `candidate` pass the Luhn (mod 10) check of ISO/IEC 7812-1, Annex B:
/// from the rightmost digit, double every second digit, subtract 9 from results above 9, and
/// the sum must be a multiple of 10. Characters other than ASCII digits are skipped.
pub(crate) fn luhn(candidate: &str) -> bool {
    let mut sum = 0u32;
    for (i, d) in candidate
        .bytes()
        .rev()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .enumerate()
    {
        sum += if i % 2 == 1 {
            let double = d * 2;
            if double > 9 { double - 9 } else { double }
        } else {
            d
        };
    }
    sum.is_multiple_of(10)
}

/// How many ASCII digits `s` has.
pub(crate) fn digits(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

/// True when the number at `span` of `text` is a whole token, not a piece of a longer one:
/// no letter, digit, `_` or `+` touches it, and it is not joined to another digit by one of
/// `joiners` (`2024-91234-5678`, `1.415.555.0132.7`). Phones pass `.,-/` as joiners; cards also
/// pass a space, since card groups are joined by spaces.
pub(crate) fn stands_alone(text: &str, span: &Range<usize>, joiners: &[char]) -> bool {
    let mut before = text[..span.start].chars().rev();
    match before.next() {
        Some(c) if c.is_alphanumeric() || c == '_' || c == '+' => return false,
        Some(c) if joiners.contains(&c) && before.next().is_some_and(|d| d.is_ascii_digit()) => {
            return false;
        }
        _ => {}
    }
    let mut after = text[span.end..].chars();
    match after.next() {
        Some(c) if c.is_alphanumeric() || c == '_' => false,
        Some(c) if joiners.contains(&c) && after.next().is_some_and(|d| d.is_ascii_digit()) => {
            false
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_test_cards_and_rejects_typos() {
        for card in [
            "4111111111111111",
            "5555 5555 5555 4444",
            "378282246310005",
            "6011-1111-1111-1117",
            "79927398713",
        ] {
            assert!(luhn(card), "{card}");
        }
        for not in ["4111111111111112", "1234567812345678", "4410023381"] {
            assert!(!luhn(not), "{not}");
        }
    }

    #[test]
    fn stands_alone_looks_at_both_neighbours() {
        let text = "x 2024-91234-5678 y";
        assert!(!stands_alone(text, &(7..17), &['-']));
        let text = "ligue 91234-5678.";
        assert!(stands_alone(text, &(6..16), &['.', '-']));
        assert!(!stands_alone("a91234-5678", &(1..11), &[]));
        assert!(!stands_alone("+5511", &(1..5), &[]));
    }
}
