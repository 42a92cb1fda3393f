//! `restock test MANIFEST`: the manifest's `[[tests]]` run as a user runs them
//! (docs/manifest-tests.md). The fixtures are in `tests/fixtures/manifest_tests/`: A has a
//! normal demand of 10 ± 0 a week and B a Poisson demand of 4 a week, both with a one-week lead
//! time, so base stock protects two weeks: S = 20 for A, and for B the 95% quantile of
//! Poisson(8), 13 (P(X ≤ 12) = 0.936, P(X ≤ 13) = 0.966).

mod common;

use common::{restock, text};

#[test]
fn one_passing_and_one_failing_test_exit_1_with_the_diff() {
    let out = restock(&["test", "tests/fixtures/manifest_tests/one_fails.toml"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    // A with 8 on hand orders S 20 − 8 = 12, not the 20 expected; B with nothing on hand orders
    // too, so two decisions are orders, not one.
    assert_eq!(
        stdout,
        "\
PASS orders up to the base-stock level
FAIL forgets what is on hand
  tests[1].outputs[0].conditions[0] (tests/fixtures/manifest_tests/one_fails.toml:62)
    decision for A: order_quantity
    - expected: 20
    + actual:   12
  tests[1].outputs[0].conditions[1] (tests/fixtures/manifest_tests/one_fails.toml:67)
    count of records in the output of `policy` where { action = \"order\" }
    - expected: 1
    + actual:   2
        decision for A
        decision for B
1 passed, 1 failed
"
    );
}

#[test]
fn a_manifest_whose_tests_all_pass_exits_0_and_writes_nothing() {
    let out = restock(&["test", "tests/fixtures/manifest_tests/pipeline.toml"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        stdout,
        "PASS orders up to the base-stock level\n\
         PASS stock positions from a fixture file\n\
         2 passed, 0 failed\n"
    );
    // The run's outputs (out_dir "out" by default) are not written by a test.
    assert!(!std::path::Path::new("tests/fixtures/manifest_tests/out").exists());
}

#[test]
fn the_same_manifest_still_runs_as_a_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let out = restock(&[
        "run",
        "tests/fixtures/manifest_tests/pipeline.toml",
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let decisions = std::fs::read_to_string(dir.path().join("decisions.csv")).unwrap();
    // stock.csv holds 30 of each: both hold.
    assert!(decisions.contains("\nA,base_stock,hold,0,"), "{decisions}");
    assert!(decisions.contains("\nB,base_stock,hold,0,"), "{decisions}");
}

#[test]
fn unknown_component_names_and_bad_rows_are_manifest_errors_at_their_keys() {
    for command in ["test", "validate"] {
        let out = restock(&[command, "tests/fixtures/manifest_tests/bad_names.toml"]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(
            errors,
            [
                "error: tests/fixtures/manifest_tests/bad_names.toml:19:13: tests[0].inputs[0].insert_at: no component is named `stocks` (did you mean `stock`?); components: stock, policy",
                "error: tests/fixtures/manifest_tests/bad_names.toml:22:3: tests[0].inputs[0].rows[0]: test `names a component that does not exist`: row 0 is not a stock position record: invalid type: string \"five\", expected f64",
                "error: tests/fixtures/manifest_tests/bad_names.toml:26:16: tests[0].outputs[0].extract_from: no component is named `polcy` (did you mean `policy`?); components: stock, policy",
                "error: tests/fixtures/manifest_tests/bad_names.toml:28:1: tests[0].outputs[0].conditions[0]: a condition is either `field` with `equals` (and optionally `within`), or `count` alone (with an optional `where`)",
                "error: tests/fixtures/manifest_tests/bad_names.toml:40:21: tests[1].outputs[0].conditions[0].where.product: a decision has no field `product` (did you mean `product_id`?); fields: action, class, days_of_cover, demand_adjustment, demand_per_day, evidence, expected_cost_per_period, expected_cycle_service_level, expected_fill_rate, inventory_position, order_quantity, order_up_to, policy, product_id, rationale, reorder_point, safety_stock, stockout_risk, strategy",
                "error: tests/fixtures/manifest_tests/bad_names.toml:41:9: tests[1].outputs[0].conditions[0].field: a decision has no field `order_quantiy` (did you mean `order_quantity`?); fields: action, class, days_of_cover, demand_adjustment, demand_per_day, evidence, expected_cost_per_period, expected_cycle_service_level, expected_fill_rate, inventory_position, order_quantity, order_up_to, policy, product_id, rationale, reorder_point, safety_stock, stockout_risk, strategy",
            ],
            "{stderr}"
        );
    }
}

#[test]
fn a_manifest_without_tests_is_refused() {
    let out = restock(&["test", "examples/planner-forecast/pipeline.toml"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("has no [[tests]]"), "{stderr}");
}

#[test]
fn the_example_passes_its_own_tests() {
    let out = restock(&["test", "examples/manifest-tests/pipeline.toml"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.ends_with("2 passed, 0 failed\n"), "{stdout}");
}
