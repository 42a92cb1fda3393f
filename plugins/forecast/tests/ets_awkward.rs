//! `restock_forecast::methods::ets` on awkward series: constant, all zeros, very short, falling
//! to zero, and a few fixed models.
//!
//! Where statsforecast 2.1.1 gives a forecast, the expected values are its own, from
//! `data/carparts/reference_ets_awkward.tsv` (written by `data/carparts/make_reference_ets.py`);
//! where it raises (the row says `error …`), the test states Restock's documented fallback.

use std::path::Path;

use restock_forecast::methods::{self, Component, EtsFallback, EtsSpec, MethodError, ets};

fn close(expected: f64, actual: f64) -> bool {
    (expected - actual).abs() <= (1e-6 * expected.abs()).max(1e-9)
}

/// One row of the awkward reference: name (with `:model` for a fixed model), season length,
/// and statsforecast's model and 3 forecasts, or `None` where it raised.
struct Row {
    name: String,
    season_length: usize,
    outcome: Option<(String, f64, Vec<f64>)>,
}

fn rows() -> Vec<Row> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/carparts/reference_ets_awkward.tsv");
    let text = std::fs::read_to_string(path).expect("reference_ets_awkward.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            let outcome = if c[2].starts_with("error") {
                None
            } else {
                let mean = c[10].split(' ').map(|v| v.parse().unwrap()).collect();
                Some((c[2].to_string(), c[3].parse().unwrap(), mean))
            };
            Row {
                name: c[0].to_string(),
                season_length: c[1].parse().unwrap(),
                outcome,
            }
        })
        .collect()
}

