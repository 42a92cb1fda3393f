//! The rules of a `forecasts` row: which parameters each distribution takes, and the checks
//! that make a [`DemandDistribution`] one the policies can use.
//!
//! - `normal`: **mean**, **std_dev** (≥ 0).
//! - `poisson`: **mean**.
//! - `negative_binomial`: **mean** (> 0), **std_dev** (> √mean: the variance must exceed the
//!   mean, else r = μ² / (σ² − μ) is not a positive number; Johnson, Kemp & Kotz, *Univariate
//!   Discrete Distributions*, 3rd ed., §5.1).
//! - `empirical`: **values** (≥ 0, strictly ascending), probabilities (each 0–1, as many as
//!   values, summing to 1 within 1e-9; equal weights when absent).
//!
//! A parameter the distribution does not take must be empty: a value there is a mistake in the
//! file (a std_dev written for a Poisson row), and reading past it would hide it.

use restock_core::DemandDistribution;

use crate::config::DistributionKind;
use crate::parse::ValueError;

/// How far the probabilities' sum may be from 1.
pub(crate) const PROBABILITY_TOLERANCE: f64 = 1e-9;

/// A row's parameter fields, each `None` when empty; numbers already parsed and within their
/// field's range (mean and std_dev ≥ 0, values ≥ 0, probabilities 0–1).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Parameters {
    /// `mean`.
    pub mean: Option<f64>,
    /// `std_dev`.
    pub std_dev: Option<f64>,
    /// `values`.
    pub values: Option<Vec<f64>>,
    /// `probabilities`.
    pub probabilities: Option<Vec<f64>>,
}

/// Fields a distribution needs, given the kind: the fields with a value in `Parameters`.
pub(crate) fn needed(kind: DistributionKind) -> &'static [&'static str] {
    match kind {
        DistributionKind::Normal | DistributionKind::NegativeBinomial => &["mean", "std_dev"],
        DistributionKind::Poisson => &["mean"],
        DistributionKind::Empirical => &["values"],
    }
}

/// The distribution of `kind` with `parameters`, or the field at fault and why.
pub(crate) fn distribution(
    kind: DistributionKind,
    parameters: Parameters,
) -> Result<DemandDistribution, (&'static str, ValueError)> {
    let Parameters {
        mean,
        std_dev,
        values,
        probabilities,
    } = parameters;
    let need = |field: &'static str, value: Option<f64>| {
        value.ok_or((field, ValueError::RequiredFor(kind)))
    };
    let unused = |field: &'static str, given: bool, hint: &'static str| {
        if given {
            Err((
                field,
                ValueError::NotFor {
                    distribution: kind,
                    hint,
                },
            ))
        } else {
            Ok(())
        }
    };
    let no_lists = |values: &Option<Vec<f64>>, probabilities: &Option<Vec<f64>>| {
        let hint = " (only empirical forecasts take values and probabilities)";
        unused("values", values.is_some(), hint)?;
        unused("probabilities", probabilities.is_some(), hint)
    };
    match kind {
        DistributionKind::Normal => {
            let mean = need("mean", mean)?;
            let std_dev = need("std_dev", std_dev)?;
            no_lists(&values, &probabilities)?;
            Ok(DemandDistribution::Normal { mean, std_dev })
        }
        DistributionKind::Poisson => {
            let mean = need("mean", mean)?;
            unused(
                "std_dev",
                std_dev.is_some(),
                " (its standard deviation is √mean)",
            )?;
            no_lists(&values, &probabilities)?;
            Ok(DemandDistribution::Poisson { mean })
        }
        DistributionKind::NegativeBinomial => {
            let mean = need("mean", mean)?;
            let std_dev = need("std_dev", std_dev)?;
            no_lists(&values, &probabilities)?;
            if mean <= 0.0 {
                return Err((
                    "mean",
                    ValueError::OutOfRange {
                        value: mean.to_string(),
                        problem: "is not above 0: a negative binomial needs a positive mean \
                                  (use poisson with mean 0 for no demand)",
                    },
                ));
            }
            if std_dev <= mean.sqrt() {
                return Err(("std_dev", ValueError::NotOverdispersed { std_dev, mean }));
            }
            Ok(DemandDistribution::NegativeBinomial { mean, std_dev })
        }
        DistributionKind::Empirical => {
            let hint = " (it follows from values and probabilities)";
            unused("mean", mean.is_some(), hint)?;
            unused("std_dev", std_dev.is_some(), hint)?;
            let values = values.ok_or(("values", ValueError::RequiredFor(kind)))?;
            empirical(values, probabilities)
        }
    }
}

