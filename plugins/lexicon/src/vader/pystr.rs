//! The few Python `str` semantics the references rely on, reproduced exactly.
//!
//! VADER's behaviour is defined by CPython's string methods (`split()`, `strip(chars)`,
//! `isupper()`, `lower()`, `round()`), and they differ from Rust's closest equivalents in ways
//! that change scores: `str.split()` also splits on U+001C..U+001F, `isupper()` is false for a
//! word containing a titlecase letter, `round(x, 3)` rounds the exact binary value half to even.

/// True for the characters CPython's `str.split()` and `str.strip()` treat as whitespace.
///
/// That is Unicode `White_Space` (what [`char::is_whitespace`] tests) plus the four ASCII
/// information separators U+001C..U+001F, which CPython counts as whitespace (bidirectional
/// class B/S) and Rust does not.
#[inline]
pub(crate) fn is_py_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// [`is_py_whitespace`] for one ASCII byte.
#[inline]
pub(crate) fn is_py_whitespace_ascii(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f | b' ')
}

/// Length in bytes of the Python whitespace character starting at `b[i]`, or 0. Beyond ASCII
/// those are U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F and
/// U+3000, matched by their UTF-8 bytes.
#[inline]
pub(crate) fn whitespace_len(b: &[u8], i: usize) -> usize {
    let c0 = b[i];
    if c0 < 0x80 {
        return is_py_whitespace_ascii(c0) as usize;
    }
    let c1 = b.get(i + 1).copied().unwrap_or(0);
    let c2 = b.get(i + 2).copied().unwrap_or(0);
    match (c0, c1, c2) {
        (0xc2, 0x85 | 0xa0, _) => 2,
        (0xe1, 0x9a, 0x80) | (0xe2, 0x81, 0x9f) | (0xe3, 0x80, 0x80) => 3,
        (0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) => 3,
        _ => 0,
    }
}

/// Calls `f(start, end, ascii)` with the byte range of each piece of `s` that CPython's
/// `s.split()` returns, in order, and whether the piece is all ASCII. The definition that
/// [`super::words::split`] implements faster.
#[cfg(test)]
pub(crate) fn py_split(s: &str, mut f: impl FnMut(usize, usize, bool)) {
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    loop {
        // Skip whitespace.
        while i < n {
            let w = whitespace_len(b, i);
            if w == 0 {
                break;
            }
            i += w;
        }
        if i >= n {
            return;
        }
        let start = i;
        let mut high = 0u8;
        while i < n {
            let c = b[i];
            if c < 0x80 {
                if is_py_whitespace_ascii(c) {
                    break;
                }
            } else if matches!(c, 0xc2 | 0xe1 | 0xe2 | 0xe3) && whitespace_len(b, i) != 0 {
                break;
            }
            high |= c;
            i += 1;
        }
        f(start, i, high < 0x80);
    }
}

/// Number of code points, which is what Python's `len()` counts.
#[inline]
pub(crate) fn py_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Unicode general category Lt (titlecase letters). CPython's `isupper()` is false for any
/// string containing one; Rust's std has no titlecase test.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{01c5}' | '\u{01c8}' | '\u{01cb}' | '\u{01f2}'
        | '\u{1f88}'..='\u{1f8f}'
        | '\u{1f98}'..='\u{1f9f}'
        | '\u{1fa8}'..='\u{1faf}'
        | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// CPython's `str.isupper()`: at least one cased character and no lowercase or titlecase one.
