//! `restock_forecast::methods` on awkward series: all zeros, a single demand, no history to
//! speak of, history shorter than the season or the window, negative values.
//!
//! Expected values are statsforecast 2.1.1's (`Model().forecast(y=np.array(y, float), h=1)`),
//! except where a comment states the documented fallback (statsforecast gives NaN there).

use restock_forecast::methods::{self, MethodError};

fn close(expected: f64, actual: f64) -> bool {
    (expected - actual).abs() <= (1e-6 * expected.abs()).max(1e-9)
}

/// One-step forecasts of every method, in the order naive, seasonal naive (m = 3), window
/// average (3), SES (0.1), Croston, SBA, TSB (0.2, 0.1), ADIDA, IMAPA.
fn all_methods(y: &[f64]) -> [f64; 9] {
    [
        methods::naive(y, 1).unwrap().mean[0],
        methods::seasonal_naive(y, 1, 3).unwrap().mean[0],
        methods::window_average(y, 1, 3).unwrap().mean[0],
        methods::ses(y, 1, 0.1).unwrap().mean[0],
        methods::croston(y, 1).unwrap().mean[0],
        methods::sba(y, 1).unwrap().mean[0],
        methods::tsb(y, 1, 0.2, 0.1).unwrap().mean[0],
        methods::adida(y, 1).unwrap().mean[0],
        methods::imapa(y, 1).unwrap().mean[0],
    ]
}

fn assert_all(y: &[f64], expected: [f64; 9]) {
    let actual = all_methods(y);
    for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
        assert!(close(*e, *a), "{y:?} method #{i}: expected {e}, got {a}");
    }
}

#[test]
fn single_spike_croston_half_sba_0_475() {
    let y = [0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0];
    assert_eq!(methods::croston(&y, 3).unwrap().mean, vec![0.5; 3]);
    let sba = methods::sba(&y, 1).unwrap();
    assert!(close(0.475, sba.mean[0]));
    assert_eq!(sba.params.demand_level, Some(3.0));
    assert_eq!(sba.params.interval_level, Some(6.0));
    assert_all(
        &y,
        [
            0.0,
            0.0,
            1.0,
            0.2700000000000001,
            0.5,
            0.475,
            0.27,
            0.5,
            0.4366666666667949,
        ],
    );
}

#[test]
fn all_zeros_forecast_zero() {
    assert_all(&[0.0; 4], [0.0; 9]);
    assert_eq!(methods::croston(&[0.0; 4], 5).unwrap().mean, vec![0.0; 5]);
    let adida = methods::adida(&[0.0; 4], 1).unwrap();
    assert_eq!(adida.params.aggregation_level, None);
    assert!(
        methods::imapa(&[0.0; 4], 1)
            .unwrap()
            .params
            .levels
            .is_empty()
    );
}

#[test]
fn a_single_observation_still_gets_a_forecast() {
    // statsforecast: seasonal naive and window average give NaN (history shorter than the
    // season / window); here both fall back to the last value and say so.
    assert_all(&[4.0], [4.0, 4.0, 4.0, 4.0, 4.0, 3.8, 4.0, 4.0, 4.0]);
    assert!(
        methods::seasonal_naive(&[4.0], 1, 3)
            .unwrap()
            .params
            .short_history
    );
    assert_eq!(
        methods::window_average(&[4.0], 1, 3).unwrap().params.used,
        1
    );
}

#[test]
fn a_single_demand_at_the_end() {
    assert_all(
        &[0.0, 0.0, 0.0, 2.0],
        [
            2.0,
            0.0,
            0.6666666666666666,
            0.2,
            0.5,
            0.475,
            0.2,
            0.5,
            0.44166666666666665,
        ],
    );
}

#[test]
fn two_demands_and_lumpy_series() {
    assert_all(
        &[0.0, 5.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        [
            0.0,
            1.0,
            0.3333333333333333,
            0.34672050000000004,
            2.0909090909090904,
            1.9863636363636357,
            0.5634052200000003,
            0.06666666666666667,
            0.4586290555560885,
        ],
    );
    let lumpy = [
        0.0, 0.0, 7.0, 0.0, 1.0, 0.0, 0.0, 0.0, 12.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0,
    ];
    assert_all(
        &lumpy,
        [
            2.0,
            0.0,
            0.6666666666666666,
            0.9938793375495447,
            1.846256159124573,
            1.7539433511683442,
            1.2812014976672215,
            1.8184999999994007,
            1.2971732606927675,
        ],
    );
}

#[test]
fn seasonal_naive_shorter_than_the_season_falls_back() {
    // m = 12, n = 3: the three observations are the last three seasonal positions; the other
    // nine (NaN in statsforecast) get the last observation.
    let f = methods::seasonal_naive(&[1.0, 2.0, 3.0], 12, 12).unwrap();
    assert!(f.params.short_history);
    assert_eq!(&f.mean[9..], &[1.0, 2.0, 3.0]);
    assert_eq!(&f.mean[..9], &[3.0; 9]);
}

#[test]
fn forecasts_are_never_negative() {
    let y = [5.0, -3.0, 0.0, -8.0];
    for v in all_methods(&y) {
        assert!(v >= 0.0, "{v}");
    }
    assert!(
        methods::seasonal_naive(&[-1.0, -2.0], 4, 2)
            .unwrap()
            .mean
            .iter()
            .all(|&v| v == 0.0)
    );
}

#[test]
fn horizon_repeats_the_flat_forecast() {
    let y = [0.0, 2.0, 0.0, 1.0];
    let f = methods::tsb(&y, 4, 0.2, 0.1).unwrap();
    assert_eq!(f.mean.len(), 4);
    assert!(f.mean.iter().all(|&v| v == f.mean[0]));
    assert!(methods::adida(&y, 0).unwrap().mean.is_empty());
}

#[test]
fn empty_or_non_finite_history_is_an_error() {
    assert_eq!(methods::croston(&[], 1), Err(MethodError::EmptyHistory));
    assert!(matches!(
        methods::imapa(&[1.0, f64::NAN], 1),
        Err(MethodError::NonFinite { index: 1, .. })
    ));
    assert!(methods::tsb(&[1.0], 1, 0.2, -0.1).is_err());
}
