//! The Syntetos–Boylan classification of demand, and the method `auto` uses for each class.
//!
//! Source: A. A. Syntetos, J. E. Boylan & J. D. Croston (2005), "On the categorization of
//! demand patterns", *Journal of the Operational Research Society* 56(5), 495–503. They
//! compare the mean squared error of Croston's method and of SBA (Syntetos & Boylan's
//! bias-corrected Croston) and find SBA the better estimator unless the average inter-demand
//! interval is below 1.32 periods *and* the squared coefficient of variation of the demand
//! sizes below 0.49 ("smooth" demand). Hence their four classes and the mapping here:
//!
//! | class | ADI | CV² | method |
//! |---|---|---|---|
//! | smooth | < 1.32 | < 0.49 | `ets` (AutoETS, no season) |
//! | erratic | < 1.32 | ≥ 0.49 | `sba` |
//! | intermittent | ≥ 1.32 | < 0.49 | `sba` |
//! | lumpy | ≥ 1.32 | ≥ 0.49 | `sba` |
//!
//! For smooth demand the paper prefers Croston to SBA; with a demand in (nearly) every period
//! Croston's interval estimate is 1 and Croston reduces to SES of the demand with alpha 0.1,
//! so `auto` uses exponential smoothing with its model and constants fitted instead: AutoETS
//! without a season, whose candidates include SES (ETS(A,N,N)) and add trends.

use restock_stats::mean_std;

use super::method::Method;
use crate::methods::EtsSpec;

/// A Syntetos–Boylan demand class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemandClass {
    /// Demand in most periods, sizes of similar magnitude.
    Smooth,
    /// Demand in most periods, sizes varying widely.
    Erratic,
    /// Many periods without demand, sizes of similar magnitude.
    Intermittent,
    /// Many periods without demand, sizes varying widely.
    Lumpy,
}

impl DemandClass {
    /// `smooth`, `erratic`, `intermittent` or `lumpy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Smooth => "smooth",
            Self::Erratic => "erratic",
            Self::Intermittent => "intermittent",
            Self::Lumpy => "lumpy",
        }
    }

    /// The method `auto` forecasts this class with.
    pub fn method(self) -> Method {
        match self {
            Self::Smooth => Method::Ets {
                season_length: 1,
                spec: EtsSpec::AUTO,
            },
            Self::Erratic | Self::Intermittent | Self::Lumpy => Method::Sba,
        }
    }
}

/// A history's class and the statistics it was decided on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Classification {
    /// The class.
    pub class: DemandClass,
    /// Average inter-demand interval: periods in the history per period with a positive
    /// demand; `None` when no period has one (the interval is unbounded, so the history reads
    /// as intermittent).
    pub adi: Option<f64>,
    /// Squared coefficient of variation of the positive demand sizes (sample standard
    /// deviation, n − 1); 0 with fewer than two demands.
    pub cv2: f64,
}

/// Classifies `y` (units per period, oldest first, finite) with the given cut-offs; a value at
/// a cut-off belongs to the class above it.
///
/// The ADI divides the history's length by the number of periods with demand, so the periods
/// after the last demand count: an item that stopped selling reads as intermittent rather
/// than smooth.
pub fn classify(y: &[f64], adi_cutoff: f64, cv2_cutoff: f64) -> Classification {
    let sizes: Vec<f64> = y.iter().copied().filter(|&v| v > 0.0).collect();
    let adi = (!sizes.is_empty()).then(|| y.len() as f64 / sizes.len() as f64);
    let (mean, std_dev) = mean_std(&sizes);
    let cv2 = if sizes.len() >= 2 && mean > 0.0 {
        (std_dev / mean).powi(2)
    } else {
        0.0
    };
    let frequent = adi.is_some_and(|adi| adi < adi_cutoff);
    let steady = cv2 < cv2_cutoff;
    let class = match (frequent, steady) {
        (true, true) => DemandClass::Smooth,
        (true, false) => DemandClass::Erratic,
        (false, true) => DemandClass::Intermittent,
        (false, false) => DemandClass::Lumpy,
    };
    Classification { class, adi, cv2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(y: &[f64]) -> DemandClass {
        classify(y, 1.32, 0.49).class
    }

    #[test]
    fn the_four_quadrants() {
        assert_eq!(class(&[5.0, 6.0, 5.0, 4.0, 6.0]), DemandClass::Smooth);
        assert_eq!(class(&[1.0, 20.0, 2.0, 15.0, 1.0]), DemandClass::Erratic);
        assert_eq!(
            class(&[5.0, 0.0, 0.0, 6.0, 0.0, 5.0]),
            DemandClass::Intermittent
        );
        assert_eq!(class(&[1.0, 0.0, 0.0, 20.0, 0.0, 2.0]), DemandClass::Lumpy);
    }

    #[test]
    fn cut_offs_belong_to_the_class_above() {
        // 4 periods, 3 with demand: ADI 1.333…; at a cut-off of exactly 4/3 that is intermittent.
        let y = [2.0, 2.0, 0.0, 2.0];
        assert_eq!(classify(&y, 1.32, 0.49).class, DemandClass::Intermittent);
        assert_eq!(
            classify(&y, 4.0 / 3.0, 0.49).class,
            DemandClass::Intermittent
        );
        assert_eq!(classify(&y, 1.34, 0.49).class, DemandClass::Smooth);
    }

    #[test]
    fn no_demand_is_intermittent_and_one_demand_has_no_variation() {
        let none = classify(&[0.0, 0.0, 0.0], 1.32, 0.49);
        assert_eq!(none.class, DemandClass::Intermittent);
        assert_eq!(none.adi, None);
        let one = classify(&[0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0], 1.32, 0.49);
        assert_eq!(one.adi, Some(7.0));
        assert_eq!(one.cv2, 0.0);
        assert_eq!(one.class, DemandClass::Intermittent);
    }
}
