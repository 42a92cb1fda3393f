//! The distribution of each forecast period's demand, and its quantiles.
//!
//! The spread comes from the method's own one-step-ahead errors: at every origin `t` of the
//! history (the last [`MAX_ORIGINS`] of them at most) the method is run on `y[..t]` and its
//! forecast of `y[t]` compared with what happened (rolling origin; Hyndman & Athanasopoulos,
//! *Forecasting: Principles and Practice*, 3rd ed., §5.10). σ is the root mean squared error.
//! For naive, seasonal naive, SES with a given alpha, Croston, SBA and TSB, whose fitted values
//! depend on the past only, these are exactly the in-sample residuals statsforecast computes
//! its native intervals from.
//!
//! Then, by family ([`Spread`]):
//! - naive, seasonal naive, moving average and SES: normal with the forecast as its mean and
//!   σ_h as FPP3 §5.5 (Table 5.2) and Hyndman et al., *Forecasting with Exponential
//!   Smoothing* (2008), Table 6.1, give it — σ√h for naive, σ√(⌊(h−1)/m⌋+1) for seasonal
//!   naive, σ√(1+α²(h−1)) for SES (ETS(A,N,N)), σ for the moving average — as statsforecast's
//!   `Naive`, `SeasonalNaive` and `SimpleExponentialSmoothing` intervals. Quantiles below 0
//!   are reported as 0 (demand is never negative); the mean is the point forecast.
//! - Croston, SBA, TSB, ADIDA, IMAPA (count demand): negative binomial with the forecast as
//!   its mean and σ as its standard deviation when σ² exceeds the mean, else Poisson with the
//!   forecast as its mean; the same for every period of the horizon, as the methods forecast
//!   a stationary demand per period. Poisson and negative binomial are the usual count models
//!   of slow-moving demand (R. D. Snyder, J. K. Ord & A. Beaumont (2012), "Forecasting the
//!   intermittent demand for slow-moving inventories: a modelling approach", *International
//!   Journal of Forecasting* 28(2), 485–496). Their quantiles are whole units: the smallest
//!   k with P(X ≤ k) ≥ level.
//!
//! - ETS: the fit's own residual variance (AutoETS chooses among up to 30 models, too costly
//!   to refit at every origin), normal with σ_h = σ √(1 + Σ_{j<h} c_j²), c_j = α + β φ_j +
//!   γ d_{j,m} (Hyndman, Koehler, Ord & Snyder (2008), *Forecasting with Exponential
//!   Smoothing*, Table 6.1: exact for additive errors); with a multiplicative error σ is a
//!   relative error and is multiplied by the forecast (a first-order approximation).
//!
//! A history of one period has no one-step error: its forecast is Poisson with the forecast
//! as its mean (variance = mean, the least a count can have without more information), and
//! the forecast's notes say so.

use restock_core::{DemandDistribution, Quantile};
use statrs::distribution::{ContinuousCDF, DiscreteCDF, NegativeBinomial, Normal, Poisson};

use super::method::{Method, Spread};
use crate::methods::MethodError;
use restock_core::Period;

/// Most one-step errors σ is estimated from: the most recent ones (two years of weeks,
/// eight of months). Recent errors describe the current uncertainty, and refitting at each
/// origin stays bounded on long daily histories.
pub const MAX_ORIGINS: usize = 104;

/// The one-step-ahead errors of `method` on `y`, oldest first: `y[t]` minus the method's
/// forecast from `y[..t]`, for the last (at most [`MAX_ORIGINS`]) origins from the method's
/// first regular origin (from 1 when the history is not longer than that).
pub(crate) fn one_step_errors(
    method: &Method,
    y: &[f64],
    period: Period,
) -> Result<Vec<f64>, MethodError> {
    let n = y.len();
    let regular = method.first_regular_origin(period);
    let first = if n > regular { regular } else { 1 };
    let first = first.max(n.saturating_sub(MAX_ORIGINS));
    (first..n)
        .map(|t| {
            let fit = method.fit(&y[..t], 1, period)?;
            Ok(y[t] - fit.mean[0])
        })
        .collect()
}

/// Root mean square of `errors`; `None` when there are none.
pub(crate) fn rmse(errors: &[f64]) -> Option<f64> {
    if errors.is_empty() {
        return None;
    }
    Some((errors.iter().map(|e| e * e).sum::<f64>() / errors.len() as f64).sqrt())
}

