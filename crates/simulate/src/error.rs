//! The one error type of this crate: a parameter that cannot describe an inventory system.

/// Why a scenario, a demand source, an initial state or a step was refused. Every check happens
/// before the first period is simulated, so a run either starts valid or does not start.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulateError {
    /// A number outside its range (negative cost, s ≥ S, Q ≤ 0, a NaN, …).
    #[error("{parameter} = {value}: {requirement}")]
    InvalidParameter {
        /// The parameter's name as in the API, e.g. `order_up_to_level`.
        parameter: &'static str,
        /// The value given (for a probability list, the offending entry or sum).
        value: f64,
        /// What it must satisfy.
        requirement: &'static str,
    },
    /// A replayed demand vector shorter than the horizon asked for.
    #[error("the demand replay has {available} periods, the scenario needs {needed}")]
    ReplayTooShort {
        /// Periods in the replay.
        available: usize,
        /// `Scenario::periods`.
        needed: usize,
    },
    /// A demand passed to [`crate::Simulator::step`] that is negative or not finite.
    #[error("demand of period {period} is {value}: it must be finite and ≥ 0")]
    InvalidDemand {
        /// The period (1-based) the demand was for.
        period: usize,
        /// The value given.
        value: f64,
    },
}

/// `Result` with [`SimulateError`].
pub type Result<T> = std::result::Result<T, SimulateError>;

pub(crate) fn invalid(
    parameter: &'static str,
    value: f64,
    requirement: &'static str,
) -> SimulateError {
    SimulateError::InvalidParameter {
        parameter,
        value,
        requirement,
    }
}

/// `value` finite and ≥ 0.
pub(crate) fn non_negative(parameter: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(invalid(parameter, value, "must be finite and ≥ 0"))
    }
}

/// `value` finite.
pub(crate) fn finite(parameter: &'static str, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(invalid(parameter, value, "must be finite"))
    }
}

/// A probability mass function over 0, 1, 2, …: non-empty, entries finite and ≥ 0, summing to
/// 1 within 1e-6. Returns its cumulative sums (the last one is the exact sum, used to scale the
/// uniform draw so rounding in the pmf cannot leave a gap).
pub(crate) fn cumulative_pmf(parameter: &'static str, pmf: &[f64]) -> Result<Vec<f64>> {
    if pmf.is_empty() {
        return Err(invalid(
            parameter,
            0.0,
            "must have at least one probability",
        ));
    }
    let mut total = 0.0;
    let mut cdf = Vec::with_capacity(pmf.len());
    for &probability in pmf {
        if !(probability.is_finite() && probability >= 0.0) {
            return Err(invalid(
                parameter,
                probability,
                "every probability must be finite and ≥ 0",
            ));
        }
        total += probability;
        cdf.push(total);
    }
    if (total - 1.0).abs() > 1e-6 {
        return Err(invalid(
            parameter,
            total,
            "probabilities must sum to 1 (within 1e-6)",
        ));
    }
    Ok(cdf)
}
