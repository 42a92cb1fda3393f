//! Intermittent-demand methods that smooth the demand sizes separately: Croston (classic), SBA
//! and TSB.
//!
//! Source: statsforecast 2.1.1, `python/statsforecast/models.py` (`_croston_classic`,
//! `_croston_sba`, `_tsb`, `_demand`, `_intervals`, `_probability`) with `src/ses.cpp`
//! (`ses_forecast`). Papers: Croston, J. D. (1972), "Forecasting and stock control for
//! intermittent demands", *Operational Research Quarterly* 23(3), 289–303; Syntetos, A. A. &
//! Boylan, J. E. (2005), "The accuracy of intermittent demand estimates", *International
//! Journal of Forecasting* 21(2), 303–314 (SBA); Teunter, R. H., Syntetos, A. A. & Babai,
//! M. Z. (2011), "Intermittent demand: linking forecasting to inventory obsolescence",
//! *European Journal of Operational Research* 214(3), 606–615 (TSB).

use super::{Forecast, MethodError, check_alpha, check_history, flat, intervals, ses_one_step};

/// The smoothing constant of classic Croston and SBA in statsforecast (`CrostonClassic`,
/// `CrostonSBA`): 0.1 for both the demand sizes and the intervals.
pub const CROSTON_ALPHA: f64 = 0.1;

/// The Syntetos–Boylan bias correction `1 - alpha / 2` at alpha = 0.1, as statsforecast
/// applies it to the Croston forecast (`CrostonSBA`).
pub const SBA_FACTOR: f64 = 0.95;

/// What [`croston`] and [`sba`] fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrostonParams {
    /// The smoothing constant for sizes and intervals ([`CROSTON_ALPHA`]).
    pub alpha: f64,
    /// The multiplier applied to `demand_level / interval_level`: 1 for Croston,
    /// [`SBA_FACTOR`] for SBA.
    pub factor: f64,
    /// The smoothed size of a non-zero demand (units), one step ahead; `None` when the history
    /// has no positive demand (the forecast is then the naive one, as in statsforecast).
    pub demand_level: Option<f64>,
    /// The smoothed interval between demands (periods), one step ahead; `None` as above.
    pub interval_level: Option<f64>,
}

fn croston_with(y: &[f64], h: usize, factor: f64) -> Result<Forecast<CrostonParams>, MethodError> {
    check_history(y)?;
    let demand: Vec<f64> = y.iter().copied().filter(|&v| v > 0.0).collect();
    if demand.is_empty() {
        // statsforecast: `_naive` (the last value; 0 for an all-zero series), times 0.95 for SBA.
        let last = y[y.len() - 1];
        let value = if factor == 1.0 { last } else { last * factor };
        return Ok(Forecast {
            mean: flat(value, h),
            params: CrostonParams {
                alpha: CROSTON_ALPHA,
                factor,
                demand_level: None,
                interval_level: None,
            },
        });
    }
    let demand_level = ses_one_step(&demand, CROSTON_ALPHA);
    let interval_level = ses_one_step(&intervals(y), CROSTON_ALPHA);
    let mut mean = if interval_level != 0.0 {
        demand_level / interval_level
    } else {
        demand_level
    };
    if factor != 1.0 {
        mean *= factor;
    }
    Ok(Forecast {
        mean: flat(mean, h),
        params: CrostonParams {
            alpha: CROSTON_ALPHA,
            factor,
            demand_level: Some(demand_level),
            interval_level: Some(interval_level),
        },
    })
}

/// Classic Croston (statsforecast `CrostonClassic`): SES with alpha = 0.1 of the positive
/// demand sizes and, separately, of the intervals between non-zero periods; every period of
/// the forecast is the ratio `demand_level / interval_level` (units per period).
///
/// Conventions (statsforecast's): each SES starts at its first value; the first interval
/// counts from t = −1, i.e. positions are 1-based, so `[0, 0, 0, 0, 0, 3, 0]` has one demand
/// of 3 after an interval of 6 and forecasts 0.5. A single demand forecasts
/// `size / (index + 1)`; a history without positive demand forecasts its last value (0 for
/// all zeros).
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods.
pub fn croston(y: &[f64], h: usize) -> Result<Forecast<CrostonParams>, MethodError> {
    croston_with(y, h, 1.0)
}

/// Syntetos–Boylan approximation (statsforecast `CrostonSBA`): [`croston`] times
/// [`SBA_FACTOR`] = 0.95, i.e. `1 - alpha / 2` at alpha = 0.1. `[0, 0, 0, 0, 0, 3, 0]` → 0.475.
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods.
pub fn sba(y: &[f64], h: usize) -> Result<Forecast<CrostonParams>, MethodError> {
    croston_with(y, h, SBA_FACTOR)
}

/// What [`tsb`] fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TsbParams {
    /// Smoothing constant for the demand sizes.
    pub alpha_d: f64,
    /// Smoothing constant for the probability of a demand.
    pub alpha_p: f64,
    /// Smoothed size of a positive demand (units), one step ahead; 0 when there is none.
    pub demand_level: f64,
    /// Smoothed probability that a period has a demand, one step ahead, in [0, 1].
    pub probability: f64,
}

/// Teunter–Syntetos–Babai (statsforecast `TSB(alpha_d, alpha_p)`): SES with `alpha_d` of the
/// positive demand sizes and SES with `alpha_p` of the demand indicator (1 where the period's
/// value is non-zero, else 0) over every period; every period of the forecast is
/// `probability × demand_level`. Both SES start at their first value. All zeros → 0.
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods; `alpha_d`,
/// `alpha_p` in [0, 1].
pub fn tsb(
    y: &[f64],
    h: usize,
    alpha_d: f64,
    alpha_p: f64,
) -> Result<Forecast<TsbParams>, MethodError> {
    check_history(y)?;
    check_alpha("alpha_d", alpha_d)?;
    check_alpha("alpha_p", alpha_p)?;
    let demand: Vec<f64> = y.iter().copied().filter(|&v| v > 0.0).collect();
    if y.iter().all(|&v| v == 0.0) || demand.is_empty() {
        // statsforecast returns zeros for an all-zero series; a history with no positive
        // value (negative values only, which statsforecast cannot fit) is treated alike.
        let probability = if y.iter().all(|&v| v == 0.0) {
            0.0
        } else {
            ses_one_step(&indicator(y), alpha_p)
        };
        return Ok(Forecast {
            mean: flat(0.0, h),
            params: TsbParams {
                alpha_d,
                alpha_p,
                demand_level: 0.0,
                probability,
            },
        });
    }
    let probability = ses_one_step(&indicator(y), alpha_p);
    let demand_level = ses_one_step(&demand, alpha_d);
    Ok(Forecast {
        mean: flat(probability * demand_level, h),
        params: TsbParams {
            alpha_d,
            alpha_p,
            demand_level,
            probability,
        },
    })
}

/// 1 where the value is non-zero, else 0 (statsforecast `_probability`).
fn indicator(y: &[f64]) -> Vec<f64> {
    y.iter()
        .map(|&v| if v != 0.0 { 1.0 } else { 0.0 })
        .collect()
}
