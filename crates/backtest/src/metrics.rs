//! Scaled forecast-error measures for one series at one forecast origin.
//!
//! Every measure divides by an in-sample scale from the training series, so series of different
//! volumes can be averaged, and intermittent series (many zeros) do not break them the way
//! percentage errors do:
//! - MASE: mean absolute error ÷ the in-sample mean absolute error of the seasonal naive
//!   forecast (Hyndman & Koehler, "Another look at measures of forecast accuracy", IJF 22(4),
//!   2006, eq. 9);
//! - RMSSE: root of the mean squared error ÷ the in-sample mean squared error of the seasonal
//!   naive forecast (Makridakis, Spiliotis & Assimakopoulos, "The M5 competition", IJF 38(4),
//!   2022, §2.3 — the M5 accuracy measure);
//! - scaled bias: mean of (forecast − actual) ÷ the MASE scale; positive means over-forecast;
//! - scaled pinball loss: the mean over horizons and levels τ of the pinball loss
//!   ρτ(y − q) = max(τ (y − q), (τ − 1)(y − q)), ÷ the MASE scale (the M5 uncertainty measure,
//!   same paper, §2.4).
//!
//! Missing values (NaN) in the training series are skipped when computing a scale (a difference
//! needs both ends); a NaN actual is the caller's to leave out.

/// The in-sample scales of a training series for seasonal-naive differences at lag `m`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Mean |yₜ − yₜ₋ₘ| over the training series.
    pub mae: f64,
    /// Mean (yₜ − yₜ₋ₘ)² over the training series.
    pub mse: f64,
}

impl Scale {
    /// The scales of `train` at lag `m` (≥ 1), or `None` when no difference can be taken or
    /// every difference is zero (a constant series: scaled errors are undefined there).
    pub fn of(train: &[f64], m: usize) -> Option<Scale> {
        let m = m.max(1);
        let (mut abs, mut sq, mut n) = (0.0, 0.0, 0usize);
        for t in m..train.len() {
            let d = train[t] - train[t - m];
            if d.is_finite() {
                abs += d.abs();
                sq += d * d;
                n += 1;
            }
        }
        if n == 0 || abs == 0.0 {
            return None;
        }
        Some(Scale {
            mae: abs / n as f64,
            mse: sq / n as f64,
        })
    }
}

/// Mean absolute scaled error of `forecast` against `actual` (same length, ≥ 1).
pub fn mase(actual: &[f64], forecast: &[f64], scale: Scale) -> f64 {
    mean(actual.iter().zip(forecast).map(|(y, f)| (y - f).abs())) / scale.mae
}

/// Root mean squared scaled error.
pub fn rmsse(actual: &[f64], forecast: &[f64], scale: Scale) -> f64 {
    (mean(actual.iter().zip(forecast).map(|(y, f)| (y - f) * (y - f))) / scale.mse).sqrt()
}

/// Mean of (forecast − actual) ÷ the MASE scale.
pub fn scaled_bias(actual: &[f64], forecast: &[f64], scale: Scale) -> f64 {
    mean(actual.iter().zip(forecast).map(|(y, f)| f - y)) / scale.mae
}

/// The pinball (quantile) loss of quantile forecast `q` at level `tau` for actual `y`.
pub fn pinball(y: f64, q: f64, tau: f64) -> f64 {
    let e = y - q;
    (tau * e).max((tau - 1.0) * e)
}

/// Scaled pinball loss: mean over horizons and levels of [`pinball`] ÷ the MASE scale.
/// `quantiles[h]` holds `(level, value)` pairs for horizon `h`.
pub fn scaled_pinball(actual: &[f64], quantiles: &[Vec<(f64, f64)>], scale: Scale) -> f64 {
    let losses = actual.iter().zip(quantiles).flat_map(|(&y, levels)| {
        levels
            .iter()
            .map(move |&(tau, value)| pinball(y, value, tau))
    });
    mean(losses) / scale.mae
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { f64::NAN } else { sum / n as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_skips_missing_and_rejects_constant_series() {
        // Differences 2, (NaN skipped twice), 1 → mae 1.5, mse 2.5.
        let s = Scale::of(&[1.0, 3.0, f64::NAN, 3.0, 4.0], 1).unwrap();
        assert_eq!(s.mae, 1.5);
        assert_eq!(s.mse, 2.5);
        assert!(Scale::of(&[5.0, 5.0, 5.0], 1).is_none());
        assert!(Scale::of(&[5.0], 1).is_none());
    }

    #[test]
    fn measures_follow_their_definitions() {
        let scale = Scale { mae: 2.0, mse: 4.0 };
        let (y, f) = ([1.0, 4.0], [2.0, 2.0]);
        // |errors| 1, 2 → MAE 1.5; squared 1, 4 → MSE 2.5; forecast − actual: 1, −2 → −0.5.
        assert_eq!(mase(&y, &f, scale), 0.75);
        assert_eq!(rmsse(&y, &f, scale), (2.5f64 / 4.0).sqrt());
        assert_eq!(scaled_bias(&y, &f, scale), -0.25);
    }

    #[test]
    fn pinball_weights_under_and_over_forecasts_by_level() {
        // Under-forecast by 2 at τ = 0.9 costs 0.9 × 2; over-forecast by 2 costs 0.1 × 2.
        assert!((pinball(5.0, 3.0, 0.9) - 1.8).abs() < 1e-12);
        assert!((pinball(3.0, 5.0, 0.9) - 0.2).abs() < 1e-12);
        let scale = Scale { mae: 1.0, mse: 1.0 };
        let q = vec![vec![(0.5, 3.0), (0.9, 3.0)]];
        assert!((scaled_pinball(&[5.0], &q, scale) - (1.0 + 1.8) / 2.0).abs() < 1e-12);
    }
}
