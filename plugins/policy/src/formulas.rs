//! The textbook formulas, one function each, with their sources.

use statrs::distribution::{ContinuousCDF, Normal};

/// Standard deviation of demand over a lead time whose length is itself uncertain:
/// σ_DLT = √(L·σ_d² + d²·σ_L²), with demand per day of mean `d` and standard deviation
/// `sigma_d` (independent across days), and lead time of mean `lead_time` days and standard
/// deviation `sigma_lead_time` days.
///
/// Source: Silver, Pyke & Thomas, *Inventory and Production Management in Supply Chains*,
/// 4th ed. (CRC Press, 2017), ch. 6, the case of a probabilistic lead time; also Chopra &
/// Meindl, *Supply Chain Management*, 6th ed., ch. 12, "impact of supply uncertainty".
pub fn lead_time_demand_std_dev(d: f64, sigma_d: f64, lead_time: f64, sigma_lead_time: f64) -> f64 {
    (lead_time * sigma_d * sigma_d + d * d * sigma_lead_time * sigma_lead_time).sqrt()
}

/// The safety factor z = Φ⁻¹(CSL) for a cycle service level in (0, 1).
///
/// statrs' inverse is accurate to about 5·10⁻¹² in probability; one Newton step on Φ (which
/// statrs computes from erfc to full precision) brings it to rounding error.
pub fn safety_factor(cycle_service_level: f64) -> f64 {
    let normal = Normal::standard();
    let z = normal.inverse_cdf(cycle_service_level);
    if !z.is_finite() {
        return z;
    }
    let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    z - (normal.cdf(z) - cycle_service_level) / density
}

/// Φ(x), the standard normal distribution function.
pub fn standard_normal_cdf(x: f64) -> f64 {
    Normal::standard().cdf(x)
}

/// Economic order quantity Q* = √(2·D·K / h): annual demand `annual_demand` units, fixed cost
/// `ordering_cost` per order, holding cost `holding_cost` per unit per year.
///
/// Source: F. W. Harris, "How many parts to make at once" (1913); Silver, Pyke & Thomas, 4th
/// ed., §4.2 (the basic EOQ).
pub fn economic_order_quantity(annual_demand: f64, ordering_cost: f64, holding_cost: f64) -> f64 {
    (2.0 * annual_demand * ordering_cost / holding_cost).sqrt()
}

/// Probability that normal lead-time demand (mean `mean`, standard deviation `std_dev`) does
/// not exceed `level`. With no variability it is 1 when `level ≥ mean`, else 0.
pub fn probability_covered(level: f64, mean: f64, std_dev: f64) -> f64 {
    if std_dev > 0.0 {
        standard_normal_cdf((level - mean) / std_dev)
    } else if level >= mean {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eoq_textbook_instance() {
        // Snyder & Shen, Fundamentals of Supply Chain Theory, 2nd ed., Example 3.1 (as in
        // stockpyl's eoq docs): K = 8, h = 0.225, λ = 1300 → Q* = 304.0467800264368.
        let q = economic_order_quantity(1300.0, 8.0, 0.225);
        assert!((q - 304.0467800264368).abs() < 1e-9, "{q}");
    }

    #[test]
    fn safety_factor_at_95_percent() {
        // Φ⁻¹(0.95) = 1.6448536269514715: Python 3.11 statistics.NormalDist().inv_cdf(0.95).
        assert!((safety_factor(0.95) - 1.6448536269514715).abs() < 1e-9);
        let roundtrip = standard_normal_cdf(safety_factor(0.9));
        assert!((roundtrip - 0.9).abs() < 1e-12, "{roundtrip}");
    }

    #[test]
    fn lead_time_variability_adds_in_quadrature() {
        // d = 10/day, σ_d = 3, L = 4, σ_L = 1: √(4·9 + 100·1) = √136.
        assert!((lead_time_demand_std_dev(10.0, 3.0, 4.0, 1.0) - 136f64.sqrt()).abs() < 1e-12);
    }
}
