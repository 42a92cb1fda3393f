//! Exponential smoothing state-space models (ETS) with automatic model selection, equal to
//! statsforecast 2.1.1's `AutoETS`.
//!
//! [`ets`] fits every candidate model allowed by an [`EtsSpec`] (by default `ZZZ`: additive or
//! multiplicative error, no or additive trend, damped or not, no, additive or multiplicative
//! season) by maximum likelihood and keeps the one with the smallest AICc, then forecasts from
//! its last state. Multiplicative components are only tried on strictly positive histories, a
//! season only when the history is longer than one season, and the combinations that are
//! numerically unstable (additive error with a multiplicative trend or season, multiplicative
//! error and trend with an additive season) are never tried.
//!
//! What is reproduced from statsforecast (`python/statsforecast/ets.py`: `ets_f`, `etsmodel`,
//! `initparam`, `check_param`, `initstate`, `pegelsresid_C`, `pegelsfcast_C`; `src/ets.cpp`:
//! `Update`, `Forecast`, `Calc`, `ObjectiveFunction`, `Optimize`;
//! `include/statsforecast/nelder_mead.h`), itself a port of `ets` in Hyndman's R package
//! forecast:
//! - candidates in the order error (A, M) × trend (N, A) × season (N, A, M) × damped (yes, no);
//!   a later model replaces the best only with a strictly smaller AICc;
//! - starting smoothing constants from `initparam`, *including* its side effect: the upper
//!   bounds of beta and gamma are lowered in place to the starting alpha (beta) and
//!   1 − alpha (gamma) of each model fitted, and the next models start from those bounds;
//! - bounds alpha, beta, gamma in [1e-4, 0.9999], phi in [0.8, 0.98]; initial states
//!   unbounded; the `m`-th seasonal state is implied (the states sum to 0, or to `m` when
//!   multiplicative);
//! - the criterion `n log(sum e^2) + 2 sum log|f|` (the last term with multiplicative errors)
//!   minimised by statsforecast's bounded adaptive Nelder–Mead (tolerance 1e-4 on the standard
//!   deviation of the simplex values, at most 1,000 iterations);
//! - AICc = −2 log L + 2k + 2k(k + 1)/(n − k − 1), with k = the number of smoothing constants
//!   + initial states + 1 (the variance); sigma2 = sum e^2 / (n − k − 1);
//! - a constant series is fitted as ANN with alpha = 0.9999, before any other rule.
//!
//! Sources: Hyndman, R. J., Koehler, A. B., Ord, J. K. & Snyder, R. D. (2008), *Forecasting with
//! Exponential Smoothing: The State Space Approach*, Springer (chapters 2 and 5; Table 2.2 for
//! the recursions, §2.6.1 for the initial states, §7.2 for the admissible region);
//! Hyndman, R. J. & Khandakar, Y. (2008), "Automatic time series forecasting: the forecast
//! package for R", *Journal of Statistical Software* 27(3).

#[path = "ets_init.rs"]
mod init;
#[path = "ets_optim.rs"]
mod optim;
#[path = "ets_recursion.rs"]
mod recursion;

pub use recursion::Component;

use super::{Forecast, MethodError, check_history, numpy_mean, numpy_sum};
use init::initial_state;
use recursion::{MAX_SEASON, NA, Recursion, State};

/// Which ETS models [`ets`] may choose from: each component fixed or left to the selection
/// (`None`, statsforecast's `Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EtsSpec {
    /// The error: additive or multiplicative (never [`Component::None`]); `None` = choose.
    pub error: Option<Component>,
    /// The trend; `None` = choose between none and additive (as statsforecast, a
    /// multiplicative trend is only fitted when asked for).
    pub trend: Option<Component>,
    /// The season; `None` = choose between none, additive and multiplicative.
    pub season: Option<Component>,
    /// Whether the trend is damped; `None` = choose (only models with a trend are damped).
    pub damped: Option<bool>,
}

