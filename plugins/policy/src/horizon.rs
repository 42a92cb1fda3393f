//! Demand over a span of periods (a lead time, a protection period) as a distribution the
//! policies can query: its distribution function, first-order loss functions and quantiles.
//!
//! Three shapes, chosen by the per-period distributions summed (see [`crate::demand`]):
//! normal (means and variances add), Poisson (means add) and an explicit pmf on 0, 1, 2, …
//! units (per-period pmfs convolved). Normal demand is not truncated at zero, as in the
//! textbooks; a normal with standard deviation 0 is deterministic.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;

use crate::formulas::safety_factor;
use crate::textbook::loss::{normal_loss, normal_second_loss};

/// Probability mass below which a pmf's upper tail is cut (the mass is ignored).
const TAIL: f64 = 1e-14;

/// A demand distribution on 0, 1, 2, … units, with cumulative sums for O(1) loss functions.
#[derive(Debug, Clone, PartialEq)]
pub struct Pmf {
    probabilities: Vec<f64>,
    /// F(k) = P(D ≤ k).
    cdf: Vec<f64>,
    /// Σ_{d ≤ k} d·f(d).
    partial_mean: Vec<f64>,
}

impl Pmf {
    /// A pmf from `probabilities[d]` = P(D = d). Entries must be finite and non-negative, and
    /// sum to 1 up to the truncated tail.
    pub fn new(probabilities: Vec<f64>) -> Self {
        let mut cdf = Vec::with_capacity(probabilities.len());
        let mut partial_mean = Vec::with_capacity(probabilities.len());
        let (mut c, mut m) = (0.0, 0.0);
        for (d, &f) in probabilities.iter().enumerate() {
            c += f;
            m += d as f64 * f;
            cdf.push(c);
            partial_mean.push(m);
        }
        Self {
            probabilities,
            cdf,
            partial_mean,
        }
    }

    /// All mass at 0 (no demand).
    pub fn zero() -> Self {
        Self::new(vec![1.0])
    }

    /// Poisson(`mean`), cut where the remaining tail is below 1e-14.
    pub fn poisson(mean: f64) -> Self {
        if mean <= 0.0 {
            return Self::zero();
        }
        let limit = (mean + 40.0 * mean.sqrt() + 40.0).ceil() as usize;
        let mut probabilities = Vec::new();
        let mut total = 0.0;
        for k in 0..=limit {
            // ln f(k) = k ln λ − λ − ln k!, stable for large λ.
            let f = (k as f64 * mean.ln() - mean - ln_gamma(k as f64 + 1.0)).exp();
            probabilities.push(f);
            total += f;
            if k as f64 > mean && 1.0 - total < TAIL {
                break;
            }
        }
        Self::new(probabilities)
    }

    /// Negative binomial with this mean and standard deviation (σ² > μ): r = μ²/(σ² − μ),
    /// p = μ/σ², f(k) = C(k + r − 1, k)·pʳ·(1 − p)ᵏ (Johnson, Kemp & Kotz, *Univariate
    /// Discrete Distributions*, 3rd ed., §5.1).
    pub fn negative_binomial(mean: f64, std_dev: f64) -> Result<Self, String> {
        let variance = std_dev * std_dev;
        if mean <= 0.0 {
            return Ok(Self::zero());
        }
        if variance <= mean {
            return Err(format!(
                "negative_binomial needs a variance above the mean (σ = {std_dev}, μ = {mean}); use poisson"
            ));
        }
        let r = mean * mean / (variance - mean);
        let p = mean / variance;
        let limit = (mean + 60.0 * std_dev + 60.0).ceil() as usize;
        let mut probabilities = Vec::new();
        let mut total = 0.0;
        let mut ln_f = r * p.ln();
        for k in 0..=limit {
            if k > 0 {
                ln_f += ((k as f64 - 1.0 + r) / k as f64).ln() + (1.0 - p).ln();
            }
            let f = ln_f.exp();
            probabilities.push(f);
            total += f;
            if k as f64 > mean && 1.0 - total < TAIL {
                break;
            }
        }
        Ok(Self::new(probabilities))
    }

