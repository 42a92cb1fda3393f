//! The per-period demand an item's policy uses, and demand over a span of periods from it.
//!
//! Where the demand comes from, in order of precedence:
//! 1. an outlook forecast: the one made by the model component named in the strategy's
//!    `forecast` key, or else the last forecast in the item's outlook (manifest order); its
//!    points are used from the first;
//! 2. the planner's `forecasts` records for the item (its product id, or its category name when
//!    the pipeline groups by category): the periods that have not ended before `as_of` (the
//!    period containing `as_of` counts in full), consecutive from the earliest; a gap ends the
//!    plan;
//! 3. the demand rate of `sales_trend`: normal with its mean and standard deviation per period,
//!    the same every period.
//!
//! A horizon longer than the plan repeats its last period. Sums over periods: means and
//! variances add for normal demand, means add for Poisson, pmfs are convolved for negative
//! binomial and empirical demand (and Poisson mixed with them); a fractional period counts its
//! share of the mean and variance, which only normal and Poisson demand allow (others then use
//! the normal with the same mean and variance, and say so).

use chrono::NaiveDate;
use restock_core::display::quantity as fmt;
use restock_core::{DemandDistribution, ForecastRecord, ItemOutlook, Period, Provenance};

use crate::horizon::{Horizon, Pmf};

/// Where an item's demand plan came from.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanSource {
    /// A forecast in the outlook.
    Forecast {
        /// The model component.
        model: String,
        /// Its method, e.g. `croston`.
        method: String,
        /// The forecast's notes (data handling, fallbacks) a planner should see.
        notes: Vec<String>,
    },
    /// The planner's `forecasts` records.
    Planner {
        /// Where the first and last records used are.
        first: Provenance,
        /// Where the last record used is.
        last: Provenance,
    },
    /// The demand rate of a sales model.
    Rate {
        /// The model component.
        model: String,
        /// Complete periods it was estimated from.
        periods: usize,
        /// First day of the window.
        from: NaiveDate,
        /// Last day of the window.
        to: NaiveDate,
    },
}

/// An item's demand per period, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandPlan {
    /// The period length.
    pub period: Period,
    /// Per-period demand; at least one entry; the last repeats beyond the end.
    pub periods: Vec<DemandDistribution>,
    /// First day of each period in `periods`.
    pub starts: Vec<NaiveDate>,
    /// Where it came from.
    pub source: PlanSource,
}

/// Checks one period's distribution.
fn check(distribution: &DemandDistribution, at: &str) -> Result<(), String> {
    let ok = |x: f64| x.is_finite() && x >= 0.0;
    match distribution {
        DemandDistribution::Normal { mean, std_dev } if !(ok(*mean) && ok(*std_dev)) => Err(
            format!("{at}: normal demand needs a mean and std_dev ≥ 0 (got {mean}, {std_dev})"),
        ),
        DemandDistribution::Poisson { mean } if !ok(*mean) => Err(format!(
            "{at}: poisson demand needs a mean ≥ 0 (got {mean})"
        )),
        DemandDistribution::NegativeBinomial { mean, std_dev } if !(ok(*mean) && ok(*std_dev)) => {
            Err(format!(
                "{at}: negative_binomial demand needs a mean and std_dev ≥ 0 (got {mean}, {std_dev})"
            ))
        }
        _ => Ok(()),
    }
}

/// The pmf of one period's integer-valued demand (`None` for normal demand).
fn period_pmf(distribution: &DemandDistribution) -> Result<Option<Pmf>, String> {
    Ok(Some(match distribution {
        DemandDistribution::Normal { .. } => return Ok(None),
        DemandDistribution::Poisson { mean } => Pmf::poisson(*mean),
        DemandDistribution::NegativeBinomial { mean, std_dev } => {
            Pmf::negative_binomial(*mean, *std_dev)?
        }
        DemandDistribution::Empirical {
            values,
            probabilities,
        } => Pmf::empirical(values, probabilities)?,
    }))
}