impl EtsSpec {
    /// `ZZZ`: every component chosen by AICc (statsforecast's `AutoETS()` default).
    pub const AUTO: EtsSpec = EtsSpec {
        error: None,
        trend: None,
        season: None,
        damped: None,
    };
}

impl Default for EtsSpec {
    fn default() -> Self {
        Self::AUTO
    }
}

/// A model string that [`EtsSpec`]'s `FromStr` could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtsSpecError(pub String);

impl std::fmt::Display for EtsSpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid ETS model {:?}: expected error A|M|Z, trend N|A|Ad|M|Md|Z, season N|A|M|Z (e.g. ZZZ, ANN, AAdN, MAM)",
            self.0
        )
    }
}

impl std::error::Error for EtsSpecError {}

impl std::str::FromStr for EtsSpec {
    type Err = EtsSpecError;

    /// Reads statsforecast's model strings: three letters error, trend, season from `A`
    /// (additive), `M` (multiplicative), `N` (none) and `Z` (choose), e.g. `ZZZ`, `ANN`, `MAM`;
    /// a `d` after the trend asks for a damped trend (`AAdN`). Without `d` a fixed trend is
    /// undamped and a chosen (`Z`) trend may be damped or not.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || EtsSpecError(s.to_string());
        let chars: Vec<char> = s.chars().collect();
        let (letters, damped) = match chars.as_slice() {
            [e, t, 'd', s] => ([*e, *t, *s], Some(true)),
            [e, t, s] => ([*e, *t, *s], None),
            _ => return Err(err()),
        };
        let component = |c: char, allow_none: bool| match c {
            'A' => Ok(Some(Component::Additive)),
            'M' => Ok(Some(Component::Multiplicative)),
            'N' if allow_none => Ok(Some(Component::None)),
            'Z' => Ok(None),
            _ => Err(err()),
        };
        let spec = EtsSpec {
            error: component(letters[0], false)?,
            trend: component(letters[1], true)?,
            season: component(letters[2], true)?,
            damped: match (damped, letters[1]) {
                (Some(_), 'N') => return Err(err()),
                (Some(d), _) => Some(d),
                (None, 'Z') => None,
                (None, _) => Some(false),
            },
        };
        if forbidden(spec.error, spec.trend, spec.season) {
            return Err(err());
        }
        Ok(spec)
    }
}

/// statsforecast's `restrict`: additive error with a multiplicative trend or season, and
/// multiplicative error and trend with an additive season, are unstable and never fitted.
fn forbidden(
    error: Option<Component>,
    trend: Option<Component>,
    season: Option<Component>,
) -> bool {
    use Component::{Additive, Multiplicative};
    (error == Some(Additive) && (trend == Some(Multiplicative) || season == Some(Multiplicative)))
        || (error == Some(Multiplicative)
            && trend == Some(Multiplicative)
            && season == Some(Additive))
}

/// One ETS model: error, trend, season and damping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EtsModel {
    /// Additive or multiplicative.
    pub error: Component,
    /// None, additive or multiplicative.
    pub trend: Component,
    /// None, additive or multiplicative.
    pub season: Component,
    /// Whether the trend is damped (false without trend).
    pub damped: bool,
}

impl EtsModel {
    /// statsforecast's `components` string: error, trend, season, then `D` (damped) or `N`,
    /// e.g. `AAND` for a damped additive trend with additive errors.
    pub fn components(&self) -> String {
        let c = |c: Component| match c {
            Component::None => 'N',
            Component::Additive => 'A',
            Component::Multiplicative => 'M',
        };
        let d = if self.damped { 'D' } else { 'N' };
        [c(self.error), c(self.trend), c(self.season), d]
            .iter()
            .collect()
    }
}

impl std::fmt::Display for EtsModel {
    /// The usual notation, e.g. `ETS(A,Ad,N)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = |c: Component| match c {
            Component::None => "N",
            Component::Additive => "A",
            Component::Multiplicative => "M",
        };
        let d = if self.damped { "d" } else { "" };
        write!(
            f,
            "ETS({},{}{},{})",
            c(self.error),
            c(self.trend),
            d,
            c(self.season)
        )
    }
}