    /// An empirical distribution: whole, non-negative `values` with `probabilities` summing
    /// to 1 (within 1e-6).
    pub fn empirical(values: &[f64], probabilities: &[f64]) -> Result<Self, String> {
        if values.is_empty() || values.len() != probabilities.len() {
            return Err(
                "empirical demand needs as many probabilities as values, at least one".into(),
            );
        }
        let mut pmf = Vec::new();
        let mut total = 0.0;
        for (&v, &p) in values.iter().zip(probabilities) {
            if !(v.is_finite() && v >= 0.0 && (v - v.round()).abs() <= 1e-9) {
                return Err(format!(
                    "empirical demand value {v} is not a whole number of units ≥ 0"
                ));
            }
            if !(p.is_finite() && p >= 0.0) {
                return Err(format!("empirical probability {p} is not in [0, 1]"));
            }
            let d = v.round() as usize;
            if pmf.len() <= d {
                pmf.resize(d + 1, 0.0);
            }
            pmf[d] += p;
            total += p;
        }
        if (total - 1.0).abs() > 1e-6 {
            return Err(format!("empirical probabilities sum to {total}, not 1"));
        }
        Ok(Self::new(pmf))
    }

    /// The distribution of the sum of two independent demands (convolution), with the
    /// negligible upper tail cut.
    pub fn convolve(&self, other: &Pmf) -> Pmf {
        let (a, b) = (&self.probabilities, &other.probabilities);
        let mut out = vec![0.0; a.len() + b.len() - 1];
        for (i, &x) in a.iter().enumerate() {
            if x == 0.0 {
                continue;
            }
            for (j, &y) in b.iter().enumerate() {
                out[i + j] += x * y;
            }
        }
        let mut tail = 0.0;
        while out.len() > 1 {
            let last = *out.last().expect("non-empty");
            if tail + last >= TAIL * 1e-2 {
                break;
            }
            tail += last;
            out.pop();
        }
        Pmf::new(out)
    }

    /// The mixture Σ wᵢ·pmfᵢ (weights summing to 1).
    pub fn mixture(parts: &[(f64, &Pmf)]) -> Pmf {
        let len = parts
            .iter()
            .map(|(_, p)| p.probabilities.len())
            .max()
            .unwrap_or(1);
        let mut out = vec![0.0; len];
        for (w, p) in parts {
            for (d, &f) in p.probabilities.iter().enumerate() {
                out[d] += w * f;
            }
        }
        Pmf::new(out)
    }

    /// P(D = d) for d = 0 … len − 1.
    pub fn probabilities(&self) -> &[f64] {
        &self.probabilities
    }

    fn total(&self) -> f64 {
        *self.cdf.last().expect("a pmf has at least one entry")
    }

    /// E[D].
    pub fn mean(&self) -> f64 {
        *self.partial_mean.last().expect("non-empty")
    }

    /// The standard deviation of D.
    pub fn std_dev(&self) -> f64 {
        let mean = self.mean();
        self.probabilities
            .iter()
            .enumerate()
            .map(|(d, f)| f * (d as f64 - mean).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    /// P(D ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x < 0.0 {
            return 0.0;
        }
        let k = x.floor() as usize;
        self.cdf[k.min(self.cdf.len() - 1)]
    }

    /// n(x) = E[(D − x)⁺], for any real x.
    pub fn shortage(&self, x: f64) -> f64 {
        if x < 0.0 {
            return self.mean() - x * self.total();
        }
        let k = x.floor() as usize;
        if k >= self.cdf.len() - 1 {
            return 0.0;
        }
        (self.mean() - self.partial_mean[k]) - x * (self.total() - self.cdf[k])
    }

    /// n̄(x) = E[(x − D)⁺], for any real x.
    pub fn leftover(&self, x: f64) -> f64 {
        if x < 0.0 {
            return 0.0;
        }
        let k = (x.floor() as usize).min(self.cdf.len() - 1);
        x * self.cdf[k] - self.partial_mean[k]
    }

    /// The smallest d with P(D ≤ d) ≥ `probability` (the last d when none reaches it).
    pub fn quantile(&self, probability: f64) -> f64 {
        self.cdf
            .iter()
            .position(|&c| c >= probability)
            .unwrap_or(self.cdf.len() - 1) as f64
    }
}

