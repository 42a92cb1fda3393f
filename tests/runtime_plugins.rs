//! Plugins loaded at run time, end to end through the `restock` binary: the example library
//! (examples/custom-plugin) built with cargo and loaded by its manifest, a library built for
//! another ABI refused, a panicking library and a crashing process each failing only their own
//! component, and the Python example strategy.
//!
//! The libraries are built once per test process by `cargo build -p …` into this workspace's
//! target folder (next to the `restock` binary under test).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

mod common;

use common::text;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The folder holding the built plugin libraries (the binary's own).
fn plugin_dir() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = Command::new(env!("CARGO"))
            .args([
                "build",
                "-p",
                "restock-example-custom-plugin",
                "-p",
                "restock-plugin-fixture-panicking",
                "-p",
                "restock-plugin-fixture-future-abi",
            ])
            .current_dir(ROOT)
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "building the plugins failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Path::new(env!("CARGO_BIN_EXE_restock"))
            .parent()
            .expect("the binary's folder")
            .to_path_buf()
    })
}

fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: python3 is not on PATH; the process-plugin examples need it");
    }
    ok.then_some("python3")
}

/// Serves `body` as JSON to every request on a loopback port; returns the URL.
fn serve(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}/plan.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// `restock ARGS` with `env` and `RESTOCK_PLUGIN_DIR` set to the built plugins' folder.
fn restock(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = common::command(args);
    command.env("RESTOCK_PLUGIN_DIR", plugin_dir());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the restock binary runs")
}