/// Why [`ets`] fell back from the statsforecast behaviour on a short history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtsFallback {
    /// statsforecast refuses the history as too short for the spec (`n <= npars + 4`,
    /// "tiny datasets"); the model was still selected, among the candidates whose AICc is
    /// finite (fewer parameters than observations minus two).
    ShortHistory,
    /// No ETS model can be estimated (for example fewer than 5 observations that are not all
    /// equal, or fewer than 4 equal ones): the forecast is the mean of the history, reported as
    /// ANN with alpha = 0 and the level at that mean; `aicc` is infinite and `sigma2` is the
    /// sample variance (0 for one observation).
    HistoryMean,
}

/// What [`ets`] fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct EtsParams {
    /// The chosen model.
    pub model: EtsModel,
    /// The season length the model uses in periods: 1 without a season.
    pub season_length: usize,
    /// The level's smoothing constant.
    pub alpha: f64,
    /// The growth's smoothing constant; `None` without trend.
    pub beta: Option<f64>,
    /// The season's smoothing constant; `None` without season.
    pub gamma: Option<f64>,
    /// The damping factor; `None` when the trend is not damped.
    pub phi: Option<f64>,
    /// The initial level `l_0` (units per period).
    pub initial_level: f64,
    /// The initial growth `b_0` (units per period, or a ratio for a multiplicative trend);
    /// `None` without trend.
    pub initial_trend: Option<f64>,
    /// The initial seasonal states, newest first (`s_0, s_{-1}, …, s_{-m+1}`, as statsforecast
    /// stores them; the last is implied by the others); empty without season.
    pub initial_season: Vec<f64>,
    /// The state after the last observation, `[l, (b), s_1 .. s_m]`, from which the forecast
    /// is made.
    pub final_state: Vec<f64>,
    /// The corrected Akaike information criterion the model was chosen by.
    pub aicc: f64,
    /// Akaike's information criterion.
    pub aic: f64,
    /// The Bayesian (Schwarz) information criterion.
    pub bic: f64,
    /// The log-likelihood (up to statsforecast's constant: `-0.5 * (n log(sum e^2) + …)`).
    pub log_likelihood: f64,
    /// The variance of the one-step residuals, `sum e^2 / (n - k - 1)` with `k` the number of
    /// estimated parameters plus one: squared units per period with an additive error, squared
    /// relative error with a multiplicative one. With the point forecast it gives quantiles
    /// (one step ahead: `mean ± z sqrt(sigma2)` for an additive error).
    pub sigma2: f64,
    /// `Some` when the history was too short for statsforecast's behaviour (see
    /// [`EtsFallback`]); a caller should warn.
    pub fallback: Option<EtsFallback>,
}

/// Bounds of the smoothing constants alpha, beta, gamma, phi (statsforecast's defaults).
const LOWER: [f64; 4] = [0.0001, 0.0001, 0.0001, 0.8];
const UPPER: [f64; 4] = [0.9999, 0.9999, 0.9999, 0.98];

