//! Configuration of the forecasting models: the keys every type shares ([`CommonConfig`]) and
//! each type's own config struct, which adds its method's parameters.
//!
//! Each type has its own struct so that `deny_unknown_fields` names exactly that type's keys
//! (`alpha` is a mistake under `type = "croston"`, and the error lists what is accepted). The
//! structs are written by one macro, so the shared keys are declared once; each converts into
//! the shared part and a [`Method`], which is all the model uses.

use chrono::NaiveDate;
use restock_core::config::{ConfigError, ConfigErrors};
use restock_core::{Grouping, Period};
use serde::Deserialize;

use super::method::Method;
use crate::methods::EtsSpec;

/// What to do with a period whose demand is unknown (it holds a sale with a NaN quantity).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Read the period as zero demand.
    Zero,
    /// Leave the period out of the history (the default): the method sees the known periods
    /// only, in order. Zero would bias the demand rate down and, for intermittent methods,
    /// invent intervals between demands; an unknown quantity is more often a recording gap or a
    /// stock-out than a week without demand.
    #[default]
    Drop,
    /// Give the item no forecast and report it as an error.
    Error,
}

impl MissingPolicy {
    /// `zero`, `drop` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zero => "zero",
            Self::Drop => "drop",
            Self::Error => "error",
        }
    }
}

/// Where an item's history starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadingZeros {
    /// At the period of the item's first sale (the default): the periods before it are more
    /// likely before the product was listed than weeks without demand.
    #[default]
    Trim,
    /// At the period of the dataset's first sale, or of `start` when given: the periods before
    /// the item's first sale count as zero demand.
    Keep,
}

impl LeadingZeros {
    /// `trim` or `keep`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trim => "trim",
            Self::Keep => "keep",
        }
    }
}

/// The keys every forecasting model type shares.
#[derive(Debug, Clone, PartialEq)]
pub struct CommonConfig {
    /// Aggregation period (`week` by default).
    pub period: Period,
    /// Periods forecast, the first being the (incomplete) period holding `as_of`; at least 1.
    pub horizon: usize,
    /// Items are products or categories.
    pub group_by: Grouping,
    /// Quantile levels reported per forecast period, each in (0, 1).
    pub quantiles: Vec<f64>,
    /// Policy for periods whose demand is unknown.
    pub missing: MissingPolicy,
    /// Whether the history starts at the item's first sale or earlier.
    pub leading_zeros: LeadingZeros,
    /// With `leading_zeros = "keep"`: the first day of the history (its period's start) instead
    /// of the dataset's first sale.
    pub start: Option<NaiveDate>,
    /// Most recent complete periods used; all by default.
    pub window: Option<usize>,
}

/// Default horizon, periods.
pub const DEFAULT_HORIZON: usize = 12;

/// Default quantile levels.
pub const DEFAULT_QUANTILES: [f64; 3] = [0.5, 0.9, 0.95];

impl Default for CommonConfig {
    fn default() -> Self {
        Self {
            period: Period::Week,
            horizon: DEFAULT_HORIZON,
            group_by: Grouping::Product,
            quantiles: DEFAULT_QUANTILES.to_vec(),
            missing: MissingPolicy::default(),
            leading_zeros: LeadingZeros::default(),
            start: None,
            window: None,
        }
    }
}

impl CommonConfig {
    /// Range errors of the shared keys, each naming its key. Sorts the quantile levels.
    pub(crate) fn check(&mut self, errors: &mut Vec<ConfigError>) {
        if self.horizon == 0 {
            errors.push(ConfigError::at_key(
                &["horizon"],
                "expected at least 1 period",
            ));
        }
        if self.window == Some(0) {
            errors.push(ConfigError::at_key(
                &["window"],
                "expected at least 1 period",
            ));
        }
        if let Some(level) = self
            .quantiles
            .iter()
            .find(|q| !(q.is_finite() && **q > 0.0 && **q < 1.0))
        {
            errors.push(ConfigError::at_key(
                &["quantiles"],
                format!("expected levels in (0, 1), e.g. [0.5, 0.9, 0.95]; got {level}"),
            ));
        } else {
            self.quantiles.sort_by(f64::total_cmp);
            if self.quantiles.windows(2).any(|w| w[0] == w[1]) {
                errors.push(ConfigError::at_key(
                    &["quantiles"],
                    "expected each level once",
                ));
            }
        }
        if self.start.is_some() && self.leading_zeros == LeadingZeros::Trim {
            errors.push(ConfigError::at_key(
                &["start"],
                "`start` sets where a kept history begins: it needs leading_zeros = \"keep\" (with \"trim\" each item's history starts at its first sale)",
            ));
        }
    }
}