impl DemandPlan {
    /// The plan of `item`, by the precedence in the module docs. `records` are the planner's
    /// forecasts for the item (any order); `forecast` the strategy's `forecast` key.
    pub fn resolve(
        outlook: Option<&ItemOutlook>,
        records: &[&ForecastRecord],
        forecast: Option<&str>,
        as_of: NaiveDate,
    ) -> Result<Self, String> {
        let forecasts = outlook.map(|o| o.forecasts.as_slice()).unwrap_or_default();
        let chosen = match forecast {
            Some(name) => Some(forecasts.iter().find(|f| f.model == name).ok_or_else(|| {
                format!(
                    "no forecast from model `{name}` for this item (the strategy's `forecast` key)"
                )
            })?),
            None => forecasts.last(),
        };
        if let Some(tagged) = chosen {
            let f = &tagged.value;
            if f.points.is_empty() {
                return Err(format!("the forecast of `{}` has no periods", tagged.model));
            }
            let at = format!("forecast of `{}`", tagged.model);
            for point in &f.points {
                check(&point.distribution, &at)?;
            }
            return Ok(Self {
                period: f.period,
                periods: f.points.iter().map(|p| p.distribution.clone()).collect(),
                starts: f.points.iter().map(|p| p.start).collect(),
                source: PlanSource::Forecast {
                    model: tagged.model.clone(),
                    method: f.method.clone(),
                    notes: f.notes.clone(),
                },
            });
        }
        if !records.is_empty() {
            return Self::from_records(records, as_of);
        }
        if let Some(rate) = outlook.and_then(|o| o.demand.as_ref()) {
            let r = &rate.value;
            let distribution = DemandDistribution::Normal {
                mean: r.mean,
                std_dev: r.std_dev,
            };
            check(&distribution, &format!("demand rate of `{}`", rate.model))?;
            return Ok(Self {
                period: r.period,
                periods: vec![distribution],
                starts: vec![r.period.start_of(as_of)],
                source: PlanSource::Rate {
                    model: rate.model.clone(),
                    periods: r.periods,
                    from: r.from,
                    to: r.to,
                },
            });
        }
        Err("no demand: add a forecast model or sales_trend, or collect forecasts records".into())
    }

    fn from_records(records: &[&ForecastRecord], as_of: NaiveDate) -> Result<Self, String> {
        let mut records: Vec<&ForecastRecord> = records.to_vec();
        records.sort_by(|a, b| (a.start, &a.provenance).cmp(&(b.start, &b.provenance)));
        let period = records[0].period;
        if let Some(other) = records.iter().find(|r| r.period != period) {
            return Err(format!(
                "{}: forecasts for one item mix periods ({} and {})",
                other.provenance,
                period.as_str(),
                other.period.as_str()
            ));
        }
        for pair in records.windows(2) {
            if pair[0].start == pair[1].start {
                return Err(format!(
                    "{}: a second forecast for the {} of {} (first at {})",
                    pair[1].provenance,
                    period.as_str(),
                    pair[1].start,
                    pair[0].provenance
                ));
            }
        }
        let current: Vec<&ForecastRecord> = records
            .into_iter()
            .filter(|r| period.next(r.start) > as_of)
            .collect();
        let Some(first) = current.first() else {
            return Err(format!(
                "every forecast record for this item is for a {} that ended before {as_of}",
                period.as_str()
            ));
        };
        let mut used = vec![*first];
        for r in &current[1..] {
            if r.start != period.next(used.last().expect("non-empty").start) {
                break;
            }
            used.push(r);
        }
        for r in &used {
            check(&r.distribution, &r.provenance.to_string())?;
        }
        Ok(Self {
            period,
            periods: used.iter().map(|r| r.distribution.clone()).collect(),
            starts: used.iter().map(|r| r.start).collect(),
            source: PlanSource::Planner {
                first: first.provenance.clone(),
                last: used.last().expect("non-empty").provenance.clone(),
            },
        })
    }

    /// Per-period demand in period `t` (0 = the first), the last repeating.
    pub fn at(&self, t: usize) -> &DemandDistribution {
        &self.periods[t.min(self.periods.len() - 1)]
    }

