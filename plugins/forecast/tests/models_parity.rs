//! The forecasting models keep the methods' parity with statsforecast 2.1.1 through the whole
//! `Model`: every complete carparts series (2,509 parts, 51 months) becomes monthly sales in a
//! `Dataset`, each model type runs on it as a manifest configures it (months, leading zeros
//! kept from January 1998, as statsforecast sees the series), and every item's forecast must
//! equal `data/carparts/reference.tsv` to 1e-6 relative (absolute floor 1e-9), as
//! `methods_parity.rs` requires of the methods.

mod models_support;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Months, NaiveDate};
use models_support::{run, sale};
use restock_core::Dataset;

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/carparts")
}

/// The complete series as one sale per part and month (on the 15th), and the parts.
fn complete_series_as_sales() -> (Dataset, usize) {
    let text = std::fs::read_to_string(data_dir().join("carparts.csv")).expect("carparts.csv");
    let january_1998: NaiveDate = "1998-01-15".parse().unwrap();
    let mut sales = Vec::new();
    let mut parts = 0;
    for line in text.lines().skip(1) {
        let mut cells = line.split(',');
        let part = cells.next().expect("part");
        let values: Vec<&str> = cells.collect();
        if values.iter().any(|c| c.is_empty()) {
            continue;
        }
        parts += 1;
        for (month, cell) in values.iter().enumerate() {
            let date = january_1998 + Months::new(month as u32);
            sales.push(sale(part, date, cell.parse().expect("number")));
        }
    }
    let mut dataset = Dataset {
        sales,
        ..Dataset::default()
    };
    dataset.sort();
    (dataset, parts)
}

/// Expected forecasts per reference column and part.
fn reference() -> BTreeMap<String, BTreeMap<String, Vec<f64>>> {
    let text = std::fs::read_to_string(data_dir().join("reference.tsv")).expect("reference.tsv");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let mut out: BTreeMap<String, BTreeMap<String, Vec<f64>>> = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split('\t').collect();
        for (column, cell) in header[1..].iter().zip(&cells[1..]) {
            let values = cell
                .split(' ')
                .map(|v| v.parse().expect("number"))
                .collect();
            out.entry(column.to_string())
                .or_default()
                .insert(cells[0].to_string(), values);
        }
    }
    out
}

#[test]
fn every_model_equals_statsforecast_on_every_complete_carparts_series() {
    let (dataset, parts) = complete_series_as_sales();
    assert_eq!(parts, 2509);
    let reference = reference();
    let as_of: NaiveDate = "2002-04-01".parse().unwrap();
    let common = "period = \"month\"\nleading_zeros = \"keep\"\nstart = 1998-01-01\n";
    let settings = [
        ("naive", "naive", "horizon = 1\n"),
        (
            "seasonal_naive_12",
            "seasonal_naive",
            "horizon = 12\nseason_length = 12\n",
        ),
        (
            "window_average_6",
            "moving_average",
            "horizon = 1\nwindow_size = 6\n",
        ),
        ("ses_0.1", "ses", "horizon = 1\nalpha = 0.1\n"),
        ("ses_0.3", "ses", "horizon = 1\nalpha = 0.3\n"),
        ("croston", "croston", "horizon = 1\n"),
        ("sba", "sba", "horizon = 1\n"),
        (
            "tsb_0.2_0.1",
            "tsb",
            "horizon = 1\nalpha_d = 0.2\nalpha_p = 0.1\n",
        ),
        ("adida", "adida", "horizon = 1\n"),
        ("imapa", "imapa", "horizon = 1\n"),
    ];
    let mut mismatches = Vec::new();
    for (column, type_name, config) in settings {
        let run = run(type_name, &format!("{common}{config}"), &dataset, as_of);
        let expected = &reference[column];
        assert_eq!(expected.len(), parts, "{column}");
        for (part, want) in expected {
            let f = run.forecast(part);
            assert_eq!(f.history_periods, 51, "{column} {part}");
            let got: Vec<f64> = f.points.iter().map(|p| p.mean).collect();
            assert_eq!(got.len(), want.len(), "{column} {part}");
            for (w, g) in want.iter().zip(&got) {
                if (w - g).abs() > (1e-6 * w.abs()).max(1e-9) {
                    mismatches.push(format!("{column} {part}: expected {w}, got {g}"));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first: {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(5)]
    );
}