fn empirical(
    values: Vec<f64>,
    probabilities: Option<Vec<f64>>,
) -> Result<DemandDistribution, (&'static str, ValueError)> {
    if let Some(i) = (1..values.len()).find(|&i| values[i] <= values[i - 1]) {
        return Err((
            "values",
            ValueError::NotAscending {
                position: i + 1,
                value: values[i],
            },
        ));
    }
    let probabilities = match probabilities {
        Some(probabilities) => {
            if probabilities.len() != values.len() {
                return Err((
                    "probabilities",
                    ValueError::LengthMismatch {
                        probabilities: probabilities.len(),
                        values: values.len(),
                    },
                ));
            }
            let sum: f64 = probabilities.iter().sum();
            if (sum - 1.0).abs() > PROBABILITY_TOLERANCE {
                return Err(("probabilities", ValueError::ProbabilitySum(sum)));
            }
            probabilities
        }
        None => vec![1.0 / values.len() as f64; values.len()],
    };
    Ok(DemandDistribution::Empirical {
        values,
        probabilities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(mean: Option<f64>, std_dev: Option<f64>) -> Parameters {
        Parameters {
            mean,
            std_dev,
            ..Parameters::default()
        }
    }

    fn lists(values: &[f64], probabilities: Option<&[f64]>) -> Parameters {
        Parameters {
            values: Some(values.to_vec()),
            probabilities: probabilities.map(<[f64]>::to_vec),
            ..Parameters::default()
        }
    }

    fn field_at_fault(
        kind: DistributionKind,
        parameters: Parameters,
    ) -> Option<(&'static str, String)> {
        distribution(kind, parameters)
            .err()
            .map(|(field, e)| (field, e.to_string()))
    }

    #[test]
    fn each_family_with_its_parameters() {
        use DistributionKind::*;
        assert_eq!(
            distribution(Normal, with(Some(50.0), Some(8.0))),
            Ok(DemandDistribution::Normal {
                mean: 50.0,
                std_dev: 8.0
            })
        );
        assert_eq!(
            distribution(Poisson, with(Some(6.0), None)),
            Ok(DemandDistribution::Poisson { mean: 6.0 })
        );
        assert_eq!(
            distribution(NegativeBinomial, with(Some(4.0), Some(2.5))),
            Ok(DemandDistribution::NegativeBinomial {
                mean: 4.0,
                std_dev: 2.5
            })
        );
        assert_eq!(
            distribution(Empirical, lists(&[0.0, 1.0, 2.0, 5.0], None)),
            Ok(DemandDistribution::Empirical {
                values: vec![0.0, 1.0, 2.0, 5.0],
                probabilities: vec![0.25; 4]
            })
        );
    }

    #[test]
    fn each_mistake_names_its_field() {
        use DistributionKind::*;
        let cases = [
            (
                Normal,
                with(Some(5.0), None),
                "std_dev",
                "required for a normal",
            ),
            (
                Normal,
                with(None, Some(1.0)),
                "mean",
                "required for a normal",
            ),
            (Poisson, with(Some(5.0), Some(1.0)), "std_dev", "√mean"),
            (
                NegativeBinomial,
                with(Some(4.0), Some(2.0)),
                "std_dev",
                "√mean = 2",
            ),
            (
                NegativeBinomial,
                with(Some(0.0), Some(2.0)),
                "mean",
                "positive mean",
            ),
            (
                Empirical,
                with(Some(1.0), None),
                "mean",
                "follows from values",
            ),
            (Empirical, Parameters::default(), "values", "required"),
            (
                Empirical,
                lists(&[0.0, 2.0, 2.0], None),
                "values",
                "item 3 (2)",
            ),
            (
                Empirical,
                lists(&[0.0, 1.0], Some(&[0.5, 0.4])),
                "probabilities",
                "sum to 0.9",
            ),
            (
                Empirical,
                lists(&[0.0, 1.0], Some(&[1.0])),
                "probabilities",
                "1 probabilities for 2 values",
            ),
        ];
        for (kind, parameters, field, words) in cases {
            let (at, message) = field_at_fault(kind, parameters).expect("an error");
            assert_eq!(at, field, "{message}");
            assert!(message.contains(words), "{kind}: {message}");
        }
        let mut normal_with_values = with(Some(1.0), Some(1.0));
        normal_with_values.values = Some(vec![1.0]);
        assert_eq!(
            field_at_fault(Normal, normal_with_values).map(|(f, _)| f),
            Some("values")
        );
    }

    #[test]
    fn probabilities_within_the_tolerance_are_kept_as_written() {
        let p = [0.1, 0.2, 0.7 + 5e-10];
        assert_eq!(
            distribution(
                DistributionKind::Empirical,
                lists(&[0.0, 1.0, 2.0], Some(&p))
            ),
            Ok(DemandDistribution::Empirical {
                values: vec![0.0, 1.0, 2.0],
                probabilities: p.to_vec()
            })
        );
        let off = [0.1, 0.2, 0.7 + 2e-9];
        assert!(
            distribution(
                DistributionKind::Empirical,
                lists(&[0.0, 1.0, 2.0], Some(&off))
            )
            .is_err()
        );
    }
}