    /// One line on where the demand came from, for a rationale.
    pub fn describe(&self) -> String {
        let per = self.period.as_str();
        let first = &self.periods[0];
        let shape = |d: &DemandDistribution| match d {
            DemandDistribution::Normal { mean, std_dev } => {
                format!("normal, mean {} σ {}", fmt(*mean), fmt(*std_dev))
            }
            DemandDistribution::Poisson { mean } => format!("Poisson, mean {}", fmt(*mean)),
            DemandDistribution::NegativeBinomial { mean, std_dev } => {
                format!("negative binomial, mean {} σ {}", fmt(*mean), fmt(*std_dev))
            }
            DemandDistribution::Empirical { values, .. } => format!(
                "empirical on {} values, mean {}",
                values.len(),
                fmt(d.mean())
            ),
        };
        match &self.source {
            PlanSource::Forecast {
                model,
                method,
                notes,
            } => format!(
                "Demand: forecast of `{model}` ({method}{}), {} from {}, first {per} {}",
                if notes.is_empty() {
                    String::new()
                } else {
                    format!("; {}", notes.join("; "))
                },
                count(self.periods.len() as f64, self.period),
                self.starts[0],
                shape(first)
            ),
            PlanSource::Planner { first: a, last: b } => format!(
                "Demand: the planner's forecasts ({a} to {b}), {} from {}, first {per} {}",
                count(self.periods.len() as f64, self.period),
                self.starts[0],
                shape(first)
            ),
            PlanSource::Rate {
                model,
                periods,
                from,
                to,
            } => format!(
                "Demand: rate of `{model}` over {periods} complete {per}s ({from} to {to}), {} per {per}",
                shape(first)
            ),
        }
    }

    /// Demand over `periods` periods from period `start` (`periods` may be fractional: the
    /// last period counts its share), plus lead-time variability `lead_time_sd` (periods) for
    /// normal demand: σ² += d̄²·σ_L² with d̄ the mean per period over the span (Silver, Pyke &
    /// Thomas, 4th ed., ch. 6). `notes` collects the approximations made.
    pub fn horizon(
        &self,
        start: usize,
        periods: f64,
        lead_time_sd: f64,
        notes: &mut Vec<String>,
    ) -> Result<Horizon, String> {
        let whole = (periods + 1e-9).floor() as usize;
        let fraction = (periods - whole as f64).max(0.0);
        let fraction = if fraction < 1e-9 { 0.0 } else { fraction };
        let mut parts: Vec<(&DemandDistribution, f64)> =
            (start..start + whole).map(|t| (self.at(t), 1.0)).collect();
        if fraction > 0.0 {
            parts.push((self.at(start + whole), fraction));
        }
        if parts.is_empty() {
            return Ok(Horizon::none());
        }
        let mean: f64 = parts.iter().map(|(d, w)| w * d.mean()).sum();
        let variance: f64 = parts.iter().map(|(d, w)| w * d.std_dev().powi(2)).sum();
        let all_poisson = parts
            .iter()
            .all(|(d, _)| matches!(d, DemandDistribution::Poisson { .. }));
        let any_normal = parts
            .iter()
            .any(|(d, _)| matches!(d, DemandDistribution::Normal { .. }));
        let discrete = !any_normal && !all_poisson;
        let moment_matched = discrete && fraction > 0.0;
        if moment_matched {
            push_once(
                notes,
                "a fractional period of discrete demand uses the normal with the same mean and variance",
            );
        }
        let mixed = any_normal
            && parts
                .iter()
                .any(|(d, _)| !matches!(d, DemandDistribution::Normal { .. }));
        if mixed {
            push_once(
                notes,
                "normal and count distributions mixed in one span use the normal with the same mean and variance",
            );
        }
        let lead_time_variance = (mean / periods.max(1e-12)).powi(2) * lead_time_sd.powi(2);
        if lead_time_sd > 0.0 && (!any_normal || mixed) && !moment_matched {
            push_once(
                notes,
                "lead-time variability is modelled for normal demand only; count demand uses the mean lead time",
            );
        }
        if any_normal || moment_matched {
            return Ok(Horizon::Normal {
                mean,
                sd: (variance + lead_time_variance).sqrt(),
            });
        }
        if all_poisson {
            return Ok(Horizon::poisson(mean));
        }
        let mut sum = Pmf::zero();
        for (d, _) in parts {
            let pmf = period_pmf(d)?.expect("count distribution");
            sum = sum.convolve(&pmf);
        }
        Ok(Horizon::Discrete(sum))
    }

