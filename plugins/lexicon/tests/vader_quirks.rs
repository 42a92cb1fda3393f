//! The references' quirks, reproduced on purpose, and the one deliberate deviation
//! (`Options::normalize_emoji`). Values are the references' own output (see
//! `tests/data/vader/make_reference.py`, which also writes `expected_quirks.tsv`).

use std::path::Path;

use restock_core::SentimentScores;
use restock_lexicon::vader::{Analyzer, Language, Options};

const EXACT: Options = Options {
    normalize_emoji: false,
};

fn english() -> Analyzer {
    Analyzer::new(Language::English, EXACT)
}

fn portuguese() -> Analyzer {
    Analyzer::new(Language::Portuguese, EXACT)
}

fn scores(neg: f64, neu: f64, pos: f64, compound: f64) -> SentimentScores {
    SentimentScores {
        neg,
        neu,
        pos,
        compound,
    }
}

#[test]
fn negated_superlative_is_positive() {
    // "Not" negates "worst" (−3.1 × −0.74).
    assert_eq!(
        english().polarity_scores("Not the worst blender I've owned"),
        scores(0.0, 0.603, 0.397, 0.5096)
    );
}

#[test]
fn but_halves_before_and_boosts_after_and_dont_needs_no_apostrophe() {
    let want = scores(0.215, 0.564, 0.221, 0.021);
    let en = english();
    assert_eq!(
        en.polarity_scores("Really love the lotion but dont like its smell"),
        want
    );
    assert_eq!(
        en.polarity_scores("Really love the lotion but don't like its smell"),
        want
    );
}

#[test]
fn short_words_keep_their_punctuation() {
    // Stripping punctuation is undone when it leaves 2 characters or fewer, so "no." and
    // "ok..." are not the lexicon words "no" and "ok".
    let en = english();
    assert_eq!(en.polarity_scores("ok...").compound, 0.0);
    assert_eq!(en.polarity_scores("no.").compound, 0.0);
    assert_eq!(en.polarity_scores("no").compound, -0.296);
}

#[test]
fn so_right_before_a_word_intensifies_even_without_never() {
    // `_negation_check` parses `never and so or so` as `(never and so) or so`.
    let en = english();
    assert_eq!(en.polarity_scores("I am so happy").compound, 0.6948);
    assert_eq!(
        en.polarity_scores("Sentiment analysis has never been this good!")
            .compound,
        0.5672
    );
}

#[test]
fn but_rescales_by_value_not_position() {
    // `sentiments.index(value)` finds the first equal value, so with a repeated valence the
    // first occurrence is rescaled twice and the second not at all.
    let en = english();
    assert_eq!(en.polarity_scores("good but good but bad").compound, 0.0129);
    assert_eq!(
        en.polarity_scores("good good but bad bad").compound,
        -0.8225
    );
}

#[test]
fn emoji_description_runs_into_the_next_word() {
    // No space is added after a description: "😍so" becomes "smiling face with heart-eyesso".
    assert_eq!(
        english().polarity_scores("I love it😍so much").compound,
        0.802
    );
}

#[test]
fn leia_drops_emoji_and_does_not_negate_nao() {
    let pt = portuguese();
    // Folding to ASCII removes every emoji before the emoji lookup.
    assert_eq!(
        pt.polarity_scores("Adorei 😍😍"),
        scores(0.0, 1.0, 0.0, 0.0)
    );
    // "nao" is a lexicon word (−1.2), so it never acts as a negation of the next word.
    assert_eq!(pt.polarity_scores("Eu não estou feliz").compound, 0.4404);
    // Only "mas" is a contrastive conjunction ("porém" is folded to "porem" and never tested).
    assert_eq!(
        pt.polarity_scores("produto bom mas a entrega atrasou")
            .compound,
        0.2263
    );
    assert_eq!(
        pt.polarity_scores("produto bom porém a entrega atrasou")
            .compound,
        0.4215
    );
}

#[test]
fn normalize_emoji_scores_variation_selector_hearts_like_plain_ones() {
    let exact = english();
    let normalized = Analyzer::new(Language::English, Options::default());
    assert!(Options::default().normalize_emoji);

    // The reference: "❤️" is U+2764 U+FE0F; U+2764 becomes "red heart", the selector sticks
    // to "heart", and "heart\u{fe0f}" is not in the lexicon.
    assert_eq!(
        exact.polarity_scores("❤"),
        scores(0.0, 0.192, 0.808, 0.6369)
    );
    assert_eq!(exact.polarity_scores("❤️"), scores(0.0, 1.0, 0.0, 0.0));
    assert_eq!(exact.polarity_scores("I ❤️ this").compound, 0.0);

    // The deviation: both spellings score as "❤".
    assert_eq!(normalized.polarity_scores("❤️"), exact.polarity_scores("❤"));
    assert_eq!(
        normalized.polarity_scores("I ❤️ this"),
        exact.polarity_scores("I ❤ this")
    );
    assert_eq!(normalized.polarity_scores("I ❤️ this").compound, 0.6369);
    // Text without emoji is unaffected.
    let plain =
        "The plot was good, but the characters are uncompelling and the dialog is not great.";
    assert_eq!(
        normalized.polarity_scores(plain),
        exact.polarity_scores(plain)
    );

    // Portuguese is the same either way: LeIA removes emoji before looking them up.
    let pt_norm = Analyzer::new(Language::Portuguese, Options::default());
    assert_eq!(
        pt_norm.polarity_scores("Adorei ❤️"),
        portuguese().polarity_scores("Adorei ❤️")
    );
}

#[test]
fn all_quirk_sentences_match_the_references() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vader/expected_quirks.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let (en, pt) = (english(), portuguese());
    let mut failures = Vec::new();
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.splitn(6, '\t').collect();
        let want: Vec<f64> = f[1..5].iter().map(|s| s.parse().unwrap()).collect();
        let sentence: String = serde_json::from_str(f[5]).unwrap();
        let analyzer = match f[0] {
            "en" => &en,
            "pt" => &pt,
            other => panic!("unknown language {other}"),
        };
        let s = analyzer.polarity_scores(&sentence);
        let got = [s.neg, s.neu, s.pos, s.compound];
        if got.iter().zip(&want).any(|(g, w)| (g - w).abs() > 1e-4) {
            failures.push(format!(
                "{}: {sentence:?}: got {got:?}, expected {want:?}",
                f[0]
            ));
        }
        n += 1;
    }
    assert!(n >= 80, "only {n} quirk sentences read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn analyzers_share_lexicons_and_agree_across_threads() {
    let sentence = "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!";
    let want = english().polarity_scores(sentence);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                Analyzer::new(Language::English, EXACT).polarity_scores(sentence)
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), want);
    }
    // Creating another analyser is cheap once the lexicon is parsed.
    let start = std::time::Instant::now();
    for _ in 0..1000 {
        std::hint::black_box(Analyzer::new(Language::English, EXACT));
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn long_texts_score_like_python_and_leave_later_scores_alone() {
    let en = english();
    // 20,000 words: the compound saturates (rounded to 1.0 as Python rounds it).
    let long = "good ".repeat(20_000);
    let s = en.polarity_scores(&long);
    assert_eq!((s.neg, s.neu, s.pos, s.compound), (0.0, 0.0, 1.0, 1.0));
    assert_eq!(
        en.polarity_scores("Not the worst blender I've owned"),
        scores(0.0, 0.603, 0.397, 0.5096)
    );
}
