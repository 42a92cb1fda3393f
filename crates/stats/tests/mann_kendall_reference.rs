//! Mann–Kendall and Sen's slope against pymannkendall 1.4.3 (`tests/data/`, with the script
//! and versions that produced the values).

use restock_stats::mann_kendall;

#[test]
fn matches_pymannkendall_original_test() {
    let text = include_str!("data/mann_kendall_reference.json");
    let reference: serde_json::Value = serde_json::from_str(text).unwrap();
    let cases = reference["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 14);
    for case in cases {
        let x: Vec<f64> = case["x"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let r = mann_kendall(&x);
        let close = |ours: f64, key: &str| {
            let theirs = case[key].as_f64().unwrap();
            assert!(
                (ours - theirs).abs() <= 1e-9 * theirs.abs().max(1.0),
                "{key}: ours {ours}, pymannkendall {theirs}, x = {x:?}"
            );
        };
        close(r.s, "s");
        close(r.var_s, "var_s");
        close(r.z, "z");
        close(r.p_value, "p");
        close(r.slope, "slope");
        let trend = case["trend"].as_str().unwrap();
        let ours = match (r.p_value < 0.05, r.s > 0.0) {
            (true, true) => "increasing",
            (true, false) => "decreasing",
            _ => "no trend",
        };
        assert_eq!(ours, trend, "x = {x:?}");
    }
}