    /// One period's demand, stationary over the first `periods` periods: their average (the
    /// normal with the mean mean and mean variance, the Poisson with the mean mean, or the
    /// mixture of the pmfs), for the textbook's stationary models (fixed-cost lot sizes,
    /// (s, S), (r, Q)). Equals the period's demand when the plan is constant.
    pub fn stationary(&self, periods: usize, notes: &mut Vec<String>) -> Result<Horizon, String> {
        let n = periods.max(1);
        let parts: Vec<&DemandDistribution> = (0..n).map(|t| self.at(t)).collect();
        let mean = parts.iter().map(|d| d.mean()).sum::<f64>() / n as f64;
        let variance = parts.iter().map(|d| d.std_dev().powi(2)).sum::<f64>() / n as f64;
        if parts.windows(2).any(|w| w[0] != w[1]) {
            push_once(
                notes,
                &format!(
                    "the stationary model uses the average {} of the first {n}",
                    self.period.as_str()
                ),
            );
        }
        if parts
            .iter()
            .any(|d| matches!(d, DemandDistribution::Normal { .. }))
        {
            return Ok(Horizon::Normal {
                mean,
                sd: variance.sqrt(),
            });
        }
        if parts
            .iter()
            .all(|d| matches!(d, DemandDistribution::Poisson { .. }))
        {
            return Ok(Horizon::poisson(mean));
        }
        let pmfs = parts
            .iter()
            .map(|d| period_pmf(d).map(|p| p.expect("count distribution")))
            .collect::<Result<Vec<_>, _>>()?;
        let weighted: Vec<(f64, &Pmf)> = pmfs.iter().map(|p| (1.0 / n as f64, p)).collect();
        Ok(Horizon::Discrete(Pmf::mixture(&weighted)))
    }

    /// Mean demand per period over the first `periods` periods.
    pub fn mean_per_period(&self, periods: usize) -> f64 {
        let n = periods.max(1);
        (0..n).map(|t| self.at(t).mean()).sum::<f64>() / n as f64
    }
}

/// "1 week", "2 weeks", "1.43 weeks".
pub fn count(n: f64, period: Period) -> String {
    let per = period.as_str();
    if (n - 1.0).abs() < 1e-9 {
        format!("1 {per}")
    } else {
        format!("{} {per}s", fmt(n))
    }
}

