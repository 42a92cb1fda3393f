//! Point forecasts of the simple and intermittent-demand families, exact to statsforecast 2.1.1.
//!
//! Each method is a pure function over a demand history `&[f64]` (units per period, oldest
//! first, one value per period, no gaps) and a horizon `h` (periods). It returns a
//! [`Forecast`]: the point forecasts for periods 1 ..= `h` after the last observation and the
//! fitted parameters. Nothing here reads a clock or a file.
//!
//! Families (one module each):
//! - [`simple`]: [`naive`], [`seasonal_naive`], [`window_average`], [`ses`];
//! - [`intermittent`]: [`croston`], [`sba`], [`tsb`];
//! - [`aggregation`]: [`adida`], [`imapa`].
//!
//! Conventions shared by all methods (they follow statsforecast 2.1.1's `models.py` and its
//! C++ helpers in `src/ses.cpp`; `docs/forecasting.md` states them per method):
//! - the history must be non-empty and finite, else [`MethodError`]; missing values, leading
//!   zeros and aggregation to periods are the caller's business;
//! - a series of all zeros forecasts 0; a series with a single demand still gets a forecast;
//! - forecasts are never negative: each is clamped at 0. On non-negative histories no method
//!   here can produce a negative value, so the clamp never changes a statsforecast value there;
//! - simple exponential smoothing starts at the first observation ([`ses`]).

pub mod aggregation;
pub mod ets;
pub mod intermittent;
pub mod simple;

pub use aggregation::{AdidaParams, ImapaLevel, ImapaParams, adida, imapa};
pub use ets::{Component, EtsFallback, EtsModel, EtsParams, EtsSpec, EtsSpecError, ets};
pub use intermittent::{CROSTON_ALPHA, CrostonParams, SBA_FACTOR, TsbParams, croston, sba, tsb};
pub use simple::{
    SeasonalNaiveParams, SesParams, WindowAverageParams, naive, seasonal_naive, ses, window_average,
};

/// The result of a forecasting method: point forecasts and fitted parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast<P> {
    /// Point forecasts for the `h` periods after the last observation, in units per period;
    /// `mean[0]` is one step ahead. Never negative, always finite, length `h`.
    pub mean: Vec<f64>,
    /// What the method fitted or used (smoothing constants, levels, aggregation levels).
    pub params: P,
}

/// Why a method could not produce a forecast.
#[derive(Debug, Clone, PartialEq)]
pub enum MethodError {
    /// The history has no observations.
    EmptyHistory,
    /// An observation is NaN or infinite (missing values must be handled before forecasting).
    NonFinite {
        /// Zero-based position of the observation in the history.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A parameter is outside its domain.
    InvalidParameter {
        /// The parameter's name, as in the function signature.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What would have been accepted.
        expected: &'static str,
    },
}

impl std::fmt::Display for MethodError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EmptyHistory => write!(f, "the history is empty"),
            Self::NonFinite { index, value } => {
                write!(f, "observation {index} is not finite ({value})")
            }
            Self::InvalidParameter {
                name,
                value,
                expected,
            } => write!(
                f,
                "parameter {name} = {value} is invalid: expected {expected}"
            ),
        }
    }
}

impl std::error::Error for MethodError {}

/// Checks that the history is non-empty and finite.
pub(crate) fn check_history(y: &[f64]) -> Result<(), MethodError> {
    if y.is_empty() {
        return Err(MethodError::EmptyHistory);
    }
    if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(MethodError::NonFinite { index, value });
    }
    Ok(())
}

/// Checks a smoothing constant: finite and in [0, 1].
pub(crate) fn check_alpha(name: &'static str, alpha: f64) -> Result<(), MethodError> {
    if alpha.is_finite() && (0.0..=1.0).contains(&alpha) {
        Ok(())
    } else {
        Err(MethodError::InvalidParameter {
            name,
            value: alpha,
            expected: "a smoothing constant in [0, 1]",
        })
    }
}

/// `h` copies of `value`, clamped at 0 (the flat forecast of every method but seasonal naive).
pub(crate) fn flat(value: f64, h: usize) -> Vec<f64> {
    vec![value.max(0.0); h]
}

/// Simple exponential smoothing one step ahead, as statsforecast's `ses_forecast`
/// (`src/ses.cpp`): the level starts at `x[0]`, `l_t = alpha x_{t-1} + (1 - alpha) l_{t-1}`,
/// and the forecast is `alpha x_{n-1} + (1 - alpha) l_{n-1}`; a single value forecasts itself.
/// `x` must be non-empty.
pub(crate) fn ses_one_step(x: &[f64], alpha: f64) -> f64 {
    if x.len() == 1 {
        return x[0];
    }
    let complement = 1.0 - alpha;
    let mut level = x[0];
    for &prev in &x[..x.len() - 1] {
        level = alpha * prev + complement * level;
    }
    // `level` is now the fitted value for x[n-1]; the forecast is one more step.
    alpha * x[x.len() - 1] + complement * level
}

