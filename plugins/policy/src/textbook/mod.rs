//! Textbook inventory-policy mathematics as pure functions, ported to match stockpyl 1.0.2
//! (L. V. Snyder's companion library to Snyder & Shen, *Fundamentals of Supply Chain Theory*,
//! 2nd ed., Wiley 2019) to 1e-6 relative on its textbook instances.
//!
//! One module per model family:
//! - [`eoq`]: economic order quantity, EOQ with planned backorders, economic production
//!   quantity, all-units and incremental quantity discounts (Snyder & Shen ch. 3);
//! - [`newsvendor`]: newsvendor / base-stock for normal, Poisson and explicit discrete demand,
//!   with lead time (Snyder & Shen ch. 4);
//! - [`rq`]: the continuous-review (r, Q) policy: exact cost for normal and Poisson demand,
//!   the exact Poisson optimum, and the EOQ+SS, EOQB, EIL and loss-function approximations
//!   (Snyder & Shen ch. 5);
//! - [`ss`]: the exact optimal (s, S) policy for Poisson or explicit discrete demand by Zheng &
//!   Federgruen (1991), and the power approximation (Snyder & Shen ch. 4);
//! - [`wagner_whitin`]: Wagner–Whitin lot sizing for a known demand plan (Snyder & Shen ch. 3);
//! - [`loss`]: the first-order loss functions these use (Snyder & Shen appendix C).
//!
//! Conventions follow stockpyl throughout: costs are per period (or per unit time for the EOQ
//! family), `holding_cost` is h per unit per period, `stockout_cost` is p per unit backordered
//! per period, `fixed_cost` is K per order. Every function validates its parameters and returns
//! [`TextbookError`] where stockpyl raises `ValueError`. The strategies in
//! [`crate::strategies`] call them on each item's demand and costs.

pub mod eoq;
pub mod loss;
pub mod newsvendor;
pub mod rq;
pub mod ss;
pub mod wagner_whitin;

use std::fmt;

/// A parameter outside the domain of a textbook formula (stockpyl raises `ValueError` for
/// these).
#[derive(Debug, Clone, PartialEq)]
pub struct TextbookError {
    /// The offending parameter, as named in the Rust signature.
    pub parameter: &'static str,
    /// What the parameter must satisfy, e.g. "must be positive".
    pub requirement: &'static str,
}

impl fmt::Display for TextbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.parameter, self.requirement)
    }
}

impl std::error::Error for TextbookError {}

/// Result of a textbook function.
pub type Result<T> = std::result::Result<T, TextbookError>;

/// Fails unless `value > 0` (NaN fails too).
pub(crate) fn positive(parameter: &'static str, value: f64) -> Result<()> {
    if value > 0.0 {
        Ok(())
    } else {
        Err(TextbookError {
            parameter,
            requirement: "must be positive",
        })
    }
}

/// Fails unless `value >= 0` (NaN fails too).
pub(crate) fn non_negative(parameter: &'static str, value: f64) -> Result<()> {
    if value >= 0.0 {
        Ok(())
    } else {
        Err(TextbookError {
            parameter,
            requirement: "must be non-negative",
        })
    }
}
