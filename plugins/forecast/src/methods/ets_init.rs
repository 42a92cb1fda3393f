//! Initial states of an ETS model, as statsforecast 2.1.1's `initstate` (`python/statsforecast/
//! ets.py`), itself a port of `initstate` in the R package forecast (Hyndman et al. 2008,
//! §2.6.1, "heuristic initialisation").
//!
//! - Seasonal models: with at least three full seasons, the seasonal states come from a
//!   classical decomposition (statsmodels' `seasonal_decompose`: a centred moving average of
//!   order `m` — `2 x m` for even `m` — as the trend, and the mean detrended value per season
//!   position, centred to sum to 0, or normalised to mean 1 when multiplicative); with fewer,
//!   from a regression on an intercept, a time index and one Fourier pair. The `m - 1` newest
//!   seasonal states are those of positions `m - 1, m - 2, …, 1`; the model adds the last one.
//! - The level (and growth) come from the first `max(10, 2m)` seasonally adjusted values: their
//!   mean, or an intercept and slope by least squares when there is a trend.

use super::super::{numpy_mean, numpy_sum};
use super::Component;

/// Why no initial state exists for a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InitError {
    /// A seasonal model needs at least 4 observations (statsforecast: "You've got to be
    /// joking (not enough data).").
    TooShort,
    /// A multiplicative season needs positive observations.
    NotPositive,
}

/// The initial state `[l, (b), s_1 .. s_{m-1}]` for the given trend and season
/// (`m` = 1 when there is no season).
pub(crate) fn initial_state(
    y: &[f64],
    m: usize,
    trend: Component,
    season: Component,
) -> Result<Vec<f64>, InitError> {
    let n = y.len();
    let (m, init_season, adjusted): (usize, Vec<f64>, Vec<f64>) = if season != Component::None {
        if n < 4 {
            return Err(InitError::TooShort);
        }
        let seasonal = if n < 3 * m {
            fourier_seasonal(y, m, season)?
        } else {
            decompose_seasonal(y, m, season)?
        };
        // Positions m-1, m-2, ..., 1 of the first season.
        let mut init: Vec<f64> = (1..m).rev().map(|k| seasonal[k]).collect();
        let adjusted: Vec<f64> = if season == Component::Additive {
            y.iter().zip(&seasonal).map(|(v, s)| v - s).collect()
        } else {
            for s in &mut init {
                *s = s.max(1e-2);
            }
            if numpy_sum(&init) > m as f64 {
                let shifted: Vec<f64> = init.iter().map(|s| s + 1e-2).collect();
                let total = numpy_sum(&shifted);
                for s in &mut init {
                    *s /= total;
                }
            }
            y.iter()
                .zip(&seasonal)
                .map(|(v, s)| v / s.max(1e-2))
                .collect()
        };
        (m, init, adjusted)
    } else {
        (1, Vec::new(), y.to_vec())
    };
    let maxn = (10usize.max(2 * m)).min(adjusted.len());
    let mut out = Vec::with_capacity(2 + init_season.len());
    match trend {
        Component::None => out.push(numpy_mean(&adjusted[..maxn])),
        _ => {
            let (l, b) = line_fit(&adjusted[..maxn]);
            if trend == Component::Additive {
                let (mut l0, mut b0) = (l, b);
                // With a multiplicative error l0 + b0 must not be 0: perturb just in case.
                if (l0 + b0).abs() < 1e-8 {
                    l0 *= 1.0 + 1e-3;
                    b0 *= 1.0 - 1e-3;
                }
                out.push(l0);
                out.push(b0);
            } else {
                let mut l0 = l + b;
                if l0.abs() < 1e-8 {
                    l0 = 1e-7;
                }
                let mut b0 = (l + 2.0 * b) / l0;
                let div = if b0.abs() <= 1e-8 { 1e-8 } else { b0 };
                l0 /= div;
                if b0.abs() > 1e10 {
                    b0 = b0.signum() * 1e10;
                }
                if l0 < 1e-8 || b0 < 1e-8 {
                    // The linear approximation did not work.
                    l0 = adjusted[0].max(1e-3);
                    let div = if adjusted[0].abs() <= 1e-8 {
                        1e-8
                    } else {
                        adjusted[0]
                    };
                    b0 = (adjusted[1] / div).max(1e-3);
                }
                out.push(l0);
                out.push(b0);
            }
        }
    }
    out.extend(init_season);
    Ok(out)
}

/// Intercept and slope of the least-squares line through `(t, x_t)`, `t` = 1, 2, ….
fn line_fit(x: &[f64]) -> (f64, f64) {
    let columns: [Vec<f64>; 2] = [
        vec![1.0; x.len()],
        (1..=x.len()).map(|t| t as f64).collect(),
    ];
    let coef = least_squares(&columns, x);
    (coef[0], coef[1])
}

