//! Where each period's demand comes from: a seeded draw from a distribution, or a replay of a
//! recorded demand vector.

use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Normal, Poisson, StandardUniform};

use crate::error::{Result, SimulateError, cumulative_pmf, finite, invalid, non_negative};

/// Demand per period, in units. Draws are i.i.d. across periods and come from their own
/// random stream, so two scenarios run with the same seed see the same demand whatever their
/// policies and lead times (common random numbers).
#[derive(Debug, Clone, PartialEq)]
pub enum DemandSource {
    /// Normal(mean, std_dev²), censored at zero: a negative draw counts as zero demand (no
    /// returns). Censoring raises the mean by std_dev·L(mean/std_dev) (L the standard normal loss
    /// function): 2.5·10⁻¹⁰ units for N(50, 8²), negligible whenever mean ≥ 3·std_dev.
    Normal {
        /// Mean demand per period, units.
        mean: f64,
        /// Standard deviation per period, units (≥ 0).
        std_dev: f64,
    },
    /// Poisson with the given mean (≥ 0; 0 means no demand).
    Poisson {
        /// Mean demand per period, units.
        mean: f64,
    },
    /// Negative binomial, for demand more variable than Poisson, by its mean and variance
    /// (variance > mean): a Poisson whose mean is drawn from Gamma(shape r = mean²/(variance −
    /// mean), scale (variance − mean)/mean) each period.
    NegativeBinomial {
        /// Mean demand per period, units (> 0).
        mean: f64,
        /// Variance of demand per period, units² (> mean).
        variance: f64,
    },
    /// An explicit probability mass function: `pmf[d]` is P(demand = d units), d = 0, 1, …;
    /// the probabilities sum to 1 (within 1e-6). Drawn by inversion of one uniform per period.
    Pmf(Vec<f64>),
    /// Replay of recorded demand: period t gets `values[t − 1]` (units, finite, ≥ 0); the seed
    /// is not used, so every replication is the same.
    Replay(Vec<f64>),
}

/// A validated demand source, ready to draw.
#[derive(Debug, Clone)]
pub(crate) enum DemandSampler<'a> {
    Normal(Normal<f64>),
    Poisson(Option<Poisson<f64>>),
    NegativeBinomial(Gamma<f64>),
    Pmf(Vec<f64>),
    Replay(&'a [f64]),
}

impl DemandSource {
    /// Checks the parameters (see each variant).
    pub fn validate(&self) -> Result<()> {
        self.sampler().map(|_| ())
    }

    pub(crate) fn sampler(&self) -> Result<DemandSampler<'_>> {
        Ok(match self {
            DemandSource::Normal { mean, std_dev } => {
                finite("mean", *mean)?;
                non_negative("std_dev", *std_dev)?;
                DemandSampler::Normal(
                    Normal::new(*mean, *std_dev)
                        .map_err(|_| invalid("std_dev", *std_dev, "must be finite and ≥ 0"))?,
                )
            }
            DemandSource::Poisson { mean } => {
                non_negative("mean", *mean)?;
                if *mean == 0.0 {
                    DemandSampler::Poisson(None)
                } else {
                    DemandSampler::Poisson(Some(
                        Poisson::new(*mean)
                            .map_err(|_| invalid("mean", *mean, "must be at most 1.8e19"))?,
                    ))
                }
            }
            DemandSource::NegativeBinomial { mean, variance } => {
                if !(mean.is_finite() && *mean > 0.0) {
                    return Err(invalid("mean", *mean, "must be finite and > 0"));
                }
                if !(variance.is_finite() && variance > mean) {
                    return Err(invalid(
                        "variance",
                        *variance,
                        "must be finite and greater than the mean",
                    ));
                }
                let shape = mean * mean / (variance - mean);
                let scale = (variance - mean) / mean;
                DemandSampler::NegativeBinomial(
                    Gamma::new(shape, scale).map_err(|_| {
                        invalid("variance", *variance, "gives no valid gamma mixing")
                    })?,
                )
            }
            DemandSource::Pmf(pmf) => DemandSampler::Pmf(cumulative_pmf("pmf", pmf)?),
            DemandSource::Replay(values) => {
                for &value in values {
                    non_negative("demand", value)?;
                }
                DemandSampler::Replay(values)
            }
        })
    }

    /// Fails when a replay is shorter than `periods`.
    pub(crate) fn check_horizon(&self, periods: usize) -> Result<()> {
        match self {
            DemandSource::Replay(values) if values.len() < periods => {
                Err(SimulateError::ReplayTooShort {
                    available: values.len(),
                    needed: periods,
                })
            }
            _ => Ok(()),
        }
    }
}

