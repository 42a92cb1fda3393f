//! Parity of `restock_forecast::methods` with statsforecast 2.1.1 on every complete carparts
//! series (2,509 monthly series of 51 periods).
//!
//! The expected values in `data/carparts/reference.tsv` come from
//! `data/carparts/make_reference.py` (run in a throw-away virtualenv with statsforecast 2.1.1;
//! the file's first line records the versions). Each value must agree to 1e-6 relative, with an
//! absolute floor of 1e-9.

use std::collections::BTreeMap;
use std::path::Path;

use restock_forecast::methods;

const REL_TOL: f64 = 1e-6;
const ABS_FLOOR: f64 = 1e-9;

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/carparts")
}

/// Complete series of carparts.csv, by part number (rows with any empty cell are skipped).
fn complete_series() -> BTreeMap<String, Vec<f64>> {
    let text = std::fs::read_to_string(data_dir().join("carparts.csv")).expect("carparts.csv");
    let mut out = BTreeMap::new();
    for line in text.lines().skip(1) {
        let mut cells = line.split(',');
        let part = cells.next().expect("part").to_string();
        let values: Vec<&str> = cells.collect();
        assert_eq!(values.len(), 51, "part {part}");
        if values.iter().any(|c| c.is_empty()) {
            continue;
        }
        let y = values
            .iter()
            .map(|c| c.parse::<f64>().expect("number"))
            .collect();
        out.insert(part, y);
    }
    out
}

/// The forecasts of one method for one series, in the order of the reference columns.
fn ours(method: &str, y: &[f64]) -> Vec<f64> {
    match method {
        "naive" => methods::naive(y, 1).unwrap().mean,
        "seasonal_naive_12" => methods::seasonal_naive(y, 12, 12).unwrap().mean,
        "window_average_6" => methods::window_average(y, 1, 6).unwrap().mean,
        "ses_0.1" => methods::ses(y, 1, 0.1).unwrap().mean,
        "ses_0.3" => methods::ses(y, 1, 0.3).unwrap().mean,
        "croston" => methods::croston(y, 1).unwrap().mean,
        "sba" => methods::sba(y, 1).unwrap().mean,
        "tsb_0.2_0.1" => methods::tsb(y, 1, 0.2, 0.1).unwrap().mean,
        "adida" => methods::adida(y, 1).unwrap().mean,
        "imapa" => methods::imapa(y, 1).unwrap().mean,
        other => panic!("reference column {other} has no method here"),
    }
}

fn close(expected: f64, actual: f64) -> bool {
    (expected - actual).abs() <= (REL_TOL * expected.abs()).max(ABS_FLOOR)
}

#[test]
fn every_complete_carparts_series_matches_statsforecast() {
    let series = complete_series();
    assert_eq!(series.len(), 2509);
    let text = std::fs::read_to_string(data_dir().join("reference.tsv")).expect("reference.tsv");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    assert_eq!(header[0], "part");
    let methods_in_file = &header[1..];
    assert_eq!(methods_in_file.len(), 10);

    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    let mut worst: BTreeMap<&str, f64> = BTreeMap::new();
    let mut mismatches: Vec<String> = Vec::new();
    let mut n_mismatches = 0usize;
    let mut rows = 0usize;
    for line in lines {
        rows += 1;
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), header.len(), "row {line}");
        let part = cells[0];
        let y = series
            .get(part)
            .unwrap_or_else(|| panic!("part {part} is not a complete series"));
        for (method, cell) in methods_in_file.iter().zip(&cells[1..]) {
            let expected: Vec<f64> = cell
                .split(' ')
                .map(|v| v.parse().expect("reference value"))
                .collect();
            let actual = ours(method, y);
            *checked.entry(method).or_default() += 1;
            for (&e, &a) in expected.iter().zip(&actual) {
                let rel = (e - a).abs() / e.abs().max(ABS_FLOOR / REL_TOL);
                let w = worst.entry(method).or_default();
                *w = w.max(rel);
            }
            let ok = expected.len() == actual.len()
                && expected.iter().zip(&actual).all(|(&e, &a)| close(e, a));
            if !ok {
                n_mismatches += 1;
                if mismatches.len() < 20 {
                    mismatches.push(format!(
                        "part {part} {method}: expected {expected:?}, got {actual:?}"
                    ));
                }
            }
        }
    }
    for (method, w) in &worst {
        eprintln!("{method}: largest relative difference {w:.3e}");
    }
    assert_eq!(rows, 2509, "reference rows");
    for (method, n) in &checked {
        assert_eq!(*n, 2509, "{method}");
    }
    assert!(
        n_mismatches == 0,
        "{n_mismatches} mismatches of {} (series x method); first ones:\n{}",
        rows * methods_in_file.len(),
        mismatches.join("\n")
    );
}
