//! The Mann–Kendall monotonic trend test and Sen's slope.
//!
//! Source: R. O. Gilbert, *Statistical Methods for Environmental Pollution Monitoring* (Van
//! Nostrand Reinhold, 1987), §16.4.1 (the test: S, its variance with the tie correction, and the
//! continuity-corrected Z) and §16.5 (Sen's nonparametric slope estimator); after H. B. Mann,
//! "Nonparametric tests against trend", *Econometrica* 13 (1945), and M. G. Kendall, *Rank
//! Correlation Methods* (1975). The implementation matches `pymannkendall.original_test`
//! (the values in `tests/data/mann_kendall_reference.json` were computed with it).

use statrs::distribution::{ContinuousCDF, Normal};

/// The result of the test on a series `x[0..n]` in time order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    /// Number of observations.
    pub n: usize,
    /// S = Σ_{i<j} sign(x_j − x_i).
    pub s: f64,
    /// Var(S) with the correction for tied groups.
    pub var_s: f64,
    /// Continuity-corrected standard normal statistic.
    pub z: f64,
    /// Two-sided p-value, 2 (1 − Φ(|z|)); 1 when Var(S) is 0.
    pub p_value: f64,
    /// Sen's slope: the median of (x_j − x_i) / (j − i) over i < j, units per step.
    pub slope: f64,
}

/// Runs the test. Series shorter than 2 give S = 0, p = 1, slope 0.
pub fn mann_kendall(x: &[f64]) -> MannKendall {
    let n = x.len();
    let mut s = 0.0;
    let mut slopes = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let d = x[j] - x[i];
            s += if d > 0.0 {
                1.0
            } else if d < 0.0 {
                -1.0
            } else {
                0.0
            };
            slopes.push(d / (j - i) as f64);
        }
    }
    let nf = n as f64;
    let mut sorted: Vec<f64> = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && sorted[j + 1] == sorted[i] {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        if t > 1.0 {
            ties += t * (t - 1.0) * (2.0 * t + 5.0);
        }
        i = j + 1;
    }
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    let z = if var_s <= 0.0 {
        0.0
    } else if s > 0.0 {
        (s - 1.0) / var_s.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / var_s.sqrt()
    } else {
        0.0
    };
    let normal = Normal::standard();
    let p_value = if var_s <= 0.0 {
        1.0
    } else {
        (2.0 * (1.0 - normal.cdf(z.abs()))).clamp(0.0, 1.0)
    };
    MannKendall {
        n,
        s,
        var_s,
        z,
        p_value,
        slope: median(&mut slopes),
    }
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let m = values.len() / 2;
    if values.len() % 2 == 1 {
        values[m]
    } else {
        (values[m - 1] + values[m]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_series_have_no_trend() {
        assert_eq!(mann_kendall(&[]).p_value, 1.0);
        assert_eq!(mann_kendall(&[3.0]).p_value, 1.0);
        let flat = mann_kendall(&[2.0, 2.0, 2.0, 2.0]);
        assert_eq!(
            (flat.s, flat.var_s, flat.p_value, flat.slope),
            (0.0, 0.0, 1.0, 0.0)
        );
    }

    #[test]
    fn s_counts_concordant_minus_discordant_pairs() {
        // 1,2,3: three increasing pairs; Var = 3·2·11/18.
        let r = mann_kendall(&[1.0, 2.0, 3.0]);
        assert_eq!(r.s, 3.0);
        assert!((r.var_s - 66.0 / 18.0).abs() < 1e-12);
        assert_eq!(r.slope, 1.0);
    }
}