/// A model type's config: the shared keys and its method.
pub trait ForecastConfig: serde::de::DeserializeOwned + Send + Sync + 'static {
    /// The shared keys and the method with its parameters.
    fn into_parts(self) -> (CommonConfig, Method);
}

/// Declares one model type's config struct: the shared keys, then the type's own, with
/// `#[serde(default, deny_unknown_fields)]` and a `Default` from the given values.
macro_rules! forecast_config {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty = $default:expr, )*
        }
        => |$this:ident| $method:expr
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            /// Aggregation period.
            pub period: Period,
            /// Periods forecast, the first being the period holding `as_of`.
            pub horizon: usize,
            /// Items are products or categories.
            pub group_by: Grouping,
            /// Quantile levels reported per forecast period.
            pub quantiles: Vec<f64>,
            /// Policy for periods whose demand is unknown.
            pub missing: MissingPolicy,
            /// Whether the history starts at the item's first sale or earlier.
            pub leading_zeros: LeadingZeros,
            /// With `leading_zeros = "keep"`, the first day of the history.
            pub start: Option<NaiveDate>,
            /// Most recent complete periods used.
            pub window: Option<usize>,
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                let common = CommonConfig::default();
                Self {
                    period: common.period,
                    horizon: common.horizon,
                    group_by: common.group_by,
                    quantiles: common.quantiles,
                    missing: common.missing,
                    leading_zeros: common.leading_zeros,
                    start: common.start,
                    window: common.window,
                    $( $field: $default, )*
                }
            }
        }

        impl ForecastConfig for $name {
            fn into_parts(self) -> (CommonConfig, Method) {
                let $this = &self;
                let method = $method;
                let common = CommonConfig {
                    period: self.period,
                    horizon: self.horizon,
                    group_by: self.group_by,
                    quantiles: self.quantiles,
                    missing: self.missing,
                    leading_zeros: self.leading_zeros,
                    start: self.start,
                    window: self.window,
                };
                (common, method)
            }
        }
    };
}

forecast_config! {
    /// Configuration of `naive`.
    NaiveConfig {} => |_c| Method::Naive
}

forecast_config! {
    /// Configuration of `seasonal_naive`.
    SeasonalNaiveConfig {
        /// Season length in periods; by default 7 for days, 52 for weeks, 12 for months.
        season_length: Option<usize> = None,
    } => |c| Method::SeasonalNaive { season_length: c.season_length }
}

/// Default `window_size` of `moving_average`, periods.
pub const DEFAULT_WINDOW_SIZE: usize = 4;

forecast_config! {
    /// Configuration of `moving_average` (statsforecast's `WindowAverage`).
    MovingAverageConfig {
        /// Observations averaged, at least 1.
        window_size: usize = DEFAULT_WINDOW_SIZE,
    } => |c| Method::MovingAverage { window_size: c.window_size }
}

forecast_config! {
    /// Configuration of `ses`.
    SesConfig {
        /// Smoothing constant in [0, 1]; absent: chosen per item by least squares on
        /// [0.01, 0.99] (statsforecast's `SimpleExponentialSmoothingOptimized`).
        alpha: Option<f64> = None,
    } => |c| Method::Ses { alpha: c.alpha }
}

forecast_config! {
    /// Configuration of `croston` (classic, alpha 0.1).
    CrostonConfig {} => |_c| Method::Croston
}

forecast_config! {
    /// Configuration of `sba` (Syntetos–Boylan approximation, alpha 0.1).
    SbaConfig {} => |_c| Method::Sba
}

/// Default smoothing constants of `tsb` (statsforecast requires both; 0.1 is the constant of
/// its Croston and SBA, so the three are comparable out of the box).
pub const DEFAULT_TSB_ALPHA: f64 = 0.1;

forecast_config! {
    /// Configuration of `tsb` (Teunter–Syntetos–Babai).
    TsbConfig {
        /// Smoothing constant of the demand sizes, in [0, 1].
        alpha_d: f64 = DEFAULT_TSB_ALPHA,
        /// Smoothing constant of the probability of demand, in [0, 1].
        alpha_p: f64 = DEFAULT_TSB_ALPHA,
    } => |c| Method::Tsb { alpha_d: c.alpha_d, alpha_p: c.alpha_p }
}

