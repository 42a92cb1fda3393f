//! End-to-end tests of the `restock` binary, run the way a user runs it.

use std::path::Path;

mod common;

use common::{restock, text};

#[test]
fn validate_reports_every_mistake_with_file_line_and_column() {
    let out = restock(&["validate", "tests/fixtures/bad_manifest.toml"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: tests/fixtures/bad_manifest.toml:8:1: collect[0].pth: unknown field `pth`, expected one of `records`, `path`, `columns`, `extra`, `kind`, `delimiter`, `encoding`, `date_format`, `join`, `period`, `distribution`, `missing_values` (did you mean `path`?)",
            "error: tests/fixtures/bad_manifest.toml:12:10: model[0].window: invalid type: string \"twenty-six\", expected usize",
            "error: tests/fixtures/bad_manifest.toml:15:8: strategy.type: unknown strategy type `reorder_pont` (did you mean `reorder_point`?); known: base_stock, eoq, r_q, r_s, reorder_point, s_s, wagner_whitin",
        ],
        "{stderr}"
    );
}

#[test]
fn validate_reports_every_backtest_mistake_at_its_key() {
    let out = restock(&["validate", "tests/fixtures/bad_backtest.toml"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: tests/fixtures/bad_backtest.toml:7:11: backtest.origins: must be at least 1",
            "error: tests/fixtures/bad_backtest.toml:8:1: backtest.horizn: unknown field `horizn`, expected one of `origins`, `step`, `horizon`, `scale_season`, `quantiles` (did you mean `horizon`?)",
            "error: tests/fixtures/bad_backtest.toml:9:19: backtest.quantiles[1]: a quantile level must be in (0, 1)",
        ],
        "{stderr}"
    );
}

#[test]
fn a_run_with_a_failed_item_completes_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let out = restock(&[
        "run",
        "tests/fixtures/item_failure/pipeline.toml",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("completed with 1 error"), "{stderr}");
    assert!(text(&out.stdout).contains("[BAD]"), "the failure is named");
    let decisions = std::fs::read_to_string(dir.path().join("decisions.csv")).unwrap();
    assert!(
        decisions.lines().any(|l| l.starts_with("GOOD,")),
        "{decisions}"
    );
    assert!(
        !decisions.lines().any(|l| l.starts_with("BAD,")),
        "{decisions}"
    );
}

#[test]
fn validate_refuses_a_strategy_reading_a_model_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string("examples/carparts/pipeline.toml")
        .unwrap()
        .replace("forecast = \"auto\"", "forecast = \"autoo\"");
    let path = dir.path().join("pipeline.toml");
    std::fs::write(&path, manifest).unwrap();
    let out = restock(&["validate", path.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("strategy.forecast: no [[model]] is named `autoo` (did you mean `auto`?)"),
        "{stderr}"
    );
}

#[test]
fn validate_accepts_the_example() {
    let out = restock(&["validate", "examples/olist/pipeline.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok"));
}

#[test]
fn plan_prices_the_llm_example_without_a_network_call() {
    // The base URL points at a port that never accepts: afterwards nothing has connected.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    let out = common::command(&["plan", "examples/olist/pipeline-llm.toml"])
        .env("RESTOCK_LLM_BASE_URL", &base_url)
        .env("OPENAI_API_KEY", "sk-test-plan-0123456789")
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let value = |label: &str| -> u64 {
        let line = stdout
            .lines()
            .find_map(|l| l.trim_start().strip_prefix(label))
            .unwrap_or_else(|| panic!("no `{label}` line in:\n{stdout}"));
        let number = line.trim_start().split(' ').next().unwrap();
        number.parse().unwrap_or_else(|_| panic!("`{line}`"))
    };
    assert!(value("items") >= 50, "{stdout}");
    assert!(value("requests") >= value("items"), "{stdout}");
    assert!(value("input tokens") > 0, "{stdout}");
    assert!(stdout.contains("  output tokens    at most "), "{stdout}");
    assert!(stdout.contains("  estimated cost   at most "), "{stdout}");
    assert!(stdout.contains(&format!("at {base_url}")), "{stdout}");
    assert!(stdout.contains("No network call was made"), "{stdout}");
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "restock plan connected to the server"
    );
    assert!(!stdout.contains("sk-test-plan") && !stderr.contains("sk-test-plan"));
}

