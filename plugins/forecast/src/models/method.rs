//! The forecasting methods as data: which function of [`crate::methods`] a model type runs,
//! with which parameters, what it reports as fitted, and how the spread of its forecast grows
//! with the horizon.

use std::collections::BTreeMap;

use restock_core::Period;

use crate::methods::{self, Component, EtsFallback, EtsSpec, MethodError};

/// A forecasting method and its parameters, as configured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// The last observation.
    Naive,
    /// The observation one season earlier; `None`: 7 for days, 52 for weeks, 12 for months.
    SeasonalNaive {
        /// Season length in periods.
        season_length: Option<usize>,
    },
    /// The mean of the last `window_size` observations (statsforecast `WindowAverage`).
    MovingAverage {
        /// Observations averaged.
        window_size: usize,
    },
    /// Simple exponential smoothing; `alpha: None` chooses it by least squares.
    Ses {
        /// Smoothing constant.
        alpha: Option<f64>,
    },
    /// Classic Croston (alpha 0.1).
    Croston,
    /// Syntetos–Boylan approximation (0.95 × Croston).
    Sba,
    /// Teunter–Syntetos–Babai.
    Tsb {
        /// Smoothing constant of the demand sizes.
        alpha_d: f64,
        /// Smoothing constant of the probability of demand.
        alpha_p: f64,
    },
    /// Aggregate–disaggregate intermittent demand approach.
    Adida,
    /// Intermittent multiple aggregation prediction algorithm.
    Imapa,
    /// Exponential smoothing state-space models, chosen by AICc (statsforecast `AutoETS`).
    Ets {
        /// Season length in periods (1: no season).
        season_length: usize,
        /// Which models may be chosen (`ZZZ`: all).
        spec: EtsSpec,
    },
    /// Chosen per item by the Syntetos–Boylan class (see [`super::classify`]).
    Auto {
        /// Cut-off of the average inter-demand interval.
        adi_cutoff: f64,
        /// Cut-off of the squared coefficient of variation of demand sizes.
        cv2_cutoff: f64,
    },
}

/// Bounds of the least-squares search for SES's alpha when none is given: statsforecast's
/// `SimpleExponentialSmoothingOptimized` (`_ses_optimized` passes (0.01, 0.99)).
pub const SES_ALPHA_BOUNDS: (f64, f64) = (0.01, 0.99);

/// How the spread of a forecast grows with the horizon `h` (periods ahead, from 1), given the
/// root mean squared one-step error σ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Spread {
    /// Normal, σ_h = σ √h: the random walk behind the naive method.
    RandomWalk,
    /// Normal, σ_h = σ √(⌊(h − 1) / m⌋ + 1): seasonal naive with season `m`.
    Seasonal(usize),
    /// Normal, σ_h = σ √(1 + α² (h − 1)): SES as the local-level model ETS(A,N,N).
    LocalLevel(f64),
    /// Normal, σ_h = σ: a mean of recent observations.
    Flat,
    /// Count demand: Poisson, or negative binomial when σ² exceeds the mean; σ per period,
    /// the same at every horizon.
    Count,
    /// Normal, σ_h = σ √(1 + Σ_{j=1}^{h−1} c_j²) with c_j = α + β φ_j + γ d_{j,m}
    /// (Hyndman, Koehler, Ord & Snyder 2008, Table 6.1); σ relative to the forecast when the
    /// error is multiplicative.
    Ets {
        /// Level smoothing constant.
        alpha: f64,
        /// Growth smoothing constant (0 without trend).
        beta: f64,
        /// Seasonal smoothing constant (0 without season).
        gamma: f64,
        /// Damping (1 when not damped).
        phi: f64,
        /// Season length (1 without season).
        season_length: usize,
        /// σ is a relative error (multiplicative error): σ in units is the forecast times σ.
        relative: bool,
    },
}

