//! Fast paths for splitting text into the references' tokens, eight or sixteen bytes at a
//! time.
//!
//! Scoring is dominated by tokenisation, and a byte-at-a-time loop loses most of its time to
//! mispredicted branches at word ends. These helpers find whitespace, punctuation and letter
//! case with SWAR ("SIMD within a register") arithmetic on `u64`/`u128` words instead. They
//! compute exactly what [`super::pystr`]'s definitions say; the unit tests compare the two
//! on every byte value.

use super::lexicon::SHORT_MAX;
use super::pystr::{is_py_whitespace_ascii, whitespace_len};

const ONES64: u64 = u64::MAX / 255;
const HIGH64: u64 = ONES64 * 0x80;

/// Bytes of zero padding kept after the text, so a 16-byte load at any offset is in bounds.
pub(crate) const PADDING: usize = 16;

/// `text`'s bytes followed by [`PADDING`] zero bytes, in `buf`.
pub(crate) fn pad(text: &str, buf: &mut Vec<u8>) {
    buf.clear();
    buf.extend_from_slice(text.as_bytes());
    buf.extend_from_slice(&[0; PADDING]);
}

#[inline(always)]
fn load64(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

#[inline(always)]
fn load128(b: &[u8], i: usize) -> u128 {
    let mut w = [0u8; 16];
    w.copy_from_slice(&b[i..i + 16]);
    u128::from_le_bytes(w)
}

/// High bit of each byte of `x` set where the byte is at least `c`. Only for bytes < 0x80
/// (then no sum carries into the next byte).
#[inline(always)]
fn at_least64(x: u64, c: u8) -> u64 {
    x.wrapping_add(ONES64 * (0x80 - c) as u64)
}

/// High bit set for each byte that is ASCII whitespace to Python (0x09..=0x0D, 0x1C..=0x20)
/// or not ASCII (it may start a Unicode space; the caller checks).
#[inline(always)]
fn stop_mask(x: u64) -> u64 {
    let high = x & HIGH64;
    let y = x & !HIGH64;
    let ws =
        (at_least64(y, 0x09) & !at_least64(y, 0x0e)) | (at_least64(y, 0x1c) & !at_least64(y, 0x21));
    (ws & !x & HIGH64) | high
}

/// Calls `f(start, end, ascii)` for each piece of CPython's `text.split()`, in order, where
/// `padded` is the text's bytes followed by [`PADDING`] zero bytes (see [`pad`]).
#[inline(always)]
pub(crate) fn split(padded: &[u8], mut f: impl FnMut(usize, usize, bool)) {
    let n = padded.len() - PADDING;
    let mut i = 0;
    while i < n {
        let c = padded[i];
        if c < 0x80 {
            if is_py_whitespace_ascii(c) {
                i += 1;
                continue;
            }
        } else {
            let w = whitespace_len(padded, i);
            if w > 0 {
                i += w;
                continue;
            }
        }
        let start = i;
        let mut ascii = true;
        loop {
            let m = stop_mask(load64(padded, i));
            if m == 0 {
                i += 8;
                if i >= n {
                    break;
                }
                continue;
            }
            i += (m.trailing_zeros() / 8) as usize;
            if i >= n || padded[i] < 0x80 || whitespace_len(padded, i) > 0 {
                break;
            }
            // A non-ASCII byte that does not start a space belongs to the word.
            ascii = false;
            i += 1;
        }
        let end = i.min(n);
        f(start, end, ascii);
        i = end;
    }
}

/// `(text.count("!"), text.count("?"))` for the padded text (see [`pad`]), eight bytes at a
/// time.
pub(crate) fn count_exclamation_question(padded: &[u8]) -> (usize, usize) {
    const LOW7: u64 = ONES64 * 0x7f;
    // High bit set exactly for the zero bytes of v (no sum carries across bytes).
    let zero_bytes = |v: u64| !(((v & LOW7) + LOW7) | v | LOW7);
    // Sum of the bytes' low bits, each 0 or 1.
    let count = |m: u64| ((m >> 7).wrapping_mul(ONES64) >> 56) as usize;
    let n = padded.len() - PADDING;
    let (mut ep, mut qm) = (0, 0);
    let mut i = 0;
    while i < n {
        // The zero padding past the text matches neither character.
        let x = load64(padded, i);
        ep += count(zero_bytes(x ^ (ONES64 * b'!' as u64)));
        qm += count(zero_bytes(x ^ (ONES64 * b'?' as u64)));
        i += 8;
    }
    (ep, qm)
}

/// An ASCII token of at most 16 bytes, read in one load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Short {
    /// Start and end of the token (after any punctuation stripping) in the text.
    pub start: usize,
    pub end: usize,
    /// [`super::lexicon::pack`] of its lowercase form, or 0 if it is longer than
    /// [`SHORT_MAX`].
    pub key: u128,
    /// `token.isupper()`.
    pub upper: bool,
    /// `"n't" in token.lower()`.
    pub nt: bool,
}

