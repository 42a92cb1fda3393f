//! The bundled example, run as the README says, with its report snapshot-tested.

use std::path::Path;
use std::sync::Arc;

use restock_runner::report::to_rounded_json;
use restock_runner::{RunOptions, load, run};

fn run_example(out_dir: &Path) -> restock_runner::RunOutcome {
    let registry = restock::builtin_registry();
    // The example uses no environment variables; none may leak in.
    let pipeline = load(
        Path::new("examples/olist/pipeline.toml"),
        &registry,
        &|_| None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // A fresh cache, as on a new clone: no adjustment gates from a local `restock backtest`.
    let mut pipeline = pipeline;
    pipeline.manifest.pipeline.cache_dir = out_dir.join("cache");
    let options = RunOptions {
        out_dir: Some(out_dir.to_path_buf()),
        progress: Arc::new(restock_runner::progress::TerminalProgress::new(false)),
        secrets: Arc::new(|_| None),
    };
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(run(pipeline, options))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn olist_example_report() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_example(dir.path());
    let report = &outcome.report;

    // The acceptance line: decisions for at least 20 categories, nothing quarantined.
    assert!(
        report.decisions.len() >= 20,
        "{} decisions",
        report.decisions.len()
    );
    assert_eq!(report.summary.quarantined, 0);
    assert_eq!(report.outlook.grouping, restock_core::Grouping::Category);
    // Every review row is accounted for: 3,986 reviews, 119 of which name two or more
    // different products (one document each).
    let reviews = &report.summary.stages[0];
    assert_eq!(
        (reviews.component.as_str(), reviews.records_in),
        ("reviews", 4122)
    );

    // The JSON written is the report, rounded.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(written, to_rounded_json(report));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("quarantine.jsonl")).unwrap(),
        ""
    );

    // Wall-clock seconds are the one thing that varies between runs.
    insta::assert_json_snapshot!("olist_report", written, {
        ".timings" => "[timings]",
    });
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    insta::assert_snapshot!("olist_summary_md", summary);
    let decisions = std::fs::read_to_string(dir.path().join("decisions.csv")).unwrap();
    insta::assert_snapshot!("olist_decisions_csv", decisions);
}

#[test]
fn olist_example_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let mut first = to_rounded_json(&run_example(a.path()).report);
    let mut second = to_rounded_json(&run_example(b.path()).report);
    first["timings"] = serde_json::Value::Null;
    second["timings"] = serde_json::Value::Null;
    assert_eq!(first, second);
}
