//! A periodic-review discrete-event inventory simulator for one item: a replenishment policy
//! (base-stock, (s, S), (r, Q), (R, S), fixed orders), fixed or random lead times, demand drawn
//! from a seeded distribution or replayed from a record, backorders or lost sales; it reports
//! cost per period and its parts, fill rate, cycle service level, average on hand and
//! backorders, orders and stock-out periods, per run and as means with Student-t confidence
//! intervals over independent replications.
//!
//! It exists to check a policy's promised cost and service against what the policy does
//! period by period, and to replay real demand through the policies a backtest chose. It is
//! pure: no files, no clock, no threads; the same inputs and seed give the same numbers (ChaCha8
//! streams and `rand_distr` samplers, whose values change only with a minor version; the
//! samplers call `exp` and `ln`, so another platform's maths library could change a rare draw).
//!
//! What it deliberately is not: an optimiser (the policy crates choose S, s, r, Q), a
//! multi-item or multi-echelon simulator (stockpyl's `sim` does that), or a continuous-review
//! model: time moves in whole periods.
//!
//! # Conventions
//!
//! Periods are t = 1..T. In each period, in this order (Snyder & Shen, *Fundamentals of Supply
//! Chain Theory*, 2nd ed., §4.3): observe the inventory position IP = on hand − backorders + on
//! order; place the order the policy asks for; receive the orders due (an order placed in
//! period t with lead time L is received in period t + L, before that period's demand, so with
//! L = 0 it serves the same period); demand occurs; charge h × ending on hand + p × ending
//! backorders (or p × units lost) + K per order placed. A base-stock level therefore protects
//! L + 1 periods of demand, as in the textbook's and stockpyl's base-stock and newsvendor
//! formulas. See `docs/simulation.md` for the metrics and the checks against closed forms.
//!
//! # Example
//!
//! ```
//! use restock_simulate::{Costs, DemandSource, LeadTime, Policy, Scenario, Shortage, replicate};
//!
//! let scenario = Scenario {
//!     policy: Policy::BaseStock { order_up_to_level: 56.6 },
//!     lead_time: LeadTime::Fixed(0),
//!     costs: Costs { holding_cost: 0.18, stockout_cost: 0.7, fixed_order_cost: 0.0 },
//!     shortage: Shortage::Backorders,
//!     periods: 2_000,
//!     warm_up: 10,
//! };
//! let demand = DemandSource::Normal { mean: 50.0, std_dev: 8.0 };
//! let summary = replicate(&scenario, &demand, 42, 5, 0.95).unwrap();
//! assert!((summary.cost_per_period.mean - 2.0).abs() < 0.1);
//! ```
#![deny(missing_docs)]

mod demand;
mod error;
mod lead_time;
mod metrics;
mod policy;
mod rng;
mod simulator;
mod summary;

pub use demand::DemandSource;
pub use error::{Result, SimulateError};
pub use lead_time::{LeadTime, OrderCrossing};
pub use metrics::Metrics;
pub use policy::Policy;
pub use simulator::{
    Costs, InitialState, PeriodOutcome, PipelineOrder, Scenario, Shortage, Simulator,
};
pub use summary::{Estimate, Summary, student_t_quantile};

/// One simulated run: every period's outcome and the metrics over the periods after the
/// warm-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Periods 1..=T in order, warm-up included (see [`PeriodOutcome::counted`]).
    pub periods: Vec<PeriodOutcome>,
    /// Totals and averages over the counted periods.
    pub metrics: Metrics,
}

/// Simulates `scenario.periods` periods from [`InitialState::for_policy`], drawing demand and
/// lead times from `seed` (replication 0 of [`replicate`]).
///
/// Errors: any invalid parameter of the scenario or the demand source, or a replay shorter than
/// the horizon.
pub fn simulate(scenario: &Scenario, demand: &DemandSource, seed: u64) -> Result<Run> {
    check(scenario, demand)?;
    let mut periods = Vec::with_capacity(scenario.periods);
    let metrics = run(scenario, demand, seed, 0, |outcome| periods.push(outcome))?;
    Ok(Run { periods, metrics })
}

/// Runs `replications` independent replications (≥ 2) of `scenario`, replication i with demand
/// stream 2i and lead-time stream 2i + 1 of `seed`, and summarises them with `confidence`-level
/// (in (0, 1), e.g. 0.95) Student-t intervals. With a replayed demand and fixed lead times
/// every replication is the same and every interval has width 0.
///
/// Errors: as [`simulate`], and fewer than 2 replications or a confidence outside (0, 1).
pub fn replicate(
    scenario: &Scenario,
    demand: &DemandSource,
    seed: u64,
    replications: usize,
    confidence: f64,
) -> Result<Summary> {
    check(scenario, demand)?;
    summary::check_confidence(confidence)?;
    if replications < 2 {
        return Err(error::invalid(
            "replications",
            replications as f64,
            "must be at least 2 for a confidence interval",
        ));
    }
    let metrics = (0..replications as u64)
        .map(|replication| run(scenario, demand, seed, replication, |_| {}))
        .collect::<Result<Vec<_>>>()?;
    Summary::from_replications(metrics, confidence)
}

fn check(scenario: &Scenario, demand: &DemandSource) -> Result<()> {
    scenario.validate()?;
    demand.validate()?;
    demand.check_horizon(scenario.periods)
}

fn run(
    scenario: &Scenario,
    demand: &DemandSource,
    seed: u64,
    replication: u64,
    mut each: impl FnMut(PeriodOutcome),
) -> Result<Metrics> {
    let sampler = demand.sampler()?;
    let mut demand_rng = rng::demand_stream(seed, replication);
    let initial = InitialState::for_policy(&scenario.policy, scenario.shortage);
    let mut simulator =
        Simulator::with_stream(scenario, initial, rng::lead_time_stream(seed, replication))?;
    for t in 1..=scenario.periods {
        each(simulator.step(sampler.draw(t, &mut demand_rng))?);
    }
    Ok(simulator.metrics())
}