/// Demand over a span of periods.
#[derive(Debug, Clone, PartialEq)]
pub enum Horizon {
    /// Normal; `sd` = 0 is deterministic.
    Normal {
        /// Mean, units.
        mean: f64,
        /// Standard deviation, units.
        sd: f64,
    },
    /// Poisson with this mean (the pmf is kept for the loss functions).
    Poisson {
        /// Mean, units.
        mean: f64,
        /// The pmf, cut at a 1e-14 tail.
        pmf: Pmf,
    },
    /// An explicit pmf (convolved per-period pmfs).
    Discrete(Pmf),
}

impl Horizon {
    /// No demand at all (a lead time of zero periods).
    pub fn none() -> Self {
        Horizon::Normal { mean: 0.0, sd: 0.0 }
    }

    /// Poisson(`mean`).
    pub fn poisson(mean: f64) -> Self {
        Horizon::Poisson {
            mean,
            pmf: Pmf::poisson(mean),
        }
    }

    /// `normal`, `poisson` or `discrete`.
    pub fn name(&self) -> &'static str {
        match self {
            Horizon::Normal { .. } => "normal",
            Horizon::Poisson { .. } => "Poisson",
            Horizon::Discrete(_) => "discrete",
        }
    }

    /// True for integer-valued demand (Poisson or an explicit pmf).
    pub fn is_discrete(&self) -> bool {
        !matches!(self, Horizon::Normal { .. })
    }

    /// The pmf of integer-valued demand.
    pub fn pmf(&self) -> Option<&Pmf> {
        match self {
            Horizon::Normal { .. } => None,
            Horizon::Poisson { pmf, .. } | Horizon::Discrete(pmf) => Some(pmf),
        }
    }

    /// E[D].
    pub fn mean(&self) -> f64 {
        match self {
            Horizon::Normal { mean, .. } | Horizon::Poisson { mean, .. } => *mean,
            Horizon::Discrete(pmf) => pmf.mean(),
        }
    }

    /// The standard deviation of D.
    pub fn std_dev(&self) -> f64 {
        match self {
            Horizon::Normal { sd, .. } => *sd,
            Horizon::Poisson { mean, .. } => mean.sqrt(),
            Horizon::Discrete(pmf) => pmf.std_dev(),
        }
    }

    /// P(D ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        match self {
            Horizon::Normal { mean, sd } if *sd > 0.0 => {
                Normal::new(*mean, *sd).expect("positive sd").cdf(x)
            }
            Horizon::Normal { mean, .. } => f64::from(u8::from(x >= *mean)),
            Horizon::Poisson { pmf, .. } | Horizon::Discrete(pmf) => pmf.cdf(x),
        }
    }

    /// n(x) = E[(D − x)⁺], the expected shortage at level x (Snyder & Shen appendix C).
    pub fn shortage(&self, x: f64) -> f64 {
        match self {
            Horizon::Normal { mean, sd } if *sd > 0.0 => {
                normal_loss(x, *mean, *sd).expect("positive sd").shortage
            }
            Horizon::Normal { mean, .. } => (mean - x).max(0.0),
            Horizon::Poisson { pmf, .. } | Horizon::Discrete(pmf) => pmf.shortage(x),
        }
    }

    /// n̄(x) = E[(x − D)⁺], the expected leftover at level x.
    pub fn leftover(&self, x: f64) -> f64 {
        match self {
            Horizon::Normal { mean, sd } if *sd > 0.0 => {
                normal_loss(x, *mean, *sd).expect("positive sd").leftover
            }
            Horizon::Normal { mean, .. } => (x - mean).max(0.0),
            Horizon::Poisson { pmf, .. } | Horizon::Discrete(pmf) => pmf.leftover(x),
        }
    }

    /// n²(x) = ½E[((D − x)⁺)²], the second-order loss function (normal: Snyder & Shen
    /// eq. (C.33); discrete: summed directly).
    pub fn second_shortage(&self, x: f64) -> f64 {
        match self {
            Horizon::Normal { mean, sd } if *sd > 0.0 => normal_second_loss(x, *mean, *sd).shortage,
            Horizon::Normal { mean, .. } => 0.5 * (mean - x).max(0.0).powi(2),
            Horizon::Poisson { pmf, .. } | Horizon::Discrete(pmf) => {
                0.5 * pmf
                    .probabilities()
                    .iter()
                    .enumerate()
                    .map(|(d, f)| f * (d as f64 - x).max(0.0).powi(2))
                    .sum::<f64>()
            }
        }
    }

    /// The expected holding + stock-out cost of level x: G(x) = h·n̄(x) + p·n(x).
    pub fn newsvendor_cost(&self, x: f64, holding_cost: f64, stockout_cost: f64) -> f64 {
        holding_cost * self.leftover(x) + stockout_cost * self.shortage(x)
    }

    /// The smallest level x with P(D ≤ x) ≥ `probability` (for normal demand, μ + σΦ⁻¹(α)).
    pub fn quantile(&self, probability: f64) -> f64 {
        match self {
            Horizon::Normal { mean, sd } => mean + sd * safety_factor(probability),
            Horizon::Poisson { pmf, .. } | Horizon::Discrete(pmf) => pmf.quantile(probability),
        }
    }
}

