//! The acceptance case of issue 4: a manifest with only a `forecasts` file and stock positions
//! produces (s, S), (r, Q) and base-stock decisions. Runs `restock run` on the three manifests of
//! `examples/planner-forecast/` as a user would, and snapshots their decisions.

use std::path::Path;
use std::process::Command;

fn run(manifest: &str, out: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_restock"))
        .args([
            "run",
            &format!("examples/planner-forecast/{manifest}"),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .output()
        .expect("the restock binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{manifest}: {stderr}");
    stderr.into_owned()
}

fn decisions(out: &Path, folder: &str) -> (String, Vec<csv_row::Row>) {
    let text = std::fs::read_to_string(out.join(folder).join("decisions.csv")).unwrap();
    let rows = csv_row::parse(&text);
    (text, rows)
}

/// Just enough CSV reading for the checks (the snapshot holds the whole file).
mod csv_row {
    pub struct Row {
        pub product_id: String,
        pub policy: String,
        pub order_up_to: f64,
        pub reorder_point: f64,
        pub fill_rate: f64,
        pub cost: String,
    }

    pub fn parse(text: &str) -> Vec<Row> {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        lines
            .map(|line| {
                // The rationale (last, quoted) may hold commas; the fields checked come first.
                let cells: Vec<&str> = line.split(',').collect();
                Row {
                    product_id: cells[col("product_id")].to_owned(),
                    policy: cells[col("policy")].to_owned(),
                    order_up_to: cells[col("order_up_to")].parse().unwrap(),
                    reorder_point: cells[col("reorder_point")].parse().unwrap(),
                    fill_rate: cells[col("expected_fill_rate")].parse().unwrap(),
                    cost: cells[col("expected_cost_per_period")].to_owned(),
                }
            })
            .collect()
    }
}

#[test]
fn a_forecasts_file_and_stock_positions_give_s_s_r_q_and_base_stock_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let skus = ["SKU-A", "SKU-B", "SKU-C", "SKU-D"];
    for (manifest, folder, policy) in [
        ("pipeline.toml", "s_s", "s_s"),
        ("r_q.toml", "r_q", "r_q"),
        ("base_stock.toml", "base_stock", "base_stock"),
    ] {
        run(manifest, dir.path());
        let (text, rows) = decisions(dir.path(), folder);
        let ids: Vec<&str> = rows.iter().map(|r| r.product_id.as_str()).collect();
        assert_eq!(ids, skus, "{manifest}");
        for row in &rows {
            assert_eq!(row.policy, policy, "{manifest}");
            assert!(row.order_up_to >= row.reorder_point, "{manifest}");
            assert!(row.fill_rate > 0.9 && row.fill_rate <= 1.0, "{manifest}");
        }
        // Costs are known for every item but the normal (s, S), which has no closed form.
        let costed = rows.iter().filter(|r| !r.cost.is_empty()).count();
        assert_eq!(costed, if policy == "s_s" { 3 } else { 4 }, "{manifest}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("quarantine.jsonl")).unwrap(),
            "",
            "{manifest}"
        );
        insta::assert_snapshot!(format!("planner_forecast_{folder}_decisions_csv"), text);
    }
}