/// `restock run MANIFEST --out TMP -q` with `env`: asserts the exit code, returns the JSON
/// report (the manifest's `report.json` output).
fn run(manifest: &str, env: &[(&str, &str)], exit: i32) -> serde_json::Value {
    let out_dir = tempfile::tempdir().unwrap();
    let out = restock(
        &[
            "run",
            manifest,
            "--out",
            out_dir.path().to_str().unwrap(),
            "-q",
        ],
        env,
    );
    assert_eq!(out.status.code(), Some(exit), "{}", text(&out.stderr));
    let path = out_dir.path().join("report.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("the report was written"))
        .expect("the report is JSON")
}

/// The report's error diagnostics.
fn errors(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect()
}

const PLAN: &str = r#"{"SKU-A": 6.0, "SKU-B": 0.85, "SKU-C": 0.4, "SKU-D": 0.3}"#;

#[test]
fn the_example_plugin_loads_and_its_model_and_strategy_fill_the_report() {
    let url = serve(PLAN);
    let report = run(
        "examples/custom-plugin/pipeline.toml",
        &[("RESTOCK_PLAN_URL", &url)],
        0,
    );

    // The model's fetched value, as each item's forecast.
    let forecast = &report["outlook"]["items"]["SKU-A"]["forecasts"][0];
    assert_eq!(forecast["model"], "plan");
    assert_eq!(forecast["method"], "http_demand_plan");
    assert_eq!(forecast["points"][0]["mean"], 6.0);
    assert_eq!(forecast["points"][0]["distribution"], "poisson");

    // The strategy's decisions: order up to rate × (lead time + 14 days), in case packs.
    let decisions = report["decisions"].as_array().unwrap();
    let summary: Vec<(String, String, f64, f64)> = decisions
        .iter()
        .map(|d| {
            (
                d["product_id"].as_str().unwrap().to_owned(),
                d["policy"].as_str().unwrap().to_owned(),
                d["order_up_to"].as_f64().unwrap(),
                d["order_quantity"].as_f64().unwrap(),
            )
        })
        .collect();
    let row = |id: &str, s: f64, q: f64| (id.to_owned(), "days_of_cover".to_owned(), s, q);
    assert_eq!(
        summary,
        [
            // 6 × (14 + 14) = 168; position 55 + 40 = 95; 73 short → 7 cases of 12 = 84.
            row("SKU-A", 168.0, 84.0),
            // 0.85 × 21 = 17.85 → 18; position 9.
            row("SKU-B", 18.0, 9.0),
            // 0.4 × 35 = 14; position 2 − 1 backorder = 1; 13 ≥ MOQ 5.
            row("SKU-C", 14.0, 13.0),
            // 0.3 × 21 = 6.3 → 7; nothing on hand.
            row("SKU-D", 7.0, 7.0),
        ]
    );
    assert_eq!(decisions[0]["strategy"], "cover");
    assert!(
        decisions[0]["rationale"]
            .as_str()
            .unwrap()
            .contains("6.00 units/day (forecast of `plan`)"),
        "{}",
        decisions[0]["rationale"]
    );
}

#[test]
fn loaded_types_are_listed_and_validated_like_built_in_ones() {
    let out = restock(
        &["plugins", "examples/custom-plugin/pipeline.toml"],
        &[("RESTOCK_PLAN_URL", "http://127.0.0.1:9/")],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let loaded = stdout
        .split_once("# from [[plugin]] ")
        .expect("a section for the loaded plugin")
        .1;
    assert!(
        loaded.contains("(restock-example-custom-plugin 0.1.0)"),
        "{loaded}"
    );
    assert!(loaded.contains("days_of_cover (strategy): Orders up to the lead time"));
    assert!(loaded.contains("http_demand_plan (model): Fetches a demand plan"));
    assert!(loaded.contains("    target_days"), "{loaded}");

    let out = restock(&["validate", "tests/fixtures/plugins/bad_config.toml"], &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(
        errors,
        [
            "error: tests/fixtures/plugins/bad_config.toml:15:1: model[0] (plan): missing field `url`",
            "error: tests/fixtures/plugins/bad_config.toml:18:1: model[0].ulr (plan): unknown field `ulr`, expected `url` or `delay_ms`",
            "error: tests/fixtures/plugins/bad_config.toml:22:1: strategy.target_days: invalid type: string \"two weeks\", expected f64",
        ],
        "{stderr}"
    );
}

#[test]
fn a_library_built_for_another_abi_is_refused_before_any_of_it_runs() {
    let marker = tempfile::tempdir().unwrap();
    let marker = marker.path().join("called");
    for command in ["validate", "run"] {
        let out = restock(
            &[command, "tests/fixtures/plugins/future_abi.toml"],
            &[("RESTOCK_FIXTURE_MARKER", marker.to_str().unwrap())],
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(
                "tests/fixtures/plugins/future_abi.toml:6:1: plugin[0]: \
                 <value from environment not shown>/"
            ),
            "{stderr}"
        );
        assert!(
            stderr.contains(
                "future_abi_plugin.so: built for plugin ABI version 2, but this restock loads \
                 version 1; nothing of it was run. Rebuild the plugin against restock-plugin"
            ),
            "{stderr}"
        );
        assert!(stderr.contains("nothing was run"), "{stderr}");
        assert!(!marker.exists(), "the refused library's code ran");
    }
}

#[test]
fn a_panicking_library_fails_its_own_component_and_the_run_completes() {
    let url = serve(PLAN);
    // Exit 3: completed and wrote its outputs, with an error diagnostic.
    let report = run(
        "tests/fixtures/plugins/panicking.toml",
        &[("RESTOCK_PLAN_URL", &url)],
        3,
    );
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["component"], "boom");
    assert_eq!(
        errors[0]["message"],
        "the model failed and added nothing: plugin `restock-plugin-fixture-panicking` \
         panicked: the fixture model panics on purpose"
    );
    // The other plugin's model and strategy ran after it.
    assert_eq!(report["decisions"].as_array().unwrap().len(), 4);
    assert_eq!(report["summary"]["items_assessed"], 4);
}

#[test]
fn a_process_plugin_that_exits_mid_call_fails_its_own_component_and_the_run_completes() {
    if python().is_none() {
        return;
    }
    let report = run("tests/fixtures/plugins/exits_mid_call.toml", &[], 3);
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["component"], "crashing");
    assert_eq!(
        errors[0]["message"],
        "the strategy failed: no decisions were made: plugin `exits-mid-call` exited: the \
         process `python3 exits_mid_call.py` ended before answering (exit status: 3)"
    );
    assert_eq!(report["decisions"].as_array().unwrap().len(), 0);
    assert_eq!(report["summary"]["records"]["stock"], 4);
}

#[test]
fn a_process_plugin_that_never_answers_times_out_and_is_stopped() {
    if python().is_none() {
        return;
    }
    plugin_dir(); // built before the clock starts
    let started = std::time::Instant::now();
    let report = run("tests/fixtures/plugins/never_answers.toml", &[], 3);
    // timeout_seconds = 1, then at most a second's grace before the process is killed: restock
    // does not wait for the hour the fixture sleeps.
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert_eq!(
        report["diagnostics"][0]["message"],
        "the strategy failed: no decisions were made: plugin `exits-mid-call` timed out: no \
         answer within 1 s"
    );
}

#[test]
fn a_process_plugin_printing_to_stdout_is_refused_at_once_with_the_likely_cause() {
    if python().is_none() {
        return;
    }
    plugin_dir(); // built before the clock starts
    let started = std::time::Instant::now();
    let out = restock(&["validate", "tests/fixtures/plugins/chatty.toml"], &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "chatty.toml:6:1: plugin[0]: python3 chatty.py: `python3 chatty.py` does not speak \
             Restock's plugin protocol: a frame of 1400136050 bytes was announced (its first 4 \
             bytes, \"Star\"), over the 1073741824-byte limit (is it printing to stdout?"
        ),
        "{stderr}"
    );
    // Not the hello timeout: the answer is read, and refused, as soon as it comes.
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[test]
fn the_python_example_strategy_decides_through_the_process_protocol() {
    if python().is_none() {
        return;
    }
    let report = run("examples/custom-plugin/pipeline-python.toml", &[], 0);
    let orders: Vec<(&str, &str, f64)> = report["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["product_id"].as_str().unwrap(),
                d["action"].as_str().unwrap(),
                d["order_quantity"].as_f64().unwrap(),
            )
        })
        .collect();
    // min 20, max 60; positions 95, 9, 1 (2 on hand − 1 owed), 0.
    assert_eq!(
        orders,
        [
            ("SKU-A", "hold", 0.0),
            ("SKU-B", "order", 51.0),
            ("SKU-C", "order", 59.0),
            ("SKU-D", "order", 60.0),
        ]
    );
}