/// ETS with automatic model selection (statsforecast `AutoETS(season_length, model)`): point
/// forecasts for `h` periods from the model with the smallest AICc among those `spec` allows.
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods; `season_length`:
/// `m` in periods, at least 1 (12 for monthly data with a yearly season; 1 for none).
///
/// Conventions (see the module documentation and `docs/forecasting.md`):
/// - a season is only considered when the history is longer than `m` (and `m` > 1);
/// - a constant history is fitted as ANN with alpha = 0.9999 and forecasts its value; all
///   zeros forecast 0;
/// - short histories, where statsforecast raises, get the fallbacks of [`EtsFallback`]:
///   `[60, 60, 60]` forecasts 60, a single value forecasts itself, two values their mean;
/// - forecasts are clamped at 0.
///
/// Errors: an empty or non-finite history; `season_length` 0; a spec that asks for a season
/// with `season_length` 1 or longer than 64 periods; a spec whose fixed components are a
/// forbidden combination or multiplicative on a history that is not strictly positive
/// (`InvalidParameter` named `spec`, with the smallest observation as the value where that is
/// the reason).
pub fn ets(
    y: &[f64],
    h: usize,
    season_length: usize,
    spec: EtsSpec,
) -> Result<Forecast<EtsParams>, MethodError> {
    check_history(y)?;
    if season_length == 0 {
        return Err(MethodError::InvalidParameter {
            name: "season_length",
            value: 0.0,
            expected: "a season length of at least 1 period",
        });
    }
    if spec.error == Some(Component::None) || forbidden(spec.error, spec.trend, spec.season) {
        return Err(MethodError::InvalidParameter {
            name: "spec",
            value: f64::NAN,
            expected: "error A or M, and no additive error with a multiplicative trend or season, nor MMA",
        });
    }
    if spec.damped == Some(true) && spec.trend == Some(Component::None) {
        return Err(MethodError::InvalidParameter {
            name: "spec",
            value: f64::NAN,
            expected: "a damped model with a trend",
        });
    }
    let n = y.len();
    let mut fitter = Fitter::new(y);

    if y.iter().all(|&v| v == y[0]) {
        // statsforecast `ets_f`: a constant series is ANN with alpha = 0.9999, whatever the spec.
        let model = EtsModel {
            error: Component::Additive,
            trend: Component::None,
            season: Component::None,
            damped: false,
        };
        let fit = fitter.fit(model, season_length, Some(0.9999));
        return Ok(match fit {
            Some(fit) => fit.into_forecast(h, None),
            None => history_mean(y, h),
        });
    }

    let m = season_length;
    let mut season = spec.season;
    if n <= m {
        season = Some(Component::None);
    }
    if m == 1 {
        if matches!(
            season,
            Some(Component::Additive | Component::Multiplicative)
        ) {
            return Err(MethodError::InvalidParameter {
                name: "season_length",
                value: 1.0,
                expected: "at least 2 periods for a seasonal model",
            });
        }
        season = Some(Component::None);
    }
    if season != Some(Component::None) && m > MAX_SEASON {
        return Err(MethodError::InvalidParameter {
            name: "season_length",
            value: m as f64,
            expected: "at most 64 periods for a seasonal model",
        });
    }
    let min_y = y.iter().copied().fold(f64::INFINITY, f64::min);
    let positive = min_y > 0.0;
    let multiplicative_asked = spec.error == Some(Component::Multiplicative)
        || season == Some(Component::Multiplicative)
        || spec.trend == Some(Component::Multiplicative);
    if !positive && multiplicative_asked {
        return Err(MethodError::InvalidParameter {
            name: "spec",
            value: min_y,
            expected: "strictly positive observations for a multiplicative component",
        });
    }

    // statsforecast refuses "tiny datasets": n <= npars + 4, counting 2 per fixed component.
    let fixed =
        |c: Option<Component>| matches!(c, Some(Component::Additive | Component::Multiplicative));
    let npars = 2
        + 2 * usize::from(fixed(spec.trend))
        + 2 * usize::from(fixed(season))
        + usize::from(spec.damped == Some(true));
    let short = n <= npars + 4;

    let errors = match spec.error {
        Some(e) => vec![e],
        None => vec![Component::Additive, Component::Multiplicative],
    };
    let trends = match spec.trend {
        Some(t) => vec![t],
        None => vec![Component::None, Component::Additive],
    };
    let seasons = match season {
        Some(s) => vec![s],
        None => vec![
            Component::None,
            Component::Additive,
            Component::Multiplicative,
        ],
    };
    let dampings = match spec.damped {
        Some(d) => vec![d],
        None => vec![true, false],
    };
    let mut best: Option<Fit> = None;
    for &error in &errors {
        for &trend in &trends {
            for &season in &seasons {
                for &damped in &dampings {
                    if trend == Component::None && damped {
                        continue;
                    }
                    if forbidden(Some(error), Some(trend), Some(season)) {
                        continue;
                    }
                    if !positive
                        && (error == Component::Multiplicative
                            || season == Component::Multiplicative)
                    {
                        continue;
                    }
                    if season != Component::None && season_length == 1 {
                        continue;
                    }
                    let model = EtsModel {
                        error,
                        trend,
                        season,
                        damped,
                    };
                    let Some(fit) = fitter.fit(model, season_length, None) else {
                        continue;
                    };
                    if !fit.aicc.is_nan() && best.as_ref().is_none_or(|b| fit.aicc < b.aicc) {
                        best = Some(fit);
                    }
                }
            }
        }
    }
    // statsforecast keeps a first model only when its AICc is below +inf.
    match best {
        Some(fit) if fit.aicc < f64::INFINITY => {
            Ok(fit.into_forecast(h, short.then_some(EtsFallback::ShortHistory)))
        }
        _ => Ok(history_mean(y, h)),
    }
}