/// The distribution of demand `h` periods ahead (from 1) with point forecast `mean`, by the
/// method's spread and the one-step RMSE `sigma` (`None`: no error to estimate it from).
pub(crate) fn distribution(
    spread: Spread,
    mean: f64,
    sigma: Option<f64>,
    h: usize,
) -> DemandDistribution {
    let Some(sigma) = sigma else {
        return DemandDistribution::Poisson { mean };
    };
    let steps = h;
    let h = h as f64;
    let normal = |factor: f64| DemandDistribution::Normal {
        mean,
        std_dev: sigma * factor,
    };
    match spread {
        Spread::RandomWalk => normal(h.sqrt()),
        Spread::Seasonal(m) => normal((((h - 1.0) / m as f64).floor() + 1.0).sqrt()),
        Spread::LocalLevel(alpha) => normal((1.0 + alpha * alpha * (h - 1.0)).sqrt()),
        Spread::Flat => normal(1.0),
        Spread::Ets {
            alpha,
            beta,
            gamma,
            phi,
            season_length,
            relative,
        } => {
            // Hyndman, Koehler, Ord & Snyder (2008), Table 6.1: v_h = σ² (1 + Σ c_j²),
            // c_j = α + β φ_j + γ d_{j,m}, φ_j = φ + … + φ^j, d_{j,m} = 1 when m divides j.
            let mut sum = 0.0;
            let mut phi_j = 0.0;
            let mut phi_power = 1.0;
            for j in 1..steps {
                phi_power *= phi;
                phi_j += phi_power;
                let seasonal = if season_length > 1 && j.is_multiple_of(season_length) {
                    gamma
                } else {
                    0.0
                };
                let c = alpha + beta * phi_j + seasonal;
                sum += c * c;
            }
            let scale = if relative { mean } else { 1.0 };
            normal(scale * (1.0 + sum).sqrt())
        }
        Spread::Count => {
            if mean > 0.0 && sigma * sigma > mean {
                DemandDistribution::NegativeBinomial {
                    mean,
                    std_dev: sigma,
                }
            } else {
                DemandDistribution::Poisson { mean }
            }
        }
    }
}

/// The quantiles of `distribution` at `levels` (each in (0, 1), ascending), never negative.
pub(crate) fn quantiles(distribution: &DemandDistribution, levels: &[f64]) -> Vec<Quantile> {
    levels
        .iter()
        .map(|&level| Quantile {
            level,
            value: quantile(distribution, level).max(0.0),
        })
        .collect()
}

fn quantile(distribution: &DemandDistribution, level: f64) -> f64 {
    match *distribution {
        DemandDistribution::Normal { mean, std_dev } => match Normal::new(mean, std_dev) {
            Ok(normal) if std_dev > 0.0 => normal.inverse_cdf(level),
            _ => mean,
        },
        DemandDistribution::Poisson { mean } => match Poisson::new(mean) {
            Ok(poisson) if mean > 0.0 => discrete_quantile(|k| poisson.cdf(k), level),
            _ => 0.0,
        },
        DemandDistribution::NegativeBinomial { mean, std_dev } => {
            // r = μ² / (σ² − μ), p = r / (r + μ): mean μ, variance σ² (see DemandDistribution).
            let r = mean * mean / (std_dev * std_dev - mean);
            match NegativeBinomial::new(r, r / (r + mean)) {
                Ok(nb) if mean > 0.0 && r.is_finite() && r > 0.0 => {
                    discrete_quantile(|k| nb.cdf(k), level)
                }
                _ => mean,
            }
        }
        DemandDistribution::Empirical {
            ref values,
            ref probabilities,
        } => {
            let mut cumulative = 0.0;
            for (v, p) in values.iter().zip(probabilities) {
                cumulative += p;
                if cumulative >= level {
                    return *v;
                }
            }
            values.last().copied().unwrap_or(0.0)
        }
    }
}

