//! The simple benchmarks: naive, seasonal naive, window (moving) average and simple exponential
//! smoothing with a given smoothing constant.
//!
//! Source: statsforecast 2.1.1, `python/statsforecast/utils.py` (`_naive`, `_seasonal_naive`)
//! and `models.py` (`_window_average`, `_ses`), with `src/ses.cpp` (`ses_forecast`). Reference:
//! Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §5.2 (simple
//! methods) and §8.1 (simple exponential smoothing).

use super::{Forecast, MethodError, check_alpha, check_history, flat, numpy_mean, ses_one_step};

/// Naive forecast: every period equals the last observation (statsforecast `Naive`).
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods. Parameters: none.
pub fn naive(y: &[f64], h: usize) -> Result<Forecast<()>, MethodError> {
    check_history(y)?;
    Ok(Forecast {
        mean: flat(y[y.len() - 1], h),
        params: (),
    })
}

/// What [`seasonal_naive`] used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeasonalNaiveParams {
    /// The season length `m` in periods (12 for monthly data with a yearly season).
    pub season_length: usize,
    /// True when the history was shorter than one season and the fallback filled the seasonal
    /// positions that have no observation (see [`seasonal_naive`]). A caller should warn.
    pub short_history: bool,
}

/// Seasonal naive forecast: period `k` ahead (1-based) equals the observation one or more whole
/// seasons earlier, `y[n - m + (k - 1) mod m]` (statsforecast `SeasonalNaive`).
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods; `season_length`:
/// `m` in periods, at least 1.
///
/// **Fallback when the history is shorter than a season** (`n < m`): the `n` observations keep
/// their seasonal positions (the last one is position `m - 1`), as in statsforecast, which
/// forecasts NaN for the `m - n` positions without an observation. Here those positions get
/// the last observation instead (the naive forecast), and `params.short_history` is set so the
/// caller can warn. Where statsforecast gives a number, the value is the same.
pub fn seasonal_naive(
    y: &[f64],
    h: usize,
    season_length: usize,
) -> Result<Forecast<SeasonalNaiveParams>, MethodError> {
    check_history(y)?;
    if season_length == 0 {
        return Err(MethodError::InvalidParameter {
            name: "season_length",
            value: 0.0,
            expected: "a season length of at least 1 period",
        });
    }
    let n = y.len();
    let last = y[n - 1];
    let short_history = n < season_length;
    let season: Vec<f64> = (0..season_length)
        .map(|pos| {
            // Position `pos` of the last season holds y[n - m + pos] when that index exists.
            match (n + pos).checked_sub(season_length) {
                Some(i) => y[i],
                None => last,
            }
        })
        .collect();
    let mean = (0..h).map(|k| season[k % season_length].max(0.0)).collect();
    Ok(Forecast {
        mean,
        params: SeasonalNaiveParams {
            season_length,
            short_history,
        },
    })
}

/// What [`window_average`] used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowAverageParams {
    /// The requested window in periods.
    pub window_size: usize,
    /// The number of observations averaged: `window_size`, or the whole history when it is
    /// shorter (the fallback; statsforecast forecasts NaN there).
    pub used: usize,
}

/// Window (moving) average: every period equals the mean of the last `window_size`
/// observations (statsforecast `WindowAverage`).
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods; `window_size`: in
/// periods, at least 1. When the history is shorter than the window, all of it is averaged
/// (statsforecast returns NaN) and `params.used < params.window_size` says so.
pub fn window_average(
    y: &[f64],
    h: usize,
    window_size: usize,
) -> Result<Forecast<WindowAverageParams>, MethodError> {
    check_history(y)?;
    if window_size == 0 {
        return Err(MethodError::InvalidParameter {
            name: "window_size",
            value: 0.0,
            expected: "a window of at least 1 period",
        });
    }
    let used = window_size.min(y.len());
    let avg = numpy_mean(&y[y.len() - used..]);
    Ok(Forecast {
        mean: flat(avg, h),
        params: WindowAverageParams { window_size, used },
    })
}

/// What [`ses`] used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SesParams {
    /// The smoothing constant, in [0, 1].
    pub alpha: f64,
}

/// Simple exponential smoothing with a given smoothing constant (statsforecast
/// `SimpleExponentialSmoothing(alpha)`): the level starts at the first observation,
/// `l_1 = y_1`, `l_t = alpha y_{t-1} + (1 - alpha) l_{t-1}`, and every period of the forecast
/// is `alpha y_n + (1 - alpha) l_n`. A single observation forecasts itself.
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods; `alpha` in [0, 1].
pub fn ses(y: &[f64], h: usize, alpha: f64) -> Result<Forecast<SesParams>, MethodError> {
    check_history(y)?;
    check_alpha("alpha", alpha)?;
    Ok(Forecast {
        mean: flat(ses_one_step(y, alpha), h),
        params: SesParams { alpha },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_naive_cycles_the_last_season() {
        let f = seasonal_naive(&[1.0, 2.0, 3.0, 4.0, 5.0], 5, 2).unwrap();
        assert_eq!(f.mean, vec![4.0, 5.0, 4.0, 5.0, 4.0]);
        assert!(!f.params.short_history);
    }

    #[test]
    fn seasonal_naive_short_history_falls_back_to_the_last_value() {
        // m = 4, n = 2: positions 2 and 3 hold 7 and 9; positions 0 and 1 have none.
        let f = seasonal_naive(&[7.0, 9.0], 6, 4).unwrap();
        assert_eq!(f.mean, vec![9.0, 9.0, 7.0, 9.0, 9.0, 9.0]);
        assert!(f.params.short_history);
    }

    #[test]
    fn window_average_short_history_uses_all() {
        let f = window_average(&[2.0, 4.0], 2, 6).unwrap();
        assert_eq!(f.mean, vec![3.0, 3.0]);
        assert_eq!(f.params.used, 2);
    }

    #[test]
    fn forecasts_are_never_negative() {
        assert_eq!(naive(&[3.0, -2.0], 1).unwrap().mean, vec![0.0]);
        assert_eq!(ses(&[-1.0, -1.0], 1, 0.5).unwrap().mean, vec![0.0]);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(naive(&[], 1), Err(MethodError::EmptyHistory));
        assert!(matches!(
            ses(&[1.0, f64::NAN], 1, 0.1),
            Err(MethodError::NonFinite { index: 1, .. })
        ));
        assert!(ses(&[1.0], 1, 1.5).is_err());
        assert!(seasonal_naive(&[1.0], 1, 0).is_err());
        assert!(window_average(&[1.0], 1, 0).is_err());
    }
}
