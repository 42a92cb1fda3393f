//! Throughput of the VADER port: documents per second, single thread.
//!
//! English is measured on the 23,703 VADER ground-truth texts (the texts
//! `benches/reference_throughput.py` times vaderSentiment 3.3.2 on; `benches/compare.sh` runs
//! both and prints the ratio), Portuguese on the 2,100 Olist review titles and messages.
//! Sample counts are kept small so `cargo bench -p restock-lexicon` takes about a minute.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restock_lexicon::vader::{Analyzer, Language, Options};

fn ground_truth_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vader");
    let mut texts = Vec::new();
    for file in [
        "tweets_GroundTruth.txt",
        "movieReviewSnippets_GroundTruth.txt",
        "amazonReviewSnippets_GroundTruth.txt",
        "nytEditorialSnippets_GroundTruth.txt",
    ] {
        let data = std::fs::read_to_string(dir.join(file)).unwrap();
        for line in data.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Some(text) = line.splitn(3, '\t').nth(2) {
                texts.push(text.to_string());
            }
        }
    }
    assert_eq!(texts.len(), 23_703);
    texts
}

fn olist_texts() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/olist/data/olist_order_reviews_dataset.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut texts = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        // review_comment_title, review_comment_message
        for c in [3, 4] {
            if !record[c].is_empty() {
                texts.push(record[c].to_string());
            }
        }
    }
    texts
}

fn score_all(analyzer: &Analyzer, texts: &[String]) {
    for t in texts {
        black_box(analyzer.polarity_scores(black_box(t)));
    }
}

fn bench(c: &mut Criterion) {
    let en = ground_truth_texts();
    let pt = olist_texts();
    let mut group = c.benchmark_group("vader");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));

    group.throughput(Throughput::Elements(en.len() as u64));
    let exact = Analyzer::new(
        Language::English,
        Options {
            normalize_emoji: false,
        },
    );
    group.bench_function("english_ground_truth", |b| {
        b.iter(|| score_all(&exact, &en))
    });
    let default = Analyzer::new(Language::English, Options::default());
    group.bench_function("english_ground_truth_normalize_emoji", |b| {
        b.iter(|| score_all(&default, &en))
    });

    group.throughput(Throughput::Elements(pt.len() as u64));
    let leia = Analyzer::new(Language::Portuguese, Options::default());
    group.bench_function("portuguese_olist", |b| b.iter(|| score_all(&leia, &pt)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