/// The ASCII piece `padded[start..end]` (at most 16 bytes) as a token: with `strip`,
/// vaderSentiment's `_strip_punc_if_word` (strip `string.punctuation` from both ends unless
/// that leaves 2 characters or fewer).
#[inline(always)]
pub(crate) fn short(padded: &[u8], start: usize, end: usize, strip: bool) -> Short {
    debug_assert!(end - start <= 16 && padded[start..end].is_ascii());
    // Most words fit in 8 bytes, where one u64 does what two take for a u128.
    if end - start <= 8 {
        short64(padded, start, end, strip)
    } else {
        short128(padded, start, end, strip)
    }
}

/// [`short`] on words of `$bytes` bytes at most, in the integer type `$t`.
macro_rules! short_in {
    ($name:ident, $t:ty, $bytes:expr, $load:ident) => {
        #[inline(always)]
        fn $name(padded: &[u8], start: usize, end: usize, strip: bool) -> Short {
            const ONES: $t = <$t>::MAX / 255;
            const HIGH: $t = ONES * 0x80;
            const LOW7: $t = ONES * 0x7f;
            const BITS: u32 = <$t>::BITS;
            // The first `len` bytes.
            let keep = |len: usize| -> $t {
                if len >= $bytes {
                    <$t>::MAX
                } else {
                    ((1 as $t) << (8 * len)) - 1
                }
            };
            // High bit of each byte that is at least c (bytes < 0x80: no sum carries).
            let at_least = |x: $t, c: u8| x.wrapping_add(ONES * (0x80 - c) as $t);
            let in_range = |x: $t, lo: u8, hi: u8| at_least(x, lo) & !at_least(x, hi + 1) & HIGH;
            // High bit of each byte equal to c (nonzero).
            let equal = |x: $t, c: u8| {
                let v = x ^ (ONES * c as $t);
                !(((v & LOW7) + LOW7) | v | LOW7)
            };
            let len = end - start;
            let x = $load(padded, start) & keep(len);
            let (mut off, mut n) = (0, len);
            // Most words neither start nor end with punctuation: skip the masks for them.
            if strip
                && (padded[start].is_ascii_punctuation() || padded[end - 1].is_ascii_punctuation())
            {
                let punct = in_range(x, 0x21, 0x2f)
                    | in_range(x, 0x3a, 0x40)
                    | in_range(x, 0x5b, 0x60)
                    | in_range(x, 0x7b, 0x7e);
                let word = !punct & HIGH & keep(len);
                if word != 0 {
                    let first = (word.trailing_zeros() / 8) as usize;
                    let last = ((BITS - 1 - word.leading_zeros()) / 8) as usize;
                    if last + 1 - first > 2 {
                        off = first;
                        n = last + 1 - first;
                    }
                }
            }
            let x = (x >> (8 * off)) & keep(n);
            let upper = in_range(x, b'A', b'Z');
            let lower = in_range(x, b'a', b'z');
            // 0x80 >> 2 == 0x20, the ASCII case bit.
            let lowered = x | (upper >> 2);
            let key = if n <= SHORT_MAX {
                lowered as u128 | ((n as u128) << 120)
            } else {
                0
            };
            // An apostrophe with "n" in the byte before and "t" in the byte after.
            let apostrophes = equal(lowered, b'\'');
            let nt = apostrophes != 0
                && apostrophes & (equal(lowered, b'n') << 8) & (equal(lowered, b't') >> 8) != 0;
            Short {
                start: start + off,
                end: start + off + n,
                key,
                upper: upper != 0 && lower == 0,
                nt,
            }
        }
    };
}

short_in!(short64, u64, 8, load64);
short_in!(short128, u128, 16, load128);

#[cfg(test)]
mod tests {
    use super::super::lexicon::pack;
    use super::super::pystr::{is_py_whitespace, py_isupper, py_split};
    use super::*;