forecast_config! {
    /// Configuration of `adida`.
    AdidaConfig {} => |_c| Method::Adida
}

forecast_config! {
    /// Configuration of `imapa`.
    ImapaConfig {} => |_c| Method::Imapa
}

/// An ETS model string as statsforecast writes it (`ZZZ`, `ANN`, `AAdN`, `MAM`), read into
/// the [`EtsSpec`] it names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EtsModelString(pub EtsSpec);

impl<'de> Deserialize<'de> for EtsModelString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor, so that a bad string is reported at its key like any other value.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = EtsModelString;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an ETS model string such as \"ZZZ\" or \"AAdN\"")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
                s.parse().map(EtsModelString).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

forecast_config! {
    /// Configuration of `ets` (statsforecast's `AutoETS`).
    EtsConfig {
        /// Season length in periods; 1 (no season) as statsforecast's default.
        season_length: usize = 1,
        /// The models allowed, as statsforecast's model string; `ZZZ` chooses every component.
        model: EtsModelString = EtsModelString(EtsSpec::AUTO),
    } => |c| Method::Ets { season_length: c.season_length, spec: c.model.0 }
}

/// Syntetos, Boylan & Croston (2005)'s cut-off of the average inter-demand interval.
pub const ADI_CUTOFF: f64 = 1.32;

/// Syntetos, Boylan & Croston (2005)'s cut-off of the squared coefficient of variation of the
/// demand sizes.
pub const CV2_CUTOFF: f64 = 0.49;

forecast_config! {
    /// Configuration of `auto`: the method chosen per item by its Syntetos–Boylan class.
    AutoConfig {
        /// Average inter-demand interval at and above which demand is intermittent or lumpy.
        adi_cutoff: f64 = ADI_CUTOFF,
        /// Squared coefficient of variation of demand sizes at and above which demand is
        /// erratic or lumpy.
        cv2_cutoff: f64 = CV2_CUTOFF,
    } => |c| Method::Auto { adi_cutoff: c.adi_cutoff, cv2_cutoff: c.cv2_cutoff }
}

/// Range errors of a method's parameters, each naming its key.
pub(crate) fn check_method(method: &Method, errors: &mut Vec<ConfigError>) {
    fn alpha(key: &str, value: f64, errors: &mut Vec<ConfigError>) {
        if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
            errors.push(ConfigError::at_key(
                &[key],
                format!("expected a smoothing constant in [0, 1]; got {value}"),
            ));
        }
    }
    match *method {
        Method::Ses { alpha: Some(a) } => alpha("alpha", a, errors),
        Method::Tsb { alpha_d, alpha_p } => {
            alpha("alpha_d", alpha_d, errors);
            alpha("alpha_p", alpha_p, errors);
        }
        Method::SeasonalNaive {
            season_length: Some(0),
        } => errors.push(ConfigError::at_key(
            &["season_length"],
            "expected at least 1 period",
        )),
        Method::Ets { season_length, .. } if season_length == 0 || season_length > 64 => errors
            .push(ConfigError::at_key(
                &["season_length"],
                format!("expected 1 (no season) to 64 periods; got {season_length}"),
            )),
        Method::MovingAverage { window_size: 0 } => errors.push(ConfigError::at_key(
            &["window_size"],
            "expected at least 1 period",
        )),
        Method::Auto {
            adi_cutoff,
            cv2_cutoff,
        } => {
            if !(adi_cutoff.is_finite() && adi_cutoff >= 1.0) {
                errors.push(ConfigError::at_key(
                    &["adi_cutoff"],
                    format!(
                        "expected an interval of at least 1 period (Syntetos, Boylan & Croston: 1.32); got {adi_cutoff}"
                    ),
                ));
            }
            if !(cv2_cutoff.is_finite() && cv2_cutoff >= 0.0) {
                errors.push(ConfigError::at_key(
                    &["cv2_cutoff"],
                    format!(
                        "expected a non-negative number (Syntetos, Boylan & Croston: 0.49); got {cv2_cutoff}"
                    ),
                ));
            }
        }
        _ => {}
    }
}

/// Checks the shared keys and the method's parameters together, so every mistake is reported.
pub(crate) fn check(common: &mut CommonConfig, method: &Method) -> Result<(), ConfigErrors> {
    let mut errors = Vec::new();
    common.check(&mut errors);
    check_method(method, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ConfigErrors(errors))
    }
}
