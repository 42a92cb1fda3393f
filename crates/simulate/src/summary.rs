//! Means over independent replications with Student-t confidence intervals.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::error::{Result, invalid};
use crate::metrics::Metrics;

/// A mean over replications with its confidence interval: mean ± t_{(1+c)/2, R−1} · s/√R,
/// s the sample standard deviation (R − 1 in the denominator) of the per-replication values
/// (the fixed-sample-size interval over independent replications, each with its warm-up deleted:
/// the replication/deletion approach of Law, *Simulation Modeling and Analysis*, 5th ed., ch. 9).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Mean of the per-replication values.
    pub mean: f64,
    /// Sample standard deviation of the per-replication values.
    pub std_dev: f64,
    /// Half-width of the confidence interval (0 when every replication agrees).
    pub half_width: f64,
}

impl Estimate {
    /// From per-replication values (at least 2) at confidence `confidence` in (0, 1).
    pub fn from_replications(values: &[f64], confidence: f64) -> Result<Estimate> {
        check_confidence(confidence)?;
        if values.len() < 2 {
            return Err(invalid(
                "replications",
                values.len() as f64,
                "must be at least 2 for a confidence interval",
            ));
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let std_dev = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half_width = student_t_quantile((1.0 + confidence) / 2.0, n - 1.0) * std_dev / n.sqrt();
        Ok(Estimate {
            mean,
            std_dev,
            half_width,
        })
    }

    /// Lower end of the interval.
    pub fn lower(&self) -> f64 {
        self.mean - self.half_width
    }

    /// Upper end of the interval.
    pub fn upper(&self) -> f64 {
        self.mean + self.half_width
    }

    /// Whether `value` lies in the interval (ends included).
    pub fn contains(&self, value: f64) -> bool {
        self.lower() <= value && value <= self.upper()
    }
}

/// The quantile of Student's t with `degrees_of_freedom` at `probability` (statrs).
pub fn student_t_quantile(probability: f64, degrees_of_freedom: f64) -> f64 {
    StudentsT::new(0.0, 1.0, degrees_of_freedom)
        .expect("degrees of freedom > 0")
        .inverse_cdf(probability)
}

pub(crate) fn check_confidence(confidence: f64) -> Result<()> {
    if confidence > 0.0 && confidence < 1.0 {
        Ok(())
    } else {
        Err(invalid(
            "confidence",
            confidence,
            "must be strictly between 0 and 1",
        ))
    }
}

/// The metrics of R independent replications and their means with confidence intervals. Each
/// replication excludes the scenario's warm-up periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Confidence level of every interval, e.g. 0.95.
    pub confidence: f64,
    /// Each replication's metrics, in replication order.
    pub replications: Vec<Metrics>,
    /// Total cost per period.
    pub cost_per_period: Estimate,
    /// Holding cost per period.
    pub holding_cost_per_period: Estimate,
    /// Stock-out cost per period.
    pub stockout_cost_per_period: Estimate,
    /// Ordering cost per period.
    pub ordering_cost_per_period: Estimate,
    /// Fill rate: units served from stock ÷ units demanded.
    pub fill_rate: Estimate,
    /// Cycle service level: share of periods without a stock-out.
    pub cycle_service_level: Estimate,
    /// Average ending on hand, units.
    pub average_on_hand: Estimate,
    /// Average ending backorders, units.
    pub average_backorders: Estimate,
    /// Units lost per period.
    pub lost_sales_per_period: Estimate,
    /// Orders placed per replication.
    pub orders: Estimate,
    /// Orders placed per period.
    pub orders_per_period: Estimate,
    /// Stock-out periods per replication.
    pub stockout_periods: Estimate,
}

impl Summary {
    /// Summarises per-replication metrics (at least 2) at `confidence`.
    pub fn from_replications(replications: Vec<Metrics>, confidence: f64) -> Result<Summary> {
        let estimate = |metric: fn(&Metrics) -> f64| {
            Estimate::from_replications(
                &replications.iter().map(metric).collect::<Vec<_>>(),
                confidence,
            )
        };
        Ok(Summary {
            confidence,
            cost_per_period: estimate(Metrics::cost_per_period)?,
            holding_cost_per_period: estimate(Metrics::holding_cost_per_period)?,
            stockout_cost_per_period: estimate(Metrics::stockout_cost_per_period)?,
            ordering_cost_per_period: estimate(Metrics::ordering_cost_per_period)?,
            fill_rate: estimate(Metrics::fill_rate)?,
            cycle_service_level: estimate(Metrics::cycle_service_level)?,
            average_on_hand: estimate(Metrics::average_on_hand)?,
            average_backorders: estimate(Metrics::average_backorders)?,
            lost_sales_per_period: estimate(Metrics::lost_sales_per_period)?,
            orders: estimate(|m| m.orders as f64)?,
            orders_per_period: estimate(Metrics::orders_per_period)?,
            stockout_periods: estimate(|m| m.stockout_periods as f64)?,
            replications,
        })
    }
}