/// A method fitted to one history.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fit {
    /// Point forecasts, units per period, `h` of them; never negative.
    pub mean: Vec<f64>,
    /// What was fitted or used, by name.
    pub params: BTreeMap<String, f64>,
    /// How the spread grows with the horizon.
    pub spread: Spread,
    /// Fallbacks a planner should know of, one line each.
    pub notes: Vec<String>,
    /// A fallback to report as a warning for this item (also in `notes`).
    pub warning: Option<String>,
    /// A fallback counted over items in one warning (also in `notes`): its short description.
    pub counted: Option<&'static str>,
    /// The method's own one-step σ (ETS: from its likelihood fit), used instead of refitting at
    /// every origin.
    pub sigma: Option<f64>,
    /// The method as the report names it, when more precise than its type (`ets(A,N,N)`).
    pub label: Option<String>,
}

impl Method {
    /// The model type and method name: `naive`, `seasonal_naive`, `moving_average`, `ses`,
    /// `croston`, `sba`, `tsb`, `adida`, `imapa`, `auto`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Naive => "naive",
            Self::SeasonalNaive { .. } => "seasonal_naive",
            Self::MovingAverage { .. } => "moving_average",
            Self::Ses { .. } => "ses",
            Self::Croston => "croston",
            Self::Sba => "sba",
            Self::Tsb { .. } => "tsb",
            Self::Adida => "adida",
            Self::Imapa => "imapa",
            Self::Ets { .. } => "ets",
            Self::Auto { .. } => "auto",
        }
    }

    /// The season length used by `seasonal_naive` at `period` when none is configured: a week
    /// of days, a year of weeks or of months.
    pub fn default_season_length(period: Period) -> usize {
        match period {
            Period::Day => 7,
            Period::Week => 52,
            Period::Month => 12,
        }
    }

    /// The first history position whose one-step forecast is the method's regular one: after
    /// a full season for seasonal naive, a full window for the moving average, else 1. Earlier
    /// one-step errors measure the short-history fallback, not the method.
    pub(crate) fn first_regular_origin(&self, period: Period) -> usize {
        match *self {
            Self::SeasonalNaive { season_length } => {
                season_length.unwrap_or_else(|| Self::default_season_length(period))
            }
            Self::MovingAverage { window_size } => window_size,
            _ => 1,
        }
    }

    /// Fits the method to `y` (units per period, oldest first, finite, non-empty) and
    /// forecasts `h` periods. `Auto` must be resolved to a concrete method first.
    pub(crate) fn fit(&self, y: &[f64], h: usize, period: Period) -> Result<Fit, MethodError> {
        let mut params = BTreeMap::new();
        let mut notes = Vec::new();
        let mut warning = None;
        let mut counted = None;
        let mut sigma = None;
        let mut label = None;
        let (mean, spread) = match *self {
            Self::Naive => (methods::naive(y, h)?.mean, Spread::RandomWalk),
            Self::SeasonalNaive { season_length } => {
                let m = season_length.unwrap_or_else(|| Self::default_season_length(period));
                let f = methods::seasonal_naive(y, h, m)?;
                params.insert("season_length".into(), m as f64);
                if f.params.short_history {
                    let note = format!(
                        "history of {} {}s is shorter than the season ({m}): the seasonal positions without an observation forecast the last value (the naive method)",
                        y.len(),
                        period.as_str()
                    );
                    notes.push(note.clone());
                    warning = Some(note);
                }
                (f.mean, Spread::Seasonal(m))
            }
            Self::MovingAverage { window_size } => {
                let f = methods::window_average(y, h, window_size)?;
                params.insert("window_size".into(), window_size as f64);
                params.insert("window_used".into(), f.params.used as f64);
                if f.params.used < window_size {
                    notes.push(format!(
                        "history of {} {}s is shorter than window_size ({window_size}): all of it is averaged",
                        y.len(),
                        period.as_str()
                    ));
                }
                (f.mean, Spread::Flat)
            }
            Self::Ses { alpha } => {
                let alpha = alpha.unwrap_or_else(|| optimal_ses_alpha(y));
                params.insert("alpha".into(), alpha);
                (methods::ses(y, h, alpha)?.mean, Spread::LocalLevel(alpha))
            }
            Self::Croston | Self::Sba => {
                let f = if *self == Self::Croston {
                    methods::croston(y, h)?
                } else {
                    methods::sba(y, h)?
                };
                params.insert("alpha".into(), f.params.alpha);
                params.insert("factor".into(), f.params.factor);
                if let Some(level) = f.params.demand_level {
                    params.insert("demand_level".into(), level);
                }
                if let Some(level) = f.params.interval_level {
                    params.insert("interval_level".into(), level);
                }
                (f.mean, Spread::Count)
            }
            Self::Tsb { alpha_d, alpha_p } => {
                let f = methods::tsb(y, h, alpha_d, alpha_p)?;
                params.insert("alpha_d".into(), alpha_d);
                params.insert("alpha_p".into(), alpha_p);
                params.insert("demand_level".into(), f.params.demand_level);
                params.insert("probability".into(), f.params.probability);
                (f.mean, Spread::Count)
            }
            Self::Adida => {
                let f = methods::adida(y, h)?;
                if let Some(level) = f.params.aggregation_level {
                    params.insert("aggregation_level".into(), level as f64);
                }
                if let Some(alpha) = f.params.alpha {
                    params.insert("alpha".into(), alpha);
                }
                params.insert("bucket_forecast".into(), f.params.bucket_forecast);
                (f.mean, Spread::Count)
            }
            Self::Imapa => {
                let f = methods::imapa(y, h)?;
                params.insert(
                    "max_aggregation_level".into(),
                    f.params.max_aggregation_level as f64,
                );
                for level in &f.params.levels {
                    let l = level.aggregation_level;
                    params.insert(format!("level_{l}_alpha"), level.alpha);
                    params.insert(format!("level_{l}_forecast"), level.forecast);
                }
                (f.mean, Spread::Count)
            }
            Self::Ets {
                season_length,
                spec,
            } => {
                let f = methods::ets(y, h, season_length, spec)?;
                let p = &f.params;
                let model = p.model.to_string();
                label = Some(format!("ets{}", model.trim_start_matches("ETS")));
                params.insert("season_length".into(), p.season_length as f64);
                params.insert("alpha".into(), p.alpha);
                for (name, value) in [("beta", p.beta), ("gamma", p.gamma), ("phi", p.phi)] {
                    if let Some(value) = value {
                        params.insert(name.into(), value);
                    }
                }
                params.insert("aicc".into(), p.aicc);
                params.insert("aic".into(), p.aic);
                params.insert("bic".into(), p.bic);
                params.insert("sigma2".into(), p.sigma2);
                let n = y.len();
                let per = period.as_str();
                match p.fallback {
                    Some(EtsFallback::ShortHistory) => {
                        notes.push(format!(
                            "{n} {per}s are too few for statsforecast's AutoETS (it refuses n ≤ parameters + 4): {model} was chosen among the models with a finite AICc"
                        ));
                        counted = Some("ETS chose among fewer models on a short history");
                    }
                    Some(EtsFallback::HistoryMean) => {
                        notes.push(format!(
                            "no ETS model can be estimated from {n} {per}s: the forecast is the history's mean"
                        ));
                        counted = Some(
                            "no ETS model could be estimated, so the forecast is the history's mean",
                        );
                    }
                    None => {}
                }
                let multiplicative = p.model.error == Component::Multiplicative;
                sigma = Some(p.sigma2.max(0.0).sqrt());
                (
                    f.mean,
                    Spread::Ets {
                        alpha: p.alpha,
                        beta: p.beta.unwrap_or(0.0),
                        gamma: p.gamma.unwrap_or(0.0),
                        phi: p.phi.unwrap_or(1.0),
                        season_length: p.season_length.max(1),
                        relative: multiplicative,
                    },
                )
            }
            Self::Auto { .. } => unreachable!("`auto` is resolved per item before fitting"),
        };
        Ok(Fit {
            mean,
            params,
            spread,
            notes,
            warning,
            counted,
            sigma,
            label,
        })
    }
}

/// SES's alpha minimising the in-sample sum of squared one-step errors on
/// [`SES_ALPHA_BOUNDS`], by statsforecast's golden-section search (`golden_section_ses`).
fn optimal_ses_alpha(y: &[f64]) -> f64 {
    methods::golden_section_ses(y, SES_ALPHA_BOUNDS.0, SES_ALPHA_BOUNDS.1)
}