/// The smallest x in [`lo`, `hi`] with `f(x) ≥ target` for non-decreasing `f`, by bisection to
/// 1e-9 units (continuous) or exactly over integers (`integer`). `hi` when none is.
pub fn smallest_level(lo: f64, hi: f64, integer: bool, target: f64, f: impl Fn(f64) -> f64) -> f64 {
    let (mut lo, mut hi) = (lo, hi);
    if f(lo) >= target {
        return lo;
    }
    if integer {
        let (mut a, mut b) = (lo.floor() as i64, hi.ceil() as i64);
        // f(a) < target ≤ f(b) (or b is the cap).
        while b - a > 1 {
            let mid = a + (b - a) / 2;
            if f(mid as f64) >= target {
                b = mid;
            } else {
                a = mid;
            }
        }
        return b as f64;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
        if hi - lo <= 1e-9 * hi.abs().max(1.0) {
            break;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::textbook::loss::{discrete_loss, poisson_loss};

    #[test]
    fn pmf_loss_functions_equal_the_textbook_ones() {
        let pmf = Pmf::poisson(6.0);
        for x in -2..20 {
            let textbook = poisson_loss(x, 6.0).unwrap();
            assert!(
                (pmf.shortage(x as f64) - textbook.shortage).abs() < 1e-12,
                "{x}"
            );
            assert!(
                (pmf.leftover(x as f64) - textbook.leftover).abs() < 1e-12,
                "{x}"
            );
        }
        let explicit = Pmf::new(vec![0.1, 0.2, 0.0, 0.3, 0.25, 0.15]);
        for x in -1..8 {
            let textbook = discrete_loss(x, explicit.probabilities()).unwrap();
            assert!((explicit.shortage(x as f64) - textbook.shortage).abs() < 1e-12);
            assert!((explicit.leftover(x as f64) - textbook.leftover).abs() < 1e-12);
        }
    }

    #[test]
    fn convolution_of_poissons_is_poisson() {
        let sum = Pmf::poisson(2.5).convolve(&Pmf::poisson(3.5));
        let direct = Pmf::poisson(6.0);
        for x in 0..30 {
            assert!((sum.cdf(x as f64) - direct.cdf(x as f64)).abs() < 1e-12);
        }
        assert!((sum.mean() - 6.0).abs() < 1e-10);
    }

    #[test]
    fn negative_binomial_has_its_moments() {
        let nb = Pmf::negative_binomial(4.0, 3.0).unwrap();
        assert!((nb.mean() - 4.0).abs() < 1e-9);
        assert!((nb.std_dev() - 3.0).abs() < 1e-8);
        assert!(Pmf::negative_binomial(4.0, 2.0).is_err());
    }

    #[test]
    fn deterministic_normal_is_a_step() {
        let h = Horizon::Normal {
            mean: 10.0,
            sd: 0.0,
        };
        assert_eq!((h.cdf(9.9), h.cdf(10.0)), (0.0, 1.0));
        assert_eq!((h.shortage(7.0), h.leftover(12.0)), (3.0, 2.0));
        assert_eq!(h.quantile(0.95), 10.0);
    }

    #[test]
    fn smallest_level_finds_the_threshold() {
        let f = |x: f64| x / 10.0;
        assert_eq!(smallest_level(0.0, 10.0, true, 0.35, f), 4.0);
        assert!((smallest_level(0.0, 10.0, false, 0.35, f) - 3.5).abs() < 1e-8);
    }
}
