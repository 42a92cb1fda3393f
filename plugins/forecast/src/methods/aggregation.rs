//! Temporal-aggregation methods: ADIDA and IMAPA.
//!
//! Both aggregate the history into non-overlapping buckets of `L` periods (dropping the oldest
//! `n mod L` periods so the buckets end at the last observation), forecast the bucket sums by
//! simple exponential smoothing with the smoothing constant minimising the in-sample squared
//! one-step error on [0.1, 0.3] (golden-section search), and spread the bucket forecast evenly
//! over its `L` periods.
//!
//! Source: statsforecast 2.1.1, `python/statsforecast/models.py` (`_adida`, `_imapa`,
//! `_chunk_sums`, `_optimized_ses_forecast`) and `src/ses.cpp` (`chunk_forecast`,
//! `golden_section_ses`, `ses_sse`, `ses_forecast`). Papers: Nikolopoulos, K., Syntetos,
//! A. A., Boylan, J. E., Petropoulos, F. & Assimakopoulos, V. (2011), "An aggregate–
//! disaggregate intermittent demand approach (ADIDA) to forecasting: an empirical proposition
//! and analysis", *Journal of the Operational Research Society* 62(3), 544–554; Petropoulos, F.
//! & Kourentzes, N. (2015), "Forecast combinations for intermittent demand", *Journal of the
//! Operational Research Society* 66(6), 914–924 (IMAPA).

use super::{
    Forecast, MethodError, check_history, flat, golden_section_ses, intervals, numpy_mean,
    numpy_sum, ses_one_step,
};

/// Bounds of the golden-section search for the SES smoothing constant (statsforecast's
/// `_optimized_ses_forecast` default and `golden_section_ses`'s).
const ALPHA_BOUNDS: (f64, f64) = (0.1, 0.3);

/// The aggregation level of ADIDA and the largest one of IMAPA: the mean interval between
/// non-zero periods (first interval counted from t = −1), rounded half to even as Python's
/// `round`. `None` when the history has no non-zero value.
fn mean_interval_level(y: &[f64]) -> Option<usize> {
    let iv = intervals(y);
    if iv.is_empty() {
        return None;
    }
    // Intervals are at least 1, so the level is at least 1 and at most the history length.
    Some(numpy_mean(&iv).round_ties_even() as usize)
}

/// What [`adida`] fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdidaParams {
    /// Bucket length `L` in periods; `None` for an all-zero history.
    pub aggregation_level: Option<usize>,
    /// The SES smoothing constant found on [0.1, 0.3]; `None` when there were fewer than two
    /// buckets (the forecast is then the single bucket's sum, as statsforecast's
    /// `chunk_forecast`) or no demand.
    pub alpha: Option<f64>,
    /// The forecast of the next bucket's sum (units per `L` periods).
    pub bucket_forecast: f64,
}

/// ADIDA (statsforecast `ADIDA`): aggregation level `L` = the mean inter-demand interval
/// rounded half to even; bucket sums of `L` periods ending at the last observation; SES of the
/// bucket sums with alpha by golden-section search on [0.1, 0.3]; every period of the forecast
/// is the bucket forecast divided by `L`. With a single bucket, its sum is the bucket forecast.
/// All zeros → 0.
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods.
pub fn adida(y: &[f64], h: usize) -> Result<Forecast<AdidaParams>, MethodError> {
    check_history(y)?;
    let level = match mean_interval_level(y) {
        Some(level) => level,
        None => {
            return Ok(Forecast {
                mean: flat(0.0, h),
                params: AdidaParams {
                    aggregation_level: None,
                    alpha: None,
                    bucket_forecast: 0.0,
                },
            });
        }
    };
    let (bucket_forecast, alpha) = chunk_forecast(y, level);
    Ok(Forecast {
        mean: flat(bucket_forecast / level as f64, h),
        params: AdidaParams {
            aggregation_level: Some(level),
            alpha,
            bucket_forecast,
        },
    })
}

/// statsforecast's `chunk_forecast` (`src/ses.cpp`): the SES forecast of the sums of the
/// buckets of `level` periods ending at the last observation, and the alpha used.
fn chunk_forecast(y: &[f64], level: usize) -> (f64, Option<f64>) {
    let n = y.len();
    let lost = n % level;
    let n_cut = n - lost;
    if n_cut < level {
        return (y[n - 1], None);
    }
    let sums: Vec<f64> = y[lost..]
        .chunks_exact(level)
        .map(|chunk| {
            let mut s = 0.0;
            for &v in chunk {
                s += v;
            }
            s
        })
        .collect();
    if sums.len() <= 1 {
        return (sums[0], None);
    }
    let alpha = golden_section_ses(&sums, ALPHA_BOUNDS.0, ALPHA_BOUNDS.1);
    (ses_one_step(&sums, alpha), Some(alpha))
}

/// One aggregation level of [`imapa`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImapaLevel {
    /// Bucket length in periods.
    pub aggregation_level: usize,
    /// The SES smoothing constant found on [0.1, 0.3] (0.2, the midpoint, for a single bucket,
    /// whose squared error is 0 for every alpha).
    pub alpha: f64,
    /// This level's forecast per period (units per period): the bucket forecast divided by the
    /// level.
    pub forecast: f64,
}

/// What [`imapa`] fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct ImapaParams {
    /// The largest aggregation level: the mean inter-demand interval rounded half to even;
    /// 0 for an all-zero history.
    pub max_aggregation_level: usize,
    /// Levels 1 ..= `max_aggregation_level`, in order; their forecasts' mean is the forecast.
    pub levels: Vec<ImapaLevel>,
}

/// IMAPA (statsforecast `IMAPA`): for every aggregation level `L` = 1 ..= round-half-to-even of
/// the mean inter-demand interval, the ADIDA forecast at level `L` (buckets ending at the last
/// observation, SES with alpha by golden-section search on [0.1, 0.3], divided by `L`); every
/// period of the forecast is the mean of those per-level forecasts. All zeros → 0.
///
/// `y`: history in units per period, oldest first; `h`: horizon in periods.
pub fn imapa(y: &[f64], h: usize) -> Result<Forecast<ImapaParams>, MethodError> {
    check_history(y)?;
    let max_level = match mean_interval_level(y) {
        Some(level) => level,
        None => {
            return Ok(Forecast {
                mean: flat(0.0, h),
                params: ImapaParams {
                    max_aggregation_level: 0,
                    levels: Vec::new(),
                },
            });
        }
    };
    let n = y.len();
    let levels: Vec<ImapaLevel> = (1..=max_level)
        .map(|level| {
            // statsforecast's Python path: `_chunk_sums(y[n % L:], L)`, then
            // `_optimized_ses_forecast`, which searches alpha even for a single bucket.
            let sums: Vec<f64> = y[n % level..].chunks_exact(level).map(numpy_sum).collect();
            let alpha = golden_section_ses(&sums, ALPHA_BOUNDS.0, ALPHA_BOUNDS.1);
            ImapaLevel {
                aggregation_level: level,
                alpha,
                forecast: ses_one_step(&sums, alpha) / level as f64,
            }
        })
        .collect();
    let per_level: Vec<f64> = levels.iter().map(|l| l.forecast).collect();
    Ok(Forecast {
        mean: flat(numpy_mean(&per_level), h),
        params: ImapaParams {
            max_aggregation_level: max_level,
            levels,
        },
    })
}