#[test]
fn unreadable_rows_are_quarantined_and_the_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let out = restock(&[
        "run",
        "tests/fixtures/quarantine.toml",
        "--out",
        out_dir,
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let quarantine = std::fs::read_to_string(dir.path().join("quarantine.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = quarantine
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let lines: Vec<u64> = rows
        .iter()
        .map(|r| r["location"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4, 6], "{quarantine}");
    assert!(
        rows[0]["reason"]
            .as_str()
            .unwrap()
            .contains("expected 4 fields, found 3")
    );
    assert!(rows[1]["reason"].as_str().unwrap().contains("quantity"));
    assert!(rows[2]["reason"].as_str().unwrap().contains("date"));

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    let sales = &report["summary"]["stages"][0];
    assert_eq!(sales["component"], "sales");
    let data_rows = std::fs::read_to_string("tests/fixtures/sales_with_bad_rows.csv")
        .unwrap()
        .lines()
        .count()
        - 1;
    let read = sales["records_in"].as_u64().unwrap() as usize;
    let quarantined = sales["quarantined"].as_u64().unwrap() as usize;
    assert_eq!((read, quarantined), (3, 3));
    assert_eq!(read + quarantined, data_rows);
    assert_eq!(report["summary"]["quarantined"], 3);
}

#[test]
fn plugins_lists_every_type_with_its_keys() {
    let out = restock(&["plugins"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    for t in [
        "csv (collector)",
        "jsonl (collector)",
        "normalize_text (preprocessor)",
        "sales_trend (model)",
        "reorder_point (strategy)",
        "json (output)",
        "markdown (output)",
    ] {
        assert!(stdout.contains(t), "{t} missing from:\n{stdout}");
    }
    assert!(stdout.contains("service_level"));
    assert!(stdout.contains("default 0.95"));
}

#[test]
fn a_missing_environment_variable_is_named_and_values_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("env.toml");
    std::fs::write(
        &manifest,
        "[pipeline]\nname = \"${PIPELINE_NAME}\"\nas_of = \"2018-09-01\"\n\n[strategy]\ntype = \"reorder_point\"\nservice_level = \"${RESTOCK_TEST_LEVEL}\"\nreview_period_days = \"${RESTOCK_TEST_UNSET_VAR}\"\n",
    )
    .unwrap();
    let out = common::command(&["validate", manifest.to_str().unwrap()])
        .env("PIPELINE_NAME", "named")
        .env("RESTOCK_TEST_LEVEL", "sk-secret-value")
        .env_remove("RESTOCK_TEST_UNSET_VAR")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(":8:22: strategy.review_period_days: environment variable RESTOCK_TEST_UNSET_VAR is not set"), "{stderr}");
    assert!(
        stderr.contains(":7:17: strategy.service_level: invalid type"),
        "{stderr}"
    );
    assert!(!stderr.contains("sk-secret-value"), "{stderr}");
    assert!(Path::new(&manifest).exists());
}

fn write_manifest(dir: &Path, text: &str) -> String {
    let path = dir.join("pipeline.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn regression_outputs_may_not_overwrite_each_other_or_the_quarantine_file() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(
        dir.path(),
        "[pipeline]\nname = \"o\"\nas_of = \"2018-09-01\"\n\n\
         [[collect]]\ntype = \"csv\"\nrecords = \"sales\"\npath = \"sales.csv\"\n\n\
         [[output]]\ntype = \"csv\"\ntable = \"decisions\"\npath = \"out.csv\"\n\n\
         [[output]]\ntype = \"csv\"\ntable = \"products\"\npath = \"out.csv\"\n\n\
         [[output]]\ntype = \"json\"\npath = \"quarantine.jsonl\"\n\n\
         [[plugin]]\npath = \"libx.so\"\n",
    );
    std::fs::write(
        dir.path().join("sales.csv"),
        "product_id,date\np,2018-01-01\n",
    )
    .unwrap();
    let out = restock(&["validate", &manifest]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // An unnamed collector `csv` and an unnamed output `csv` do not clash.
    assert!(!stderr.contains("used twice"), "{stderr}");
    assert!(
        stderr.contains(":18:1: output[1].path: `out.csv` is also written by output[0]"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            ":22:1: output[2].path: `quarantine.jsonl` is where unreadable rows are written"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(":24:1: plugin[0]: ")
            && stderr.contains("libx.so: no such file (build the plugin first"),
        "{stderr}"
    );
}

#[test]
fn regression_secrets_never_appear_in_plugin_build_errors() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(
        dir.path(),
        "[pipeline]\nname = \"s\"\nas_of = \"2018-09-01\"\n\n\
         [[collect]]\ntype = \"csv\"\nrecords = \"sales\"\npath = \"${RESTOCK_TEST_SECRET_PATH}\"\nencoding = \"${RESTOCK_TEST_SECRET}\"\n",
    );
    let out = common::command(&["validate", &manifest])
        .env("RESTOCK_TEST_SECRET", "sk-SECRET-xyz789")
        .env("RESTOCK_TEST_SECRET_PATH", "sk-PATH-secret.csv")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("collect[0].encoding"), "{stderr}");
    assert!(stderr.contains("collect[0].path"), "{stderr}");
    assert!(!stderr.contains("SECRET"), "{stderr}");
}

#[test]
fn regression_stock_keyed_by_product_under_category_grouping_is_reported_not_promoted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sales.csv"),
        "product_id,date,quantity\nA,2018-08-01,20\nA,2018-08-08,19\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("products.csv"), "id,category\nA,toys\n").unwrap();
    std::fs::write(
        dir.path().join("stock.csv"),
        "product_id,on_hand,lead_time_days\nA,5,7\n",
    )
    .unwrap();
    let manifest = write_manifest(
        dir.path(),
        "[pipeline]\nname = \"g\"\nas_of = \"2018-09-01\"\n\n\
         [[collect]]\ntype = \"csv\"\nrecords = \"sales\"\npath = \"sales.csv\"\n\n\
         [[collect]]\ntype = \"csv\"\nrecords = \"products\"\npath = \"products.csv\"\n\n\
         [[collect]]\nname = \"stock\"\ntype = \"csv\"\nrecords = \"stock\"\npath = \"stock.csv\"\n\n\
         [[model]]\ntype = \"sales_trend\"\ngroup_by = \"category\"\n\n\
         [strategy]\ntype = \"reorder_point\"\n\n\
         [[output]]\ntype = \"json\"\npath = \"report.json\"\n",
    );
    let out = restock(&["run", &manifest]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .contains("warning: reorder_point#0 [A]: stock position for an item no model assessed"),
        "{stdout}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    assert_eq!(report["decisions"], serde_json::json!([]));
}

#[test]
fn regression_an_unset_variable_is_one_error_not_two() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write_manifest(
        dir.path(),
        "[pipeline]\nname = \"run-${RESTOCK_TEST_NEVER_SET}\"\nas_of = \"2018-09-01\"\n",
    );
    let out = common::command(&["validate", &manifest])
        .env_remove("RESTOCK_TEST_NEVER_SET")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            ":2:8: pipeline.name: environment variable RESTOCK_TEST_NEVER_SET is not set"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("missing field"), "{stderr}");
    assert!(stderr.contains("1 error in the manifest"), "{stderr}");
}