/// Sum of squared one-step errors of SES, as statsforecast's `ses_sse`; 0 below 2 values.
pub(crate) fn ses_sse(alpha: f64, x: &[f64]) -> f64 {
    if x.len() < 2 {
        return 0.0;
    }
    let complement = 1.0 - alpha;
    let mut forecast = x[0];
    let mut sse = 0.0;
    for i in 1..x.len() {
        forecast = alpha * x[i - 1] + complement * forecast;
        let err = x[i] - forecast;
        sse += err * err;
    }
    sse
}

/// The SES smoothing constant minimising [`ses_sse`] on `[lower, upper]`, by statsforecast's
/// `golden_section_ses` (`src/ses.cpp`): golden-section search until the bracket is narrower
/// than 1e-12 or the two inner values tie exactly, returning the bracket's midpoint. A series
/// of fewer than two values has SSE 0 everywhere, so the answer is the midpoint of the bounds.
pub(crate) fn golden_section_ses(x: &[f64], lower: f64, upper: f64) -> f64 {
    let gr = (5.0_f64.sqrt() + 1.0) / 2.0;
    let (mut a, mut b) = (lower, upper);
    let mut c = b - (b - a) / gr;
    let mut d = a + (b - a) / gr;
    let mut fc = ses_sse(c, x);
    let mut fd = ses_sse(d, x);
    while (b - a).abs() >= 1e-12 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - (b - a) / gr;
            fc = ses_sse(c, x);
        } else if fd < fc {
            a = c;
            c = d;
            fc = fd;
            d = a + (b - a) / gr;
            fd = ses_sse(d, x);
        } else {
            break;
        }
    }
    (b + a) / 2.0
}

/// Intervals between non-zero observations, as statsforecast's `_intervals`: positions are
/// counted from 1, so the first interval counts from t = -1 (a first demand at index 5 gives
/// an interval of 6).
pub(crate) fn intervals(y: &[f64]) -> Vec<f64> {
    let mut out = Vec::new();
    let mut prev = 0usize;
    for (i, &v) in y.iter().enumerate() {
        if v != 0.0 {
            out.push((i + 1 - prev) as f64);
            prev = i + 1;
        }
    }
    out
}

/// The sum of `a` in numpy's order (`np.add.reduce` on a contiguous float64 array: the first
/// element, plus the pairwise sum of the rest with 8 accumulators in blocks of up to 128).
/// Used wherever statsforecast takes a numpy `mean`, so the last bits agree too.
pub(crate) fn numpy_sum(a: &[f64]) -> f64 {
    fn pairwise(a: &[f64]) -> f64 {
        let n = a.len();
        if n < 8 {
            let mut res = 0.0;
            for &v in a {
                res += v;
            }
            res
        } else if n <= 128 {
            let mut r = [0.0; 8];
            r.copy_from_slice(&a[..8]);
            let mut i = 8;
            while i < n - (n % 8) {
                for j in 0..8 {
                    r[j] += a[i + j];
                }
                i += 8;
            }
            let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            while i < n {
                res += a[i];
                i += 1;
            }
            res
        } else {
            let mut n2 = n / 2;
            n2 -= n2 % 8;
            pairwise(&a[..n2]) + pairwise(&a[n2..])
        }
    }
    match a.split_first() {
        None => 0.0,
        Some((first, rest)) => first + pairwise(rest),
    }
}

/// The mean of a non-empty slice, as numpy's `mean`.
pub(crate) fn numpy_mean(a: &[f64]) -> f64 {
    numpy_sum(a) / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_count_from_minus_one() {
        assert_eq!(intervals(&[0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0]), vec![6.0]);
        assert_eq!(intervals(&[1.0, 0.0, 2.0, 2.0]), vec![1.0, 2.0, 1.0]);
        assert!(intervals(&[0.0, 0.0]).is_empty());
    }

    #[test]
    fn ses_starts_at_first_observation() {
        assert_eq!(ses_one_step(&[4.0], 0.5), 4.0);
        // level 2, then 0.5*2 + 0.5*2 = 2, forecast 0.5*4 + 0.5*2 = 3
        assert_eq!(ses_one_step(&[2.0, 4.0], 0.5), 3.0);
    }

    #[test]
    fn golden_section_on_flat_sse_is_the_midpoint() {
        assert_eq!(golden_section_ses(&[3.0], 0.1, 0.3), 0.2);
    }

    #[test]
    fn numpy_sum_matches_plain_sum_on_integers() {
        let a: Vec<f64> = (1..=300).map(f64::from).collect();
        assert_eq!(numpy_sum(&a), 45150.0);
        assert_eq!(numpy_mean(&[1.0, 2.0]), 1.5);
    }
}