    #[test]
    fn stop_mask_flags_python_whitespace_and_non_ascii() {
        for c in 0..=255u8 {
            let want = c >= 0x80 || is_py_whitespace(c as char);
            assert_eq!(stop_mask(c as u64) != 0, want, "{c:#x}");
            // In every lane.
            for lane in 0..8 {
                let x = (c as u64) << (8 * lane) | (ONES64 * b'a' as u64) & !(0xff << (8 * lane));
                assert_eq!(stop_mask(x) != 0, want, "{c:#x} in lane {lane}");
            }
        }
    }

    fn pieces(text: &str) -> Vec<(usize, usize, bool)> {
        let mut buf = Vec::new();
        pad(text, &mut buf);
        let mut out = Vec::new();
        split(&buf, |s, e, a| out.push((s, e, a)));
        out
    }

    #[test]
    fn split_equals_the_reference_definition() {
        let texts = [
            "",
            " ",
            "a",
            "hello world",
            "  leading and trailing  ",
            "tabs\tnew\nlines\r\nand\x0bvt\x0cff",
            "sep\x1cfs\x1dgs\x1ers\x1fus",
            "nbsp\u{a0}nel\u{85}em\u{2003}ideo\u{3000}end",
            "zero\u{200b}width\u{feff}bom",
            "café naïve ÇÃO 😀😀 😀",
            "averyveryverylongwordthatspansmanybytes and short",
            "exactly8 exactly16bytes!! x",
            "\x00nul\x01ctl",
        ];
        let mut texts: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        // Random mixes of words, spaces and multi-byte characters.
        let parts = [
            "a",
            "word",
            " ",
            "  ",
            "\t",
            "\u{a0}",
            "\u{2003}",
            "\u{3000}",
            "é",
            "😀",
            "\u{85}",
            "\x1c",
            "!",
            "xxxxxxxxxxxxxxxxxxxxxxxx",
        ];
        let mut state = 12345u64;
        for _ in 0..3000 {
            let mut t = String::new();
            while t.len() < 150 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                t.push_str(parts[(state >> 33) as usize % parts.len()]);
            }
            texts.push(t);
        }
        for text in &texts {
            let mut want = Vec::new();
            py_split(text, |s, e, a| want.push((s, e, a)));
            assert_eq!(pieces(text), want, "{text:?}");
        }
    }

    #[test]
    fn counts_every_exclamation_and_question_mark() {
        for text in [
            "",
            "!",
            "?!?",
            "no marks",
            "a!b?c?!!!!!!!!x?",
            "é!😀?",
            &"!?".repeat(41),
        ] {
            let mut buf = Vec::new();
            pad(text, &mut buf);
            let want = (text.matches('!').count(), text.matches('?').count());
            assert_eq!(count_exclamation_question(&buf), want, "{text:?}");
        }
    }

    #[test]
    fn short_equals_strip_lower_and_isupper() {
        let words = [
            "good",
            "GOOD",
            "Good",
            "good!",
            "(good)",
            "\"good,\"",
            ":)",
            ":-)",
            "ok...",
            "no.",
            ":D",
            "(:",
            "a!b",
            "!!!",
            "I'M",
            "don't",
            "x",
            "abcdefghijklmnop",
            "abcdefghijklmno!",
            "!abcdefghijklmno",
            "DON'T",
            "n't",
            "'nt",
            "isn't!",
            "can''t",
            "'''''",
            "-a-",
            "HELLO!!",
            "Hi5",
            "{[<>]}",
        ];
        for w in words {
            let mut buf = Vec::new();
            pad(w, &mut buf);
            for strip in [false, true] {
                let got = short(&buf, 0, w.len(), strip);
                let stripped = w.trim_matches(|c: char| c.is_ascii_punctuation());
                let token = if !strip || stripped.chars().count() <= 2 {
                    w
                } else {
                    stripped
                };
                let lower = token.to_lowercase();
                assert_eq!(&w[got.start..got.end], token, "{w} strip={strip}");
                let key = if lower.len() <= SHORT_MAX {
                    pack(lower.as_bytes())
                } else {
                    0
                };
                assert_eq!(got.key, key, "{w} strip={strip}");
                assert_eq!(got.upper, py_isupper(token), "{w} strip={strip}");
                assert_eq!(got.nt, lower.contains("n't"), "{w} strip={strip}");
            }
        }
    }
}