///
/// CPython's flags come from the Unicode `Uppercase` and `Lowercase` properties (what
/// [`char::is_uppercase`] and [`char::is_lowercase`] test) plus category Lt.
#[inline]
pub(crate) fn py_isupper(s: &str) -> bool {
    let mut cased = false;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            if b.is_ascii_lowercase() {
                return false;
            }
            cased |= b.is_ascii_uppercase();
        }
        return cased;
    }
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Appends CPython's `s.lower()` to `out`.
///
/// Both CPython and [`str::to_lowercase`] apply the full Unicode lowercase mapping with the
/// Final_Sigma rule, judged within `s` alone (the references lower each token on its own).
#[inline]
pub(crate) fn push_py_lower(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// `"n't" in word.lower()`, tested on the word itself: only ASCII `n`/`N`, `'` and `t`/`T`
/// lowercase to those three characters, so no lowercased copy is needed.
#[inline]
pub(crate) fn contains_nt_ignore_case(word: &[u8]) -> bool {
    // `| 0x20` maps only 'N' and 'n' to 'n', and only 'T' and 't' to 't'.
    (1..word.len().saturating_sub(1))
        .any(|i| word[i] == b'\'' && word[i - 1] | 0x20 == b'n' && word[i + 1] | 0x20 == b't')
}

/// CPython's `round(x, digits)` for `digits` = 3 or 4, as VADER rounds its four scores.
///
/// CPython rounds the exact binary value of `x` to `digits` decimals, half to even (via
/// `_Py_dg_dtoa`), then reads the decimal back as the nearest double. Scaling first
/// (`(x * 1000.0).round() / 1000.0`) would round some values the other way, so near a tie
/// this decides on the sign of the exact `x * 10^digits - (k + 0.5)`, which a fused
/// multiply-add gives without intermediate rounding.
#[inline]
pub(crate) fn py_round(x: f64, digits: u32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let scale = match digits {
        3 => 1e3,
        4 => 1e4,
        _ => 10f64.powi(digits as i32),
    };
    let a = x.abs();
    let y = a * scale;
    if y >= 4_503_599_627_370_496.0 {
        // 2^52: already an integer at this scale.
        return x;
    }
    // y >= 0, so truncating is flooring; a cast avoids a libm call on baseline x86-64.
    let floor = (y as u64) as f64;
    let frac = y - floor; // exact for y < 2^52
    let up = if (frac - 0.5).abs() > 1e-6 {
        frac > 0.5
    } else {
        // Close to a tie: the product's rounding error (<= 2^-53 relative) could decide the
        // wrong way, so compare exactly. The exact difference is a nonzero multiple of a tiny
        // power of two or exactly zero, so the fused result keeps its sign.
        let d = a.mul_add(scale, -(floor + 0.5));
        if d > 0.0 {
            true
        } else if d < 0.0 {
            false
        } else {
            !(floor as u64).is_multiple_of(2)
        }
    };
    let r = if up { floor + 1.0 } else { floor };
    // r and scale are exact; one correctly rounded division gives the double nearest to the
    // decimal r / 10^digits, which is what parsing CPython's digit string gives.
    (r / scale).copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        py_split(s, |a, b, ascii| {
            assert_eq!(ascii, s[a..b].is_ascii());
            v.push(&s[a..b])
        });
        v
    }

    #[test]
    fn whitespace_table_is_pythons() {
        // Every code point CPython 3.11's str.isspace() accepts, and no other (checked over
        // all of Unicode when this was written).
        let python: Vec<u32> = [
            0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
        ]
        .into_iter()
        .chain(0x2000..=0x200a)
        .chain([0x2028, 0x2029, 0x202f, 0x205f, 0x3000])
        .collect();
        for cp in 0..=0x10ffffu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut buf = [0u8; 4];
            let enc = c.encode_utf8(&mut buf).as_bytes();
            let by_bytes = whitespace_len(enc, 0) == enc.len();
            assert_eq!(by_bytes, python.contains(&cp), "U+{cp:04X}");
            assert_eq!(is_py_whitespace(c), python.contains(&cp), "U+{cp:04X}");
        }
    }

    #[test]
    fn split_matches_python() {
        assert_eq!(split("  a b\t\tc\n"), ["a", "b", "c"]);
        // U+001C..U+001F split in Python, not in Rust's split_whitespace.
        assert_eq!(split("a\u{1c}b\u{1f}c"), ["a", "b", "c"]);
        assert_eq!(
            split("a\u{a0}b\u{2003}c\u{3000}d\u{85}e"),
            ["a", "b", "c", "d", "e"]
        );
        // Zero-width space and BOM are not whitespace in Python.
        assert_eq!(split("a\u{200b}b\u{feff}"), ["a\u{200b}b\u{feff}"]);
        assert_eq!(split("é ü"), ["é", "ü"]);
        assert!(split("   ").is_empty());
    }

    #[test]
    fn nt() {
        assert!(contains_nt_ignore_case(b"don't"));
        assert!(contains_nt_ignore_case(b"DON'T"));
        assert!(contains_nt_ignore_case(b"n't"));
        assert!(!contains_nt_ignore_case(b"dont"));
        assert!(!contains_nt_ignore_case(b"'t"));
        assert!(!contains_nt_ignore_case(b"n\xe2\x80\x99t")); // curly apostrophe
    }

    #[test]
    fn isupper_matches_python() {
        assert!(py_isupper("GOOD"));
        assert!(py_isupper("GOOD!1"));
        assert!(!py_isupper("Good"));
        assert!(!py_isupper("123!"));
        assert!(py_isupper("ÇÃO"));
        assert!(!py_isupper("Ǆǅ")); // contains titlecase U+01C5
        assert!(py_isupper("ΣΟΦΟΣ"));
    }

    #[test]
    fn round_is_half_even_on_the_exact_value() {
        // Python: round(0.0625, 3) == 0.062 (exact tie, half to even); round(0.0635, 3) ==
        // 0.064 (0.0635 is slightly above the tie in binary); round(2.675, 2) == 2.67.
        assert_eq!(py_round(0.0625, 3), 0.062);
        assert_eq!(py_round(0.0635, 3), 0.064);
        assert_eq!(py_round(0.0005, 3), 0.001);
        assert_eq!(py_round(0.0015, 3), 0.002);
        assert_eq!(py_round(-0.50965, 4), -0.5097);
        assert_eq!(py_round(0.12345, 4), 0.1235);
        assert_eq!(py_round(1.0, 3), 1.0);
        assert!(py_round(-0.00001, 4).is_sign_negative());
    }
}
