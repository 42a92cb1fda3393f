//! The kit on a real example: the planner-forecast (s, S) manifest, run sandboxed and
//! snapshotted with the standard redactions; and the kit's registry equal to the binary's.

use std::path::Path;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/planner-forecast/pipeline.toml"
);

#[test]
fn planner_forecast_report_snapshot() {
    let report = restock_testkit::run_manifest(EXAMPLE);
    assert_eq!(report.decisions.len(), 4);
    restock_testkit::assert_report_snapshot!("planner_forecast_s_s", report);
}

#[test]
fn outputs_go_to_a_temporary_folder_not_the_example() {
    let run = restock_testkit::Kit::new().run(EXAMPLE).unwrap();
    assert!(run.out_dir.path().join("s_s/decisions.csv").is_file());
    assert!(run.out_dir.path().join("quarantine.jsonl").is_file());
    let example = Path::new(EXAMPLE).parent().unwrap();
    assert!(
        !example.join("s_s").exists(),
        "nothing written next to the manifest"
    );
    assert!(!example.join(".restock-cache").exists());
}

#[test]
fn timings_are_redacted_and_floats_rounded() {
    let report = restock_testkit::run_manifest(EXAMPLE);
    let json = restock_testkit::redacted(&report);
    assert_eq!(json["timings"], "[timings]");
    assert_eq!(json, restock_testkit::redacted(&report));
}

#[test]
fn a_manifest_mistake_is_reported_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "[pipeline]\nname = \"x\"\nas_of = \"2024-01-01\"\n\n[[collect]]\ntype = \"csvv\"\n",
    )
    .unwrap();
    let error = restock_testkit::Kit::new().run(&path).unwrap_err();
    assert!(error.contains("bad.toml"), "{error}");
    assert!(error.contains("csvv"), "{error}");
}

#[test]
fn the_kit_registers_the_same_models_as_the_binary() {
    let names = |registry: &restock_core::Registry| {
        registry
            .plugins()
            .into_iter()
            .filter(|(kind, _)| *kind == restock_core::ComponentKind::Model)
            .map(|(kind, info)| format!("{} {}", kind.as_str(), info.type_name))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&restock_testkit::registry(restock_testkit::LlmMode::Replay)),
        names(&restock::builtin_registry())
    );
}

#[test]
fn replay_is_the_default_and_a_missing_cassette_stops_the_run_before_anything_runs() {
    if std::env::var_os(restock_testkit::LLM_MODE_VARIABLE).is_some() {
        return; // the mode is the caller's choice
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("reviews.csv"),
        "id,product_id,text,created_at\nr1,p1,Great,2024-01-02\n",
    )
    .unwrap();
    let path = dir.path().join("llm.toml");
    std::fs::write(
        &path,
        r#"[pipeline]
name = "llm"
as_of = "2024-02-01"

[[collect]]
type = "csv"
records = "documents"
path = "reviews.csv"

[[model]]
name = "llm"
type = "openai_chat"
base_url = "http://127.0.0.1:9/v1"
model = "gpt-4o-mini"
api_key = "${OPENAI_API_KEY}"
cassette = "cassettes/none.jsonl"
"#,
    )
    .unwrap();
    let error = restock_testkit::Kit::new().run(&path).unwrap_err();
    assert!(error.contains("cassette"), "{error}");
    assert!(error.contains("none.jsonl"), "{error}");
}