/// The [`EtsFallback::HistoryMean`] forecast.
fn history_mean(y: &[f64], h: usize) -> Forecast<EtsParams> {
    let n = y.len();
    let mean = numpy_mean(y);
    let sigma2 = if n > 1 {
        let sq: Vec<f64> = y.iter().map(|v| (v - mean) * (v - mean)).collect();
        numpy_sum(&sq) / (n - 1) as f64
    } else {
        0.0
    };
    Forecast {
        mean: vec![mean.max(0.0); h],
        params: EtsParams {
            model: EtsModel {
                error: Component::Additive,
                trend: Component::None,
                season: Component::None,
                damped: false,
            },
            season_length: 1,
            alpha: 0.0,
            beta: None,
            gamma: None,
            phi: None,
            initial_level: mean,
            initial_trend: None,
            initial_season: Vec::new(),
            final_state: vec![mean],
            aicc: f64::INFINITY,
            aic: f64::INFINITY,
            bic: f64::INFINITY,
            log_likelihood: f64::NEG_INFINITY,
            sigma2,
            fallback: Some(EtsFallback::HistoryMean),
        },
    }
}

/// One fitted candidate.
struct Fit {
    recursion: Recursion,
    params: EtsParams,
    last_state: State,
    aicc: f64,
}

impl Fit {
    fn into_forecast(self, h: usize, fallback: Option<EtsFallback>) -> Forecast<EtsParams> {
        let mean = self
            .recursion
            .forecast(&self.last_state, h)
            .into_iter()
            .map(|v| v.max(0.0))
            .collect();
        Forecast {
            mean,
            params: EtsParams {
                fallback,
                ..self.params
            },
        }
    }
}

/// Fits candidates one after the other, carrying statsforecast's mutable bounds and the
/// optimiser's buffers.
struct Fitter<'a> {
    y: &'a [f64],
    lower: [f64; 4],
    upper: [f64; 4],
    scratch: optim::Scratch,
}

impl<'a> Fitter<'a> {
    fn new(y: &'a [f64]) -> Self {
        Fitter {
            y,
            lower: LOWER,
            upper: UPPER,
            scratch: optim::Scratch::default(),
        }
    }