#[test]
fn the_custom_plugin_examples_snapshot_with_the_kit() {
    let url = serve(PLAN);
    let python = python().is_some();
    restock_testkit::glob!("examples/custom-plugin", |path| {
        if python || !path.ends_with("pipeline-python.toml") {
            let run = restock_testkit::Kit::new()
                .env("RESTOCK_PLUGIN_DIR", plugin_dir().to_str().unwrap())
                .env("RESTOCK_PLAN_URL", &url)
                .run(path)
                .unwrap();
            restock_testkit::assert_report_snapshot!(run.report);
        }
    });
}

#[test]
fn a_plugin_folder_loads_every_library_in_it() {
    let folder = tempfile::tempdir().unwrap();
    for name in ["custom_plugin", "panicking_plugin"] {
        let file = format!(
            "{}{name}{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        );
        std::fs::copy(plugin_dir().join(&file), folder.path().join(&file)).unwrap();
    }
    std::fs::write(folder.path().join("README.txt"), "not a library").unwrap();
    let manifest = folder.path().join("pipeline.toml");
    std::fs::write(
        &manifest,
        "[pipeline]\nname = \"folder\"\nas_of = \"2024-03-06\"\n\n[[plugin]]\npath = \".\"\n",
    )
    .unwrap();
    let out = restock(&["plugins", manifest.to_str().unwrap()], &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let loaded = stdout.split_once("# from [[plugin]] ").unwrap().1;
    assert!(
        loaded.contains("(restock-example-custom-plugin 0.1.0)"),
        "{loaded}"
    );
    assert!(
        loaded.contains("(restock-plugin-fixture-panicking 0.1.0)"),
        "{loaded}"
    );
    for type_name in ["days_of_cover", "http_demand_plan", "panicking_model"] {
        assert!(
            loaded.contains(&format!("{type_name} (")),
            "{type_name}: {loaded}"
        );
    }
}

#[test]
fn a_strategy_deciding_about_unknown_or_repeated_items_is_warned_about_and_kept() {
    if python().is_none() {
        return;
    }
    let report = run("tests/fixtures/plugins/stray_decisions.toml", &[], 0);
    let ids: Vec<&str> = report["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["product_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["SKU-A", "SKU-A", "SKU-Z"]);
    let warnings: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| (d["item"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "SKU-A",
                "a second decision for the same item: both are in the outputs"
            ),
            (
                "SKU-Z",
                "a decision about an item this run has no data for (not in the models' outlook, \
                 the products, stock or sales): check the strategy's item ids"
            ),
        ]
    );
}

#[test]
fn a_process_plugin_that_cannot_start_says_where_its_program_was_looked_for() {
    let out = restock(
        &["validate", "tests/fixtures/plugins/missing_command.toml"],
        &[],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "missing_command.toml:8:1: plugin[0]: cannot start `./no-such-policy --fast`: No such \
             file or directory (os error 2) (looked for tests/fixtures/plugins/no-such-policy)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "missing_command.toml:11:1: plugin[1].command: the command is empty: give the program \
             and its arguments"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "missing_command.toml:14:1: plugin[2]: cannot start `restock-no-such-program`: No \
             such file or directory (os error 2) (`restock-no-such-program` is looked up on PATH)"
        ),
        "{stderr}"
    );
}