fn push_once(notes: &mut Vec<String>, note: &str) {
    if !notes.iter().any(|n| n == note) {
        notes.push(note.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use restock_core::{DemandForecast, DemandRate, ForecastPoint, Tagged};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn record(start: &str, mean: f64, line: u64) -> ForecastRecord {
        ForecastRecord {
            product_id: "a".into(),
            period: Period::Week,
            start: d(start),
            distribution: DemandDistribution::Poisson { mean },
            provenance: Provenance::at("forecasts.csv", line),
        }
    }

    fn rate() -> ItemOutlook {
        ItemOutlook {
            demand: Some(Tagged {
                model: "sales".into(),
                value: DemandRate {
                    period: Period::Week,
                    periods: 26,
                    from: d("2018-01-01"),
                    to: d("2018-06-30"),
                    mean: 10.0,
                    std_dev: 3.0,
                    units: 260.0,
                    zero_share: 0.0,
                },
            }),
            ..ItemOutlook::default()
        }
    }

    #[test]
    fn precedence_is_forecast_then_records_then_rate() {
        let as_of = d("2018-08-01");
        let records = [record("2018-07-30", 4.0, 2), record("2018-08-06", 5.0, 3)];
        let refs: Vec<&ForecastRecord> = records.iter().collect();
        let mut outlook = rate();
        let plan = DemandPlan::resolve(Some(&outlook), &refs, None, as_of).unwrap();
        assert!(matches!(plan.source, PlanSource::Planner { .. }));
        // The week of 07-30 contains as_of and counts.
        assert_eq!(plan.starts, vec![d("2018-07-30"), d("2018-08-06")]);
        let plan = DemandPlan::resolve(Some(&outlook), &[], None, as_of).unwrap();
        assert!(matches!(plan.source, PlanSource::Rate { .. }));
        outlook.forecasts.push(Tagged {
            model: "fc".into(),
            value: DemandForecast {
                period: Period::Week,
                method: "croston".into(),
                class: None,
                params: Default::default(),
                history_periods: 26,
                points: vec![ForecastPoint {
                    start: d("2018-07-30"),
                    mean: 2.0,
                    distribution: DemandDistribution::Poisson { mean: 2.0 },
                    quantiles: vec![],
                }],
                notes: vec![],
            },
        });
        let plan = DemandPlan::resolve(Some(&outlook), &refs, None, as_of).unwrap();
        assert!(matches!(plan.source, PlanSource::Forecast { .. }));
        let err = DemandPlan::resolve(Some(&outlook), &refs, Some("other"), as_of).unwrap_err();
        assert!(err.contains("`other`"), "{err}");
    }

    #[test]
    fn past_periods_are_left_out_and_a_gap_ends_the_plan() {
        let records = [
            record("2018-07-23", 1.0, 2),
            record("2018-07-30", 2.0, 3),
            record("2018-08-06", 3.0, 4),
            record("2018-08-20", 4.0, 5),
        ];
        let refs: Vec<&ForecastRecord> = records.iter().collect();
        let plan = DemandPlan::resolve(None, &refs, None, d("2018-08-01")).unwrap();
        assert_eq!(plan.periods.len(), 2);
        assert_eq!(plan.at(5).mean(), 3.0);
        let dup = [record("2018-07-30", 2.0, 3), record("2018-07-30", 2.0, 9)];
        let refs: Vec<&ForecastRecord> = dup.iter().collect();
        let err = DemandPlan::resolve(None, &refs, None, d("2018-08-01")).unwrap_err();
        assert!(err.starts_with("forecasts.csv:9"), "{err}");
    }

    #[test]
    fn spans_add_means_and_variances() {
        let plan = DemandPlan::resolve(Some(&rate()), &[], None, d("2018-08-01")).unwrap();
        let mut notes = Vec::new();
        let h = plan.horizon(0, 4.0, 0.0, &mut notes).unwrap();
        assert_eq!(
            h,
            Horizon::Normal {
                mean: 40.0,
                sd: 6.0
            }
        );
        let h = plan.horizon(0, 2.5, 0.5, &mut notes).unwrap();
        let expected = (2.5f64 * 9.0 + 100.0 * 0.25).sqrt();
        assert!((h.std_dev() - expected).abs() < 1e-12);
        assert!(notes.is_empty());
    }

    #[test]
    fn count_demand_is_convolved() {
        let plan = DemandPlan {
            period: Period::Week,
            periods: vec![
                DemandDistribution::Poisson { mean: 2.0 },
                DemandDistribution::Empirical {
                    values: vec![0.0, 3.0],
                    probabilities: vec![0.5, 0.5],
                },
            ],
            starts: vec![d("2018-07-30"), d("2018-08-06")],
            source: PlanSource::Planner {
                first: Provenance::at("f.csv", 2),
                last: Provenance::at("f.csv", 3),
            },
        };
        let mut notes = Vec::new();
        let h = plan.horizon(0, 2.0, 0.0, &mut notes).unwrap();
        assert!(matches!(h, Horizon::Discrete(_)));
        assert!((h.mean() - 3.5).abs() < 1e-12);
        // P(D ≤ 2) = P(P ≤ 2)·½ (the empirical part is 0 with probability ½).
        let poisson_2 = Pmf::poisson(2.0).cdf(2.0);
        assert!((h.cdf(2.0) - 0.5 * poisson_2).abs() < 1e-12);
        let h = plan.horizon(0, 1.5, 0.0, &mut notes).unwrap();
        assert!(matches!(h, Horizon::Normal { .. }));
        assert_eq!(notes.len(), 1);
    }
}