    /// statsforecast's `etsmodel`: `None` where it raises or cannot estimate the model (more
    /// parameters than observations minus two).
    fn fit(
        &mut self,
        model: EtsModel,
        season_length: usize,
        fixed_alpha: Option<f64>,
    ) -> Option<Fit> {
        let y = self.y;
        let n = y.len();
        let has_trend = model.trend != Component::None;
        let has_season = model.season != Component::None;
        let m = if has_season { season_length } else { 1 };

        // initparam: starting values, lowering the shared upper bounds of beta and gamma.
        let (lower, upper) = (&self.lower, &mut self.upper);
        let alpha = match fixed_alpha {
            Some(a) => a,
            None => {
                let a = lower[0] + 0.2 * (upper[0] - lower[0]) / m as f64;
                if !(0.0..=1.0).contains(&a) {
                    lower[0] + 2e-3
                } else {
                    a
                }
            }
        };
        let beta = has_trend.then(|| {
            upper[1] = if alpha < upper[1] { alpha } else { upper[1] };
            let b = lower[1] + 0.1 * (upper[1] - lower[1]);
            if b < 0.0 || b > alpha {
                alpha - 1e-3
            } else {
                b
            }
        });
        let gamma = has_season.then(|| {
            upper[2] = if 1.0 - alpha < upper[2] {
                1.0 - alpha
            } else {
                upper[2]
            };
            let g = lower[2] + 0.05 * (upper[2] - lower[2]);
            if g < 0.0 || g > 1.0 - alpha {
                1.0 - alpha - 1e-3
            } else {
                g
            }
        });
        let phi = model.damped.then(|| {
            let p = lower[3] + 0.99 * (upper[3] - lower[3]);
            if !(0.0..=1.0).contains(&p) {
                upper[3] - 1e-3
            } else {
                p
            }
        });
        if !check_param(alpha, beta, gamma, phi, lower, upper, m) {
            return None;
        }
        let init = initial_state(y, m, model.trend, model.season).ok()?;
        let nstate = init.len();
        let mut x0 = vec![alpha];
        let mut lo = vec![lower[0]];
        let mut hi = vec![upper[0]];
        for (value, i) in [(beta, 1), (gamma, 2), (phi, 3)] {
            if let Some(v) = value {
                x0.push(v);
                lo.push(lower[i]);
                hi.push(upper[i]);
            }
        }
        let n_smoothing = x0.len();
        x0.extend_from_slice(&init);
        lo.resize(x0.len(), f64::NEG_INFINITY);
        hi.resize(x0.len(), f64::INFINITY);
        let np = x0.len();
        if np + 1 >= n {
            return None;
        }

        let template = Recursion {
            error: model.error,
            trend: model.trend,
            season: model.season,
            m,
            alpha,
            beta: beta.unwrap_or(0.0),
            gamma: gamma.unwrap_or(0.0),
            phi: phi.unwrap_or(1.0),
        };
        let opt_alpha = fixed_alpha.is_none();
        let objective = |p: &[f64]| -> f64 {
            let mut r = template;
            let mut j = 0;
            if opt_alpha {
                r.alpha = p[j];
                j += 1;
            }
            if has_trend {
                r.beta = p[j];
                j += 1;
            }
            if has_season {
                r.gamma = p[j];
                j += 1;
            }
            if model.damped {
                r.phi = p[j];
            }
            let states = &p[np - nstate..];
            let mut implied = None;
            if has_season {
                let start = 1 + usize::from(has_trend);
                let sum = optim::eigen_sum(&states[start..], start % 2);
                let base = if model.season == Component::Multiplicative {
                    m as f64
                } else {
                    0.0
                };
                let last = base - sum;
                if model.season == Component::Multiplicative
                    && (last < 0.0 || states[start..].iter().any(|&v| v < 0.0))
                {
                    return f64::INFINITY;
                }
                implied = Some(last);
            }
            let mut st = State::from_states(states, implied, model.trend, model.season, m);
            let lik = r.run(&mut st, y, None);
            let lik = if lik < -1e10 { -1e10 } else { lik };
            if lik.is_nan() || (lik - NA).abs() < 1e-7 {
                f64::NEG_INFINITY
            } else {
                lik
            }
        };
        let x = optim::nelder_mead(objective, &x0, &lo, &hi, &mut self.scratch);

        // The fitted parameters and the full initial state (with the implied seasonal state).
        let mut initial: Vec<f64> = x[np - nstate..].to_vec();
        if has_season {
            let start = 1 + usize::from(has_trend);
            let base = if model.season == Component::Multiplicative {
                m as f64
            } else {
                0.0
            };
            initial.push(base - numpy_sum(&initial[start..nstate]));
        }
        let mut j = 1;
        let alpha = x[0];
        let mut take = |present: bool| {
            present.then(|| {
                let v = x[j];
                j += 1;
                v
            })
        };
        let beta = take(has_trend);
        let gamma = take(has_season);
        let phi = take(model.damped);
        debug_assert_eq!(j, n_smoothing);

        let recursion = Recursion {
            alpha,
            beta: beta.unwrap_or(0.0),
            gamma: gamma.unwrap_or(0.0),
            phi: phi.unwrap_or(1.0),
            ..template
        };
        let mut state = State::from_initial(&initial, model.trend, model.season, m);
        let mut errors = Vec::with_capacity(n);
        let lik = recursion.run(&mut state, y, Some(&mut errors));
        let lik = if (lik - NA).abs() < 1e-7 {
            f64::NAN
        } else {
            lik
        };
        let k = (np + 1) as f64;
        let nf = n as f64;
        let aic = lik + 2.0 * k;
        let bic = lik + nf.ln() * k;
        let aicc = if nf - k - 1.0 != 0.0 {
            aic + 2.0 * k * (k + 1.0) / (nf - k - 1.0)
        } else {
            f64::INFINITY
        };
        let squares: Vec<f64> = errors.iter().map(|e| e * e).collect();
        let sigma2 = numpy_sum(&squares) / (nf - k - 1.0);
        let params = EtsParams {
            model,
            season_length: m,
            alpha,
            beta,
            gamma,
            phi,
            initial_level: initial[0],
            initial_trend: has_trend.then(|| initial[1]),
            initial_season: initial[1 + usize::from(has_trend)..].to_vec(),
            final_state: state.to_vec(model.trend),
            aicc,
            aic,
            bic,
            log_likelihood: -0.5 * lik,
            sigma2,
            fallback: None,
        };
        Some(Fit {
            recursion,
            params,
            last_state: state,
            aicc,
        })
    }
}

