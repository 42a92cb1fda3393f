//! First-order loss functions: n(x) = E[(D − x)⁺] (expected shortage) and its complement
//! n̄(x) = E[(x − D)⁺] (expected leftover), for the demand distributions the policies use
//! (Snyder & Shen, *Fundamentals of Supply Chain Theory*, 2nd ed., appendix C). Ported from
//! `stockpyl.loss_functions` 1.0.2.

use statrs::distribution::{Continuous, ContinuousCDF, Discrete, DiscreteCDF, Normal, Poisson};

use super::{Result, TextbookError, non_negative, positive};

/// A loss-function pair (n, n̄), in units of demand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loss {
    /// n(x) = E[(D − x)⁺], the expected shortage at level x.
    pub shortage: f64,
    /// n̄(x) = E[(x − D)⁺], the expected leftover at level x.
    pub leftover: f64,
}

/// The standard normal loss pair: L(z) = φ(z) − z(1 − Φ(z)) and L̄(z) = z + L(z).
///
/// Source: Snyder & Shen, 2nd ed., appendix C, eqs. (C.22)–(C.23);
/// `stockpyl.loss_functions.standard_normal_loss`.
pub fn standard_normal_loss(z: f64) -> Loss {
    let normal = Normal::standard();
    let shortage = normal.pdf(z) - z * (1.0 - normal.cdf(z));
    Loss {
        shortage,
        leftover: z + shortage,
    }
}

/// The normal loss pair at `x` for D ~ N(`mean`, `sd`²): n(x) = σL(z), n̄(x) = σL̄(z) with
/// z = (x − μ)/σ.
///
/// Errors: `sd <= 0`.
///
/// Source: Snyder & Shen, 2nd ed., appendix C, eqs. (C.31)–(C.32);
/// `stockpyl.loss_functions.normal_loss`.
pub fn normal_loss(x: f64, mean: f64, sd: f64) -> Result<Loss> {
    positive("sd", sd)?;
    let standard = standard_normal_loss((x - mean) / sd);
    Ok(Loss {
        shortage: sd * standard.shortage,
        leftover: sd * standard.leftover,
    })
}

/// The second-order normal loss pair at `x` for D ~ N(`mean`, `sd`²):
/// n²(x) = ½E[((D − x)⁺)²] = σ²L²(z) with L²(z) = ½[(z² + 1)(1 − Φ(z)) − zφ(z)], and
/// n̄²(x) = ½E[((x − D)⁺)²] = σ²(½(z² + 1) − L²(z)), z = (x − μ)/σ. `sd` must be positive.
///
/// Source: Snyder & Shen, 2nd ed., appendix C, eqs. (C.33)–(C.34);
/// `stockpyl.loss_functions.normal_second_loss`.
pub fn normal_second_loss(x: f64, mean: f64, sd: f64) -> Loss {
    let z = (x - mean) / sd;
    let normal = Normal::standard();
    let l2 = 0.5 * ((z * z + 1.0) * (1.0 - normal.cdf(z)) - z * normal.pdf(z));
    let l2_bar = 0.5 * (z * z + 1.0) - l2;
    Loss {
        shortage: sd * sd * l2,
        leftover: sd * sd * l2_bar,
    }
}

/// P(D = k) for D ~ Poisson(`mean`), 0 for k < 0. `mean` must be positive.
pub(crate) fn poisson_pmf(k: i64, mean: f64) -> f64 {
    if k < 0 {
        return 0.0;
    }
    Poisson::new(mean).map_or(f64::NAN, |d| d.pmf(k as u64))
}

/// P(D ≤ k) for D ~ Poisson(`mean`), 0 for k < 0. `mean` must be positive.
pub(crate) fn poisson_cdf(k: i64, mean: f64) -> f64 {
    if k < 0 {
        return 0.0;
    }
    Poisson::new(mean).map_or(f64::NAN, |d| d.cdf(k as u64))
}

/// The Poisson loss pair at integer `x` for D ~ Poisson(λ = `mean`):
/// n(x) = −(x − λ)(1 − F(x)) + λf(x), n̄(x) = (x − λ)F(x) + λf(x).
///
/// Errors: `mean <= 0`.
///
/// Source: Snyder & Shen, 2nd ed., appendix C, eqs. (C.41)–(C.42);
/// `stockpyl.loss_functions.poisson_loss`.
pub fn poisson_loss(x: i64, mean: f64) -> Result<Loss> {
    positive("mean", mean)?;
    let f = poisson_pmf(x, mean);
    let cdf = poisson_cdf(x, mean);
    let xf = x as f64;
    Ok(Loss {
        shortage: -(xf - mean) * (1.0 - cdf) + mean * f,
        leftover: (xf - mean) * cdf + mean * f,
    })
}

/// Checks an explicit pmf: non-empty, finite, non-negative entries.
pub(crate) fn check_pmf(pmf: &[f64]) -> Result<()> {
    if pmf.is_empty() {
        return Err(TextbookError {
            parameter: "pmf",
            requirement: "must not be empty",
        });
    }
    for &p in pmf {
        non_negative("pmf", p)?;
        if !p.is_finite() {
            return Err(TextbookError {
                parameter: "pmf",
                requirement: "must be finite",
            });
        }
    }
    Ok(())
}

/// The loss pair at integer `x` for an explicit pmf, `pmf[d]` = P(D = d) for d = 0, 1, …,
/// `pmf.len() − 1`: n(x) = Σ_{d ≥ x} (d − x)f(d), n̄(x) = Σ_{d ≤ x} (x − d)f(d). The pmf is
/// used as given (not renormalised).
///
/// Errors: empty pmf, or a negative or non-finite entry.
///
/// Source: Snyder & Shen, 2nd ed., appendix C (the discrete loss functions);
/// `stockpyl.loss_functions.discrete_loss` with `pmf`.
pub fn discrete_loss(x: i64, pmf: &[f64]) -> Result<Loss> {
    check_pmf(pmf)?;
    let mut shortage = 0.0;
    let mut leftover = 0.0;
    for (d, &f) in pmf.iter().enumerate() {
        let d = d as i64;
        if d >= x {
            shortage += (d - x) as f64 * f;
        }
        if d <= x {
            leftover += (x - d) as f64 * f;
        }
    }
    Ok(Loss { shortage, leftover })
}
