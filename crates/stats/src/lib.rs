//! Small statistics that several Restock models share, each with its source and a test against
//! a reference implementation.
//!
//! What this crate deliberately is not: a statistics library. Anything a well-kept crate does
//! (distributions, special functions) comes from `statrs`; this holds only the tests and
//! estimators Restock's models are defined by.
#![deny(missing_docs)]

pub mod mann_kendall;

pub use mann_kendall::{MannKendall, mann_kendall};

/// Sample mean and sample standard deviation (n − 1 in the denominator; 0 when n < 2; both 0
/// for an empty slice).
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    (mean, (ss / (n - 1) as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_standard_deviation() {
        let (m, s) = mean_std(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(m, 5.0);
        assert!((s - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!(mean_std(&[]), (0.0, 0.0));
        assert_eq!(mean_std(&[3.0]), (3.0, 0.0));
    }
}