/// The seasonal component of statsmodels' `seasonal_decompose(y, period=m)` (two-sided
/// moving-average trend, no extrapolation), one value per observation.
fn decompose_seasonal(y: &[f64], m: usize, season: Component) -> Result<Vec<f64>, InitError> {
    let n = y.len();
    if season == Component::Multiplicative && y.iter().any(|&v| v <= 0.0) {
        return Err(InitError::NotPositive);
    }
    // Filter: [0.5, 1, ..., 1, 0.5] / m for even m, [1, ..., 1] / m for odd m.
    let filt: Vec<f64> = if m.is_multiple_of(2) {
        let mut f = vec![1.0 / m as f64; m + 1];
        f[0] = 0.5 / m as f64;
        f[m] = 0.5 / m as f64;
        f
    } else {
        vec![1.0 / m as f64; m]
    };
    let width = filt.len();
    // `convolution_filter(nsides=2)`: the valid convolution, padded with NaN, ceil(w/2) - 1 at
    // the head.
    let head = width.div_ceil(2) - 1;
    let mut trend = vec![f64::NAN; n];
    for (k, slot) in trend[head..head + n + 1 - width].iter_mut().enumerate() {
        // np.convolve(x, filt, 'valid'): out[k] = sum_j x[k + j] * filt[w - 1 - j], j ascending.
        let mut acc = 0.0;
        for j in 0..width {
            acc += y[k + j] * filt[width - 1 - j];
        }
        *slot = acc;
    }
    let detrended: Vec<f64> = y
        .iter()
        .zip(&trend)
        .map(|(v, t)| {
            if season == Component::Additive {
                v - t
            } else {
                v / t
            }
        })
        .collect();
    // pandas' nanmean per season position (NaN counted out).
    let mut averages: Vec<f64> = (0..m)
        .map(|i| {
            let mut sum = 0.0;
            let mut count = 0usize;
            for v in detrended[i..].iter().step_by(m) {
                if v.is_nan() {
                    sum += 0.0;
                } else {
                    sum += v;
                    count += 1;
                }
            }
            sum / count as f64
        })
        .collect();
    let centre = numpy_mean(&averages);
    for a in &mut averages {
        if season == Component::Additive {
            *a -= centre;
        } else {
            *a /= centre;
        }
    }
    Ok((0..n).map(|t| averages[t % m]).collect())
}

/// The seasonal component of statsforecast's short-series initialisation: regress `y` on an
/// intercept, the time index `t` = 1 … n and `cos, sin(2 pi t / m)`; the seasonal component is
/// `y` minus (additive) or divided by (multiplicative) the intercept-plus-slope part.
fn fourier_seasonal(y: &[f64], m: usize, season: Component) -> Result<Vec<f64>, InitError> {
    let n = y.len();
    let p = 1.0 / m as f64;
    let t: Vec<f64> = (1..=n).map(|t| t as f64).collect();
    let mut columns = vec![vec![1.0; n], t.clone()];
    columns.push(
        t.iter()
            .map(|&t| (2.0 * std::f64::consts::PI * p * t).cos())
            .collect(),
    );
    // numpy drops the sine column when sin(pi * 2p) = 0 (m = 2); statsforecast then fills both
    // Fourier columns with the cosine, which leaves the intercept and slope unchanged.
    if (2.0 * p - (2.0 * p).round()).abs() > f64::EPSILON {
        columns.push(
            t.iter()
                .map(|&t| (2.0 * std::f64::consts::PI * p * t).sin())
                .collect(),
        );
    }
    let coef = least_squares(&columns, y);
    let (c0, c1) = (coef[0], coef[1]);
    if season == Component::Additive {
        Ok(y.iter().zip(&t).map(|(v, t)| v - c0 - c1 * t).collect())
    } else {
        if y.iter().any(|&v| v <= 0.0) {
            return Err(InitError::NotPositive);
        }
        Ok(y.iter().zip(&t).map(|(v, t)| v / (c0 + c1 * t)).collect())
    }
}

/// Least-squares coefficients of `y` on the given columns (each of `y.len()` rows), by
/// Householder QR; the columns must be linearly independent. statsforecast uses LAPACK's SVD
/// solver (`np.linalg.lstsq`), so the last bits may differ.
fn least_squares(columns: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let k = columns.len();
    let mut a: Vec<Vec<f64>> = columns.to_vec();
    let mut b = y.to_vec();
    let mut diag = vec![0.0; k];
    for j in 0..k {
        let norm = a[j][j..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            diag[j] = 0.0;
            continue;
        }
        let alpha = if a[j][j] > 0.0 { -norm } else { norm };
        diag[j] = alpha;
        a[j][j] -= alpha;
        let vnorm2 = a[j][j..].iter().map(|v| v * v).sum::<f64>();
        if vnorm2 == 0.0 {
            continue;
        }
        let v: Vec<f64> = a[j][j..].to_vec();
        for col in a.iter_mut().skip(j + 1) {
            let dot: f64 = v.iter().zip(&col[j..]).map(|(x, y)| x * y).sum();
            let f = 2.0 * dot / vnorm2;
            for (c, vi) in col[j..].iter_mut().zip(&v) {
                *c -= f * vi;
            }
        }
        let dot: f64 = v.iter().zip(&b[j..]).map(|(x, y)| x * y).sum();
        let f = 2.0 * dot / vnorm2;
        for (c, vi) in b[j..].iter_mut().zip(&v) {
            *c -= f * vi;
        }
    }
    let mut coef = vec![0.0; k];
    for j in (0..k).rev() {
        let mut s = b[j];
        for (i, c) in coef.iter().enumerate().skip(j + 1) {
            s -= a[i][j] * c;
        }
        coef[j] = if diag[j] == 0.0 { 0.0 } else { s / diag[j] };
    }
    coef
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_fitted_exactly() {
        let (l, b) = line_fit(&[3.0, 5.0, 7.0, 9.0]);
        assert!(
            (l - 1.0).abs() < 1e-12 && (b - 2.0).abs() < 1e-12,
            "{l} {b}"
        );
    }

    #[test]
    fn level_only_is_the_mean_of_the_first_ten() {
        let y: Vec<f64> = (1..=20).map(f64::from).collect();
        let x = initial_state(&y, 1, Component::None, Component::None).unwrap();
        assert_eq!(x, vec![5.5]);
    }
}