/// The smallest whole `k` with `cdf(k) ≥ level`, by doubling then bisection. (statrs's own
/// discrete `inverse_cdf` panics when the answer is 0.)
fn discrete_quantile(cdf: impl Fn(u64) -> f64, level: f64) -> f64 {
    if cdf(0) >= level {
        return 0.0;
    }
    // Invariant: cdf(low) < level ≤ cdf(high).
    let mut low = 0u64;
    let mut high = 1u64;
    while cdf(high) < level {
        low = high;
        high = match high.checked_mul(2) {
            Some(next) => next,
            None => return high as f64,
        };
    }
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if cdf(mid) >= level {
            high = mid;
        } else {
            low = mid;
        }
    }
    high as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(d: &DemandDistribution, levels: &[f64]) -> Vec<f64> {
        quantiles(d, levels).iter().map(|q| q.value).collect()
    }

    #[test]
    fn normal_quantiles_are_truncated_at_zero() {
        let d = DemandDistribution::Normal {
            mean: 1.0,
            std_dev: 2.0,
        };
        let q = values(&d, &[0.1, 0.5, 0.95]);
        assert_eq!(q[0], 0.0);
        assert!((q[1] - 1.0).abs() < 1e-9);
        // 1 + 2 × 1.6448536269514722
        assert!((q[2] - 4.289707253902944).abs() < 1e-6, "{q:?}");
    }

    #[test]
    fn poisson_quantiles_are_whole_units() {
        // Poisson(2): P(X ≤ 1) = 0.406, P(X ≤ 2) = 0.677, P(X ≤ 4) = 0.947, P(X ≤ 5) = 0.983.
        let d = DemandDistribution::Poisson { mean: 2.0 };
        assert_eq!(values(&d, &[0.4, 0.5, 0.9, 0.95]), vec![1.0, 2.0, 4.0, 5.0]);
        // Poisson(0.1): P(X = 0) = 0.905.
        let d = DemandDistribution::Poisson { mean: 0.1 };
        assert_eq!(values(&d, &[0.5, 0.9, 0.95]), vec![0.0, 0.0, 1.0]);
        let d = DemandDistribution::Poisson { mean: 0.0 };
        assert_eq!(values(&d, &[0.99]), vec![0.0]);
    }

    #[test]
    fn negative_binomial_quantiles() {
        // mean 2, sd 2: r = 4 / 2 = 2, p = 0.5; P(X ≤ k) = 0.25, 0.5, 0.6875, 0.8125, 0.890625,
        // 0.9375, 0.96484375 for k = 0 … 6.
        let d = DemandDistribution::NegativeBinomial {
            mean: 2.0,
            std_dev: 2.0,
        };
        assert_eq!(
            values(&d, &[0.2, 0.45, 0.9, 0.95]),
            vec![0.0, 1.0, 5.0, 6.0]
        );
    }

    #[test]
    fn spread_grows_with_the_horizon_by_family() {
        let sd = |spread, h| distribution(spread, 5.0, Some(2.0), h).std_dev();
        assert_eq!(sd(Spread::RandomWalk, 4), 4.0);
        assert_eq!(sd(Spread::Seasonal(4), 4), 2.0);
        assert_eq!(sd(Spread::Seasonal(4), 5), 2.0 * 2f64.sqrt());
        assert!((sd(Spread::LocalLevel(0.5), 5) - 2.0 * 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(sd(Spread::Flat, 9), 2.0);
        // ETS(A,A,N), α 0.5, β 0.1: c_1 = 0.6, c_2 = 0.7, so σ_3 = 2 √(1 + 0.36 + 0.49).
        let aan = Spread::Ets {
            alpha: 0.5,
            beta: 0.1,
            gamma: 0.0,
            phi: 1.0,
            season_length: 1,
            relative: false,
        };
        assert!((sd(aan, 3) - 2.0 * 1.85f64.sqrt()).abs() < 1e-12);
        // ETS(A,N,A), m = 2, α 0.5, γ 0.2: c_1 = 0.5, c_2 = 0.7.
        let ana = Spread::Ets {
            alpha: 0.5,
            beta: 0.0,
            gamma: 0.2,
            phi: 1.0,
            season_length: 2,
            relative: false,
        };
        assert!((sd(ana, 3) - 2.0 * 1.74f64.sqrt()).abs() < 1e-12);
        // A multiplicative error's σ is relative to the forecast (5).
        let mnn = Spread::Ets {
            alpha: 0.5,
            beta: 0.0,
            gamma: 0.0,
            phi: 1.0,
            season_length: 1,
            relative: true,
        };
        assert_eq!(sd(mnn, 1), 10.0);
        assert_eq!(
            distribution(Spread::Count, 5.0, Some(2.0), 3),
            DemandDistribution::Poisson { mean: 5.0 }
        );
        assert_eq!(
            distribution(Spread::Count, 1.0, Some(2.0), 3),
            DemandDistribution::NegativeBinomial {
                mean: 1.0,
                std_dev: 2.0
            }
        );
        assert_eq!(
            distribution(Spread::Flat, 1.0, None, 1),
            DemandDistribution::Poisson { mean: 1.0 }
        );
    }

    #[test]
    fn one_step_errors_refit_at_each_origin() {
        let y = [1.0, 3.0, 2.0, 6.0];
        let errors = one_step_errors(&Method::Naive, &y, Period::Week).unwrap();
        assert_eq!(errors, vec![2.0, -1.0, 4.0]);
        // Seasonal naive (m = 2) from its first full season.
        let m = Method::SeasonalNaive {
            season_length: Some(2),
        };
        assert_eq!(
            one_step_errors(&m, &y, Period::Week).unwrap(),
            vec![1.0, 3.0]
        );
        assert!(
            one_step_errors(&Method::Naive, &[4.0], Period::Week)
                .unwrap()
                .is_empty()
        );
    }
}