/// statsforecast's `check_param` with `bounds="both"`: the usual bounds on the starting
/// values, then the simple inequalities of the admissible region (Hyndman et al. 2008,
/// §7.2). statsforecast also checks the roots of the seasonal characteristic polynomial;
/// with its starting values (small beta and gamma) that check always passes, so it is left
/// out.
fn check_param(
    alpha: f64,
    beta: Option<f64>,
    gamma: Option<f64>,
    phi: Option<f64>,
    lower: &[f64; 4],
    upper: &[f64; 4],
    m: usize,
) -> bool {
    if alpha < lower[0] || alpha > upper[0] {
        return false;
    }
    if let Some(b) = beta
        && (b < lower[1] || b > alpha || b > upper[1])
    {
        return false;
    }
    if let Some(p) = phi
        && (p < lower[3] || p > upper[3])
    {
        return false;
    }
    if let Some(g) = gamma
        && (g < lower[2] || g > 1.0 - alpha || g > upper[2])
    {
        return false;
    }
    // admissible()
    let phi = phi.unwrap_or(1.0);
    if !(0.0..=1.0 + 1e-8).contains(&phi) {
        return false;
    }
    match gamma {
        None => {
            if alpha < 1.0 - 1.0 / phi || alpha > 1.0 + 1.0 / phi {
                return false;
            }
            if let Some(b) = beta
                && (b < alpha * (phi - 1.0) || b > (1.0 + phi) * (2.0 - alpha))
            {
                return false;
            }
        }
        Some(g) if m > 1 => {
            let b = beta.unwrap_or(0.0);
            let mf = m as f64;
            let lo = (1.0 - 1.0 / phi - alpha).max(0.0);
            if g < lo || g > 1.0 + 1.0 / phi - alpha {
                return false;
            }
            if alpha < 1.0 - 1.0 / phi - g * (1.0 - mf + phi + phi * mf) / (2.0 * phi * mf) {
                return false;
            }
            if b < -(1.0 - phi) * (g / mf + alpha) {
                return false;
            }
        }
        Some(_) => {}
    }
    true
}