impl DemandSampler<'_> {
    /// Demand of `period` (1-based), units.
    pub(crate) fn draw(&self, period: usize, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            DemandSampler::Normal(normal) => normal.sample(rng).max(0.0),
            DemandSampler::Poisson(None) => 0.0,
            DemandSampler::Poisson(Some(poisson)) => poisson.sample(rng),
            DemandSampler::NegativeBinomial(gamma) => {
                let rate = gamma.sample(rng);
                match Poisson::new(rate) {
                    Ok(poisson) => poisson.sample(rng),
                    // The gamma draw underflowed to 0: a Poisson(0) demand.
                    Err(_) => 0.0,
                }
            }
            DemandSampler::Pmf(cdf) => invert(cdf, rng) as f64,
            DemandSampler::Replay(values) => values[period - 1],
        }
    }
}

/// The smallest k with cdf[k] > u·cdf[last], for u uniform on [0, 1).
pub(crate) fn invert(cdf: &[f64], rng: &mut ChaCha8Rng) -> usize {
    let u: f64 = StandardUniform.sample(rng);
    let target = u * cdf[cdf.len() - 1];
    cdf.partition_point(|&c| c <= target).min(cdf.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    fn moments(source: &DemandSource, n: usize) -> (f64, f64) {
        let sampler = source.sampler().unwrap();
        let mut rng = stream(7, 0);
        let draws: Vec<f64> = (1..=n).map(|t| sampler.draw(t, &mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let variance = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (mean, variance)
    }

    #[test]
    fn draws_have_the_stated_mean_and_variance() {
        let n = 200_000;
        // Standard errors of the mean are sd/√n ≈ 0.002·sd; the checks allow about 5 of them.
        let (m, v) = moments(&DemandSource::Poisson { mean: 6.0 }, n);
        assert!((m - 6.0).abs() < 0.03 && (v - 6.0).abs() < 0.15, "{m} {v}");
        let (m, v) = moments(
            &DemandSource::NegativeBinomial {
                mean: 4.0,
                variance: 12.0,
            },
            n,
        );
        assert!((m - 4.0).abs() < 0.04 && (v - 12.0).abs() < 0.6, "{m} {v}");
        let (m, v) = moments(
            &DemandSource::Normal {
                mean: 50.0,
                std_dev: 8.0,
            },
            n,
        );
        assert!((m - 50.0).abs() < 0.1 && (v - 64.0).abs() < 1.5, "{m} {v}");
        // pmf 0.2, 0.5, 0.3: mean 1.1, variance 0.5 + 1.2 - 1.21 = 0.49.
        let (m, v) = moments(&DemandSource::Pmf(vec![0.2, 0.5, 0.3]), n);
        assert!((m - 1.1).abs() < 0.01 && (v - 0.49).abs() < 0.01, "{m} {v}");
    }

    #[test]
    fn negative_normal_draws_count_as_zero() {
        let (m, _) = moments(
            &DemandSource::Normal {
                mean: -5.0,
                std_dev: 1.0,
            },
            1000,
        );
        assert_eq!(m, 0.0);
    }

    #[test]
    fn invalid_sources_are_refused() {
        assert!(
            DemandSource::Normal {
                mean: 1.0,
                std_dev: -1.0
            }
            .validate()
            .is_err()
        );
        assert!(DemandSource::Poisson { mean: -1.0 }.validate().is_err());
        assert!(
            DemandSource::NegativeBinomial {
                mean: 4.0,
                variance: 4.0
            }
            .validate()
            .is_err()
        );
        assert!(DemandSource::Pmf(vec![0.5, 0.4]).validate().is_err());
        assert!(DemandSource::Pmf(vec![]).validate().is_err());
        assert!(
            DemandSource::Replay(vec![1.0, f64::NAN])
                .validate()
                .is_err()
        );
        assert!(DemandSource::Replay(vec![1.0, -1.0]).validate().is_err());
        assert_eq!(
            DemandSource::Replay(vec![1.0]).check_horizon(3),
            Err(SimulateError::ReplayTooShort {
                available: 1,
                needed: 3
            })
        );
    }
}
