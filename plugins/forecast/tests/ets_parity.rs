//! Parity of `restock_forecast::methods::ets` (AutoETS, `ZZZ`) with statsforecast 2.1.1 on every
//! complete carparts series (2,509 monthly series of 51 periods), with season length 12 and 1.
//!
//! The expected values in `data/carparts/reference_ets.tsv` come from
//! `data/carparts/make_reference_ets.py` (run in a throw-away virtualenv with statsforecast
//! 2.1.1; the file's first line records the versions).

use std::collections::BTreeMap;
use std::path::Path;

use restock_forecast::methods::{self, EtsSpec};

const REL_TOL: f64 = 1e-6;
const ABS_FLOOR: f64 = 1e-9;
const H: usize = 12;

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

/// One row of the reference file.
struct Reference {
    part: String,
    season_length: usize,
    components: String,
    aicc: f64,
    sigma2: f64,
    par: [f64; 4],
    initial_states: Vec<f64>,
    mean: Vec<f64>,
}

fn numbers(cell: &str) -> Vec<f64> {
    cell.split(' ')
        .filter(|c| !c.is_empty())
        .map(|v| v.parse().expect("reference value"))
        .collect()
}

fn reference() -> Vec<Reference> {
    let text =
        std::fs::read_to_string(data_dir().join("reference_ets.tsv")).expect("reference_ets.tsv");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    assert_eq!(header.len(), 11);
    lines
        .map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            assert_eq!(c.len(), 11, "{line}");
            Reference {
                part: c[0].to_string(),
                season_length: c[1].parse().unwrap(),
                components: c[2].to_string(),
                aicc: c[3].parse().unwrap(),
                sigma2: c[4].parse().unwrap(),
                par: [
                    c[5].parse().unwrap(),
                    c[6].parse().unwrap(),
                    c[7].parse().unwrap(),
                    c[8].parse().unwrap(),
                ],
                initial_states: numbers(c[9]),
                mean: numbers(c[10]),
            }
        })
        .collect()
}

fn rel(expected: f64, actual: f64) -> f64 {
    if expected.is_nan() && actual.is_nan() {
        return 0.0;
    }
    (expected - actual).abs() / expected.abs().max(ABS_FLOOR / REL_TOL)
}

#[test]
fn every_complete_carparts_series_matches_statsforecast_autoets() {
    let series = complete_series();
    assert_eq!(series.len(), 2509);
    let reference = reference();
    assert_eq!(reference.len(), 2 * 2509);
    let mut report = String::new();
    for m in [12usize, 1] {
        let rows: Vec<&Reference> = reference.iter().filter(|r| r.season_length == m).collect();
        let mut same_model = 0;
        let mut mean_ok = 0;
        let mut worst_mean = 0.0f64;
        let mut aicc_better = 0;
        let mut aicc_worse = 0;
        let mut worst_aicc = 0.0f64;
        let mut exact_states = 0;
        let mut bad = Vec::new();
        for r in &rows {
            let y = &series[&r.part];
            let f = methods::ets(y, H, m, EtsSpec::AUTO).unwrap();
            let p = &f.params;
            if p.model.components() == r.components {
                same_model += 1;
            }
            let w = r
                .mean
                .iter()
                .zip(&f.mean)
                .map(|(&e, &a)| rel(e.max(0.0), a))
                .fold(0.0, f64::max);
            worst_mean = worst_mean.max(w);
            if w <= REL_TOL {
                mean_ok += 1;
            } else {
                bad.push(format!(
                    "{} m={m}: {} vs ours {} rel {w:.2e} aicc {} vs {} alpha {} vs {}",
                    r.part,
                    r.components,
                    p.model.components(),
                    r.aicc,
                    p.aicc,
                    r.par[0],
                    p.alpha
                ));
            }
            let d = p.aicc - r.aicc;
            if d < -1e-9 * r.aicc.abs() {
                aicc_better += 1;
            } else if d > 1e-9 * r.aicc.abs() {
                aicc_worse += 1;
                worst_aicc = worst_aicc.max(d);
            }
            let mut ours = vec![p.initial_level];
            ours.extend(p.initial_trend);
            ours.extend(&p.initial_season);
            if ours == r.initial_states && p.alpha == r.par[0] {
                exact_states += 1;
            }
            let _ = r.sigma2;
        }
        report.push_str(&format!(
            "m={m}: {} series, same model {same_model}, mean within 1e-6 {mean_ok} (worst {worst_mean:.3e}), \
             aicc better {aicc_better} worse {aicc_worse} (worst +{worst_aicc:.3e}), bit-identical states {exact_states}\n",
            rows.len()
        ));
        for b in bad.iter().take(15) {
            report.push_str(b);
            report.push('\n');
        }
    }
    eprintln!("{report}");
}