/// The series of a reference row (the same lists as make_reference_ets.py).
fn series(name: &str) -> Vec<f64> {
    let pi15 = vec![3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    let seasonal30 = vec![
        5, 9, 14, 7, 4, 3, 6, 10, 15, 8, 5, 3, 6, 11, 17, 9, 5, 4, 7, 12, 18, 9, 6, 4, 8, 13, 19,
        10, 6, 5,
    ];
    let base = name.split(':').next().unwrap();
    let v: Vec<i32> = match base {
        "constant_3" => vec![60; 3],
        "constant_12" => vec![60; 12],
        "constant_51" => vec![60; 51],
        "zeros_12" => vec![0; 12],
        "zeros_51" => vec![0; 51],
        "single" => vec![5],
        "two" => vec![1, 2],
        "six" => vec![3, 1, 4, 1, 5, 9],
        "seven" => vec![3, 1, 4, 1, 5, 9, 2],
        "linear_8" => (1..=8).collect(),
        "pi_15" | "pi_15_m4" => pi15,
        "positive_seasonal_30" | "seasonal_30" => seasonal30,
        "spike" => vec![0, 0, 0, 0, 0, 3, 0, 0, 0, 0],
        "falling_to_zero" => vec![9, 8, 6, 5, 3, 2, 1, 0, 0, 0, 0, 0],
        "falling" => vec![30, 27, 25, 22, 20, 17, 15, 13, 10, 8, 6, 5],
        other => panic!("no series {other}"),
    };
    v.into_iter().map(f64::from).collect()
}

fn spec(name: &str) -> EtsSpec {
    match name.split_once(':') {
        Some((_, model)) => model.parse().unwrap(),
        None => EtsSpec::AUTO,
    }
}

#[test]
fn awkward_series_match_statsforecast_where_it_answers() {
    let rows = rows();
    assert_eq!(rows.len(), 25);
    let mut compared = 0;
    for row in &rows {
        let y = series(&row.name);
        let f = ets(&y, 3, row.season_length, spec(&row.name)).unwrap();
        assert!(
            f.mean.iter().all(|v| v.is_finite() && *v >= 0.0),
            "{}",
            row.name
        );
        let Some((model, aicc, mean)) = &row.outcome else {
            continue;
        };
        compared += 1;
        assert_eq!(&f.params.model.components(), model, "{}", row.name);
        for (e, a) in mean.iter().zip(&f.mean) {
            assert!(
                close(e.max(0.0), *a),
                "{}: expected {mean:?}, got {:?}",
                row.name,
                f.mean
            );
        }
        // AICc equal or better: on an exact fit (linear_8, the constants) the residuals are
        // rounding noise, and so is the AICc (log of a sum of squares near 0).
        assert!(
            close(*aicc, f.params.aicc) || f.params.aicc < *aicc,
            "{}: AICc {aicc} vs {}",
            row.name,
            f.params.aicc
        );
    }
    assert_eq!(compared, 21);
}

#[test]
fn constant_series_forecast_their_value() {
    // statsforecast crashes on [60, 60, 60] (too short to fit ANN); Restock forecasts the mean.
    let f = ets(&[60.0; 3], 4, 1, EtsSpec::AUTO).unwrap();
    assert_eq!(f.mean, vec![60.0; 4]);
    assert_eq!(f.params.fallback, Some(EtsFallback::HistoryMean));
    assert_eq!(f.params.sigma2, 0.0);
    // Long enough: statsforecast's ANN with alpha = 0.9999, also flat at the value.
    for n in [4, 12, 51] {
        let f = ets(&vec![60.0; n], 12, 12, EtsSpec::AUTO).unwrap();
        assert!(
            f.mean.iter().all(|&v| close(60.0, v)),
            "n = {n}: {:?}",
            f.mean
        );
        assert_eq!(f.params.model.components(), "ANNN");
        assert_eq!(f.params.fallback, None);
    }
}

#[test]
fn all_zeros_forecast_zero() {
    for n in [1, 2, 3, 12, 51] {
        let f = ets(&vec![0.0; n], 6, 12, EtsSpec::AUTO).unwrap();
        assert_eq!(f.mean, vec![0.0; 6], "n = {n}");
    }
}

#[test]
fn very_short_series_fall_back_to_the_mean() {
    // statsforecast raises for these (n <= 6 with ZZZ: "tiny datasets", or crashes).
    let f = ets(&[5.0], 2, 1, EtsSpec::AUTO).unwrap();
    assert_eq!(f.mean, vec![5.0, 5.0]);
    assert_eq!(f.params.fallback, Some(EtsFallback::HistoryMean));
    let f = ets(&[1.0, 2.0], 2, 12, EtsSpec::AUTO).unwrap();
    assert_eq!(f.mean, vec![1.5, 1.5]);
    assert_eq!(f.params.fallback, Some(EtsFallback::HistoryMean));
    assert_eq!(f.params.sigma2, 0.5);
    assert_eq!(f.params.alpha, 0.0);
    // Four distinct values: no model has a finite AICc.
    let f = ets(&[3.0, 1.0, 4.0, 1.0], 1, 1, EtsSpec::AUTO).unwrap();
    assert_eq!(f.mean, vec![2.25]);
    assert_eq!(f.params.fallback, Some(EtsFallback::HistoryMean));
    // Five and six values: a model is still selected among those that can be estimated.
    for y in [
        &[3.0, 1.0, 4.0, 1.0, 5.0][..],
        &[3.0, 1.0, 4.0, 1.0, 5.0, 9.0],
    ] {
        let f = ets(y, 1, 1, EtsSpec::AUTO).unwrap();
        assert_eq!(f.params.fallback, Some(EtsFallback::ShortHistory), "{y:?}");
        assert!(f.params.aicc.is_finite());
        assert!(f.mean[0].is_finite() && f.mean[0] >= 0.0);
    }
}

#[test]
fn forecasts_are_never_negative() {
    let y = [
        30.0, 27.0, 25.0, 22.0, 20.0, 17.0, 15.0, 13.0, 10.0, 8.0, 6.0, 5.0,
    ];
    let f = ets(&y, 24, 1, EtsSpec::AUTO).unwrap();
    assert!(f.mean.iter().all(|&v| v >= 0.0));
    assert_eq!(f.params.model.trend, Component::Additive);
    assert_eq!(
        *f.mean.last().unwrap(),
        0.0,
        "a falling trend is clamped at 0"
    );
}

#[test]
fn sigma2_is_the_residual_variance() {
    let y = [
        3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0, 9.0, 7.0, 9.0,
    ];
    let f = ets(&y, 1, 1, "ANN".parse().unwrap()).unwrap();
    let p = &f.params;
    // One-step residuals from the initial level with alpha: sum e^2 / (n - k - 1), k = 3.
    let mut level = p.initial_level;
    let mut sse = 0.0;
    for &v in &y {
        let e = v - level;
        sse += e * e;
        level += p.alpha * e;
    }
    assert!(close(sse / (15.0 - 3.0 - 1.0), p.sigma2));
    assert!(close(level, f.mean[0]));
}

#[test]
fn specs_parse_like_statsforecast_model_strings() {
    let s: EtsSpec = "ZZZ".parse().unwrap();
    assert_eq!(s, EtsSpec::AUTO);
    let s: EtsSpec = "AAdN".parse().unwrap();
    assert_eq!(s.damped, Some(true));
    assert_eq!(s.trend, Some(Component::Additive));
    let s: EtsSpec = "MAM".parse().unwrap();
    assert_eq!(s.damped, Some(false));
    assert!(
        "ANM".parse::<EtsSpec>().is_err(),
        "additive error, multiplicative season"
    );
    assert!(
        "AMN".parse::<EtsSpec>().is_err(),
        "additive error, multiplicative trend"
    );
    assert!("MMA".parse::<EtsSpec>().is_err());
    assert!("NNN".parse::<EtsSpec>().is_err());
    assert!("ANdN".parse::<EtsSpec>().is_err());
    assert!("AN".parse::<EtsSpec>().is_err());
}

#[test]
fn bad_inputs_are_errors() {
    assert_eq!(
        ets(&[], 1, 1, EtsSpec::AUTO),
        Err(MethodError::EmptyHistory)
    );
    assert!(matches!(
        ets(&[1.0, f64::NAN], 1, 1, EtsSpec::AUTO),
        Err(MethodError::NonFinite { index: 1, .. })
    ));
    assert!(ets(&[1.0, 2.0], 1, 0, EtsSpec::AUTO).is_err());
    let y = [0.0, 1.0, 2.0, 0.0, 3.0, 1.0, 0.0, 2.0, 1.0, 0.0];
    assert!(matches!(
        ets(&y, 1, 1, "MNN".parse().unwrap()),
        Err(MethodError::InvalidParameter { name: "spec", value, .. }) if value == 0.0
    ));
    assert!(
        ets(&y, 1, 1, "ANA".parse().unwrap()).is_err(),
        "a season with m = 1"
    );
    // The methods module re-exports the function.
    assert!(methods::ets(&y, 1, 1, EtsSpec::AUTO).is_ok());
}
