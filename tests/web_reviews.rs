//! `examples/web-reviews/`, run as its README says: the two saved Amazon pages replayed from
//! the example's `snapshots/` (offline: nothing listens and nothing is requested), 20 reviews
//! scored by the lexicon model and written out.

use std::process::Command;

#[test]
fn web_reviews_example_runs_offline_from_its_snapshots() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_restock"))
        .args(["run", "examples/web-reviews/pipeline.toml", "--out"])
        .arg(out_dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .output()
        .expect("the restock binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.path().join("report.json")).unwrap())
            .unwrap();
    let summary = &report["summary"];
    assert_eq!(summary["records"]["documents"], 20, "{summary}");
    assert_eq!(summary["quarantined"], 0, "{summary}");
    let stages: Vec<(&str, u64)> = summary["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["component"].as_str().unwrap(),
                s["records_out"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("amazon-en", 10),
            ("amazon-it", 10),
            ("as_of", 20),
            ("lexicon_sentiment#0", 20)
        ]
    );

    // Sentiment per product: ten reviews each, the English page clearly positive.
    let items = &report["outlook"]["items"];
    for product in ["B0BBPNPZTC", "B07747FR44"] {
        assert_eq!(items[product]["sentiment"]["documents"], 10, "{product}");
    }
    assert!(
        items["B0BBPNPZTC"]["sentiment"]["mean_compound"]
            .as_f64()
            .unwrap()
            > 0.5
    );

    // Every document keeps its page's URL and position; the CSV lists all 20.
    let documents = std::fs::read_to_string(out_dir.path().join("documents.csv")).unwrap();
    let from = |url: &str| documents.matches(&format!(",{url},")).count();
    assert_eq!(
        from("http://127.0.0.1:8731/product-reviews/B0BBPNPZTC/"),
        10
    );
    assert_eq!(
        from("http://127.0.0.1:8731/product-reviews/B07747FR44/"),
        10
    );
    for file in ["summary.md", "quarantine.jsonl"] {
        assert!(out_dir.path().join(file).is_file(), "{file}");
    }
}
