//! The strategy replayed against real demand: at every backtest origin the strategy decides
//! with what the simulated shop holds then, its order is placed, and the periods up to the next
//! origin are played out with the demand that really happened.
//!
//! One [`restock_simulate::Simulator`] per item (backorders; lead time
//! `round(lead_time_days ÷ period length)` periods, an order placed in period t received in
//! t + L before that period's demand — Snyder & Shen, 2nd ed., §4.3). It starts at the first
//! origin from the item's stock position in the data: on hand − backorders, and what is on
//! order received in period max(L, 1). At each origin the strategy sees the simulated on hand,
//! on order and backorders in place of the data's, and the order it decides is placed in that
//! period; no other order is placed before the next origin (the planner runs Restock every
//! `step` periods). Costs per period: h = unit_cost × holding_cost_rate × period days ÷ 365.25,
//! p = stockout_cost per unit backordered per period, K = ordering_cost, each 0 when the stock
//! position does not give it.
//!
//! The first L + 1 periods of each item are played but left out of the measures (what happens
//! there depends on the starting stock, not on the strategy's decisions).
//!
//! The achieved service: the fill rate is units served from stock ÷ demand; the cycle service
//! level is the share of replenishment cycles — from one order's arrival to the next's, wholly
//! after the warm-up — in which no period ended with backorders (the measure the strategies
//! promise); and the share of periods ending without backorders is reported beside it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use restock_core::{AdjustmentGates, Context, Dataset, Decision, Period, StockPosition};
use restock_runner::RunError;
use restock_runner::build::Built;
use restock_simulate::{
    Costs, InitialState, LeadTime, PipelineOrder, Policy, Scenario, Shortage, Simulator,
};
use serde::Serialize;

use crate::report::num;

/// What replaying the strategy against real demand achieved, over every item it decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyReplay {
    /// The strategy component.
    pub strategy: String,
    /// Its type.
    pub type_name: String,
    /// Items replayed.
    pub items: usize,
    /// Items left out: a missing actual (NaN) in the replay window, or no stock position.
    pub skipped: usize,
    /// Periods replayed per item.
    pub periods: usize,
    /// Orders placed, all items.
    pub orders: usize,
    /// Mean target cycle service level over the decisions.
    pub target_cycle_service_level: f64,
    /// Share of item-periods ending without backorders.
    pub achieved_period_service_level: f64,
    /// Share of replenishment cycles (one order's arrival to the next's, after the warm-up)
    /// without a stock-out: the measure the strategies' cycle service level promises.
    pub achieved_cycle_service_level: f64,
    /// Complete replenishment cycles observed.
    pub cycles: usize,
    /// Mean target fill rate over the decisions that state one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_fill_rate: Option<f64>,
    /// Units served from stock ÷ units demanded, all items.
    pub achieved_fill_rate: f64,
    /// Mean on hand per item and period, units.
    pub average_on_hand: f64,
    /// Holding + stock-out + ordering cost per period, all items, currency units.
    pub cost_per_period: f64,
    /// Its holding part.
    pub holding_cost_per_period: f64,
    /// Its stock-out part.
    pub stockout_cost_per_period: f64,
    /// Its ordering part.
    pub ordering_cost_per_period: f64,
}

impl PolicyReplay {
    /// A Markdown section.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "## Strategy `{}` ({}) replayed against real demand\n",
            self.strategy, self.type_name
        );
        let _ = writeln!(
            out,
            "{} items over {} periods ({} left out: a missing actual or no stock position); {} orders.\n",
            self.items, self.periods, self.skipped, self.orders
        );
        let _ = writeln!(out, "| measure | target | achieved |");
        let _ = writeln!(out, "|---|---:|---:|");
        let _ = writeln!(
            out,
            "| cycle service level ({} complete replenishment cycles) | {} | {} |",
            self.cycles,
            num(self.target_cycle_service_level),
            num(self.achieved_cycle_service_level)
        );
        let _ = writeln!(
            out,
            "| periods without a stock-out | | {} |",
            num(self.achieved_period_service_level)
        );
        let _ = writeln!(
            out,
            "| fill rate | {} | {} |",
            self.target_fill_rate.map(num).unwrap_or_else(|| "–".into()),
            num(self.achieved_fill_rate)
        );
        let _ = writeln!(
            out,
            "| average on hand per item | | {} |",
            num(self.average_on_hand)
        );
        let _ = writeln!(
            out,
            "| cost per period (holding + stock-out + ordering) | | {} ({} + {} + {}) |",
            num(self.cost_per_period),
            num(self.holding_cost_per_period),
            num(self.stockout_cost_per_period),
            num(self.ordering_cost_per_period)
        );
        if self.stockout_cost_per_period == 0.0 && self.achieved_fill_rate < 1.0 {
            let _ = writeln!(
                out,
                "\nThe stock-out cost is 0 although demand went unmet: the stock positions give no `stockout_cost`."
            );
        }
        out
    }
}

struct ItemSim {
    simulator: Simulator,
    target_csl: Vec<f64>,
    target_fill: Vec<f64>,
    broken: bool,
    /// Per period played: (period, counted, ended with a stock-out).
    periods: Vec<(usize, bool, bool)>,
    /// Arrival periods of the orders placed.
    arrivals: Vec<usize>,
}

impl ItemSim {
    /// Replenishment cycles (from one order's arrival to the next's) that start after the
    /// warm-up and end within the replay, and how many of them had no stock-out.
    fn cycles(&self) -> (usize, usize) {
        let mut arrivals = self.arrivals.clone();
        arrivals.sort_unstable();
        arrivals.dedup();
        let (mut cycles, mut clean) = (0, 0);
        for w in arrivals.windows(2) {
            let (from, to) = (w[0], w[1]);
            let span: Vec<_> = self
                .periods
                .iter()
                .filter(|(p, _, _)| *p >= from && *p < to)
                .collect();
            if span.is_empty() || !span.iter().all(|(_, counted, _)| *counted) {
                continue;
            }
            cycles += 1;
            if span.iter().all(|(_, _, stockout)| !*stockout) {
                clean += 1;
            }
        }
        (cycles, clean)
    }
}

/// Replays `strategy` at each of `origins` over the periods from the first origin to the last
/// complete period before `as_of`; `decide` runs the models and the strategy on the data cut at
/// an origin with the given stock positions.
pub(crate) struct Replay<'a> {
    strategy: &'a Built<Box<dyn restock_core::Strategy>>,
    period: Period,
    sims: BTreeMap<String, ItemSim>,
    skipped_no_stock: usize,
    periods: usize,
}

impl<'a> Replay<'a> {
    pub(crate) fn new(
        strategy: &'a Built<Box<dyn restock_core::Strategy>>,
        period: Period,
    ) -> Self {
        Self {
            strategy,
            period,
            sims: BTreeMap::new(),
            skipped_no_stock: 0,
            periods: 0,
        }
    }

    /// The stock positions as the simulated shop holds them now (the data's for items not yet
    /// simulated).
    pub(crate) fn stock(&self, data: &[StockPosition]) -> Vec<StockPosition> {
        data.iter()
            .map(|s| match self.sims.get(&s.product_id) {
                Some(sim) if !sim.broken => {
                    let level = sim.simulator.inventory_level();
                    let on_order: f64 = sim.simulator.pipeline().iter().map(|o| o.quantity).sum();
                    StockPosition {
                        on_hand: level.max(0.0),
                        backorders: (-level).max(0.0),
                        on_order,
                        ..s.clone()
                    }
                }
                _ => s.clone(),
            })
            .collect()
    }

    /// Places the orders decided at an origin (starting simulators on first sight).
    pub(crate) fn place(&mut self, decisions: &[Decision], stock: &[StockPosition]) {
        for d in decisions {
            if !self.sims.contains_key(&d.product_id) {
                let Some(position) = stock.iter().find(|s| s.product_id == d.product_id) else {
                    self.skipped_no_stock += 1;
                    continue;
                };
                match start(position, self.period) {
                    Ok(simulator) => {
                        self.sims.insert(
                            d.product_id.clone(),
                            ItemSim {
                                simulator,
                                target_csl: Vec::new(),
                                target_fill: Vec::new(),
                                broken: false,
                                periods: Vec::new(),
                                arrivals: Vec::new(),
                            },
                        );
                    }
                    Err(_) => {
                        self.skipped_no_stock += 1;
                        continue;
                    }
                }
            }
            let sim = self.sims.get_mut(&d.product_id).expect("inserted above");
            sim.target_csl.push(d.expected_cycle_service_level);
            if let Some(f) = d.expected_fill_rate {
                sim.target_fill.push(f);
            }
            let policy = if d.order_quantity > 0.0 {
                Policy::FixedOrder {
                    quantity: d.order_quantity,
                }
            } else {
                Policy::NoOrders
            };
            if sim.simulator.set_policy(policy).is_err() {
                sim.broken = true;
            }
        }
    }

    /// Plays the period starting `start` for every simulated item with its actual demand, then
    /// stops ordering until the next decision.
    pub(crate) fn play(&mut self, demand: impl Fn(&str) -> f64) {
        self.periods += 1;
        for (item, sim) in &mut self.sims {
            if sim.broken {
                continue;
            }
            let d = demand(item);
            let Ok(outcome) = sim.simulator.step(d) else {
                sim.broken = true;
                continue;
            };
            sim.periods
                .push((outcome.period, outcome.counted, outcome.stockout));
            if let Some(arrival) = outcome.order_arrival_period {
                sim.arrivals.push(arrival);
            }
            let _ = sim.simulator.set_policy(Policy::NoOrders);
        }
    }

    /// The strategy component's name.
    pub(crate) fn name(&self) -> &str {
        &self.strategy.spec.name
    }

    /// Runs the strategy at an origin on `cut` (whose stock positions are the simulated ones).
    pub(crate) async fn decide(
        &self,
        cut: &Dataset,
        outlook: &restock_core::Outlook,
        ctx: &Context,
    ) -> Result<Vec<Decision>, RunError> {
        let strategy = self.strategy;
        strategy
            .component
            .decide(cut, outlook, &ctx.for_component(&strategy.spec.name))
            .await
            .map_err(|source| RunError::Component {
                component: strategy.spec.name.clone(),
                source,
            })
    }

    pub(crate) fn finish(self) -> PolicyReplay {
        let mut out = PolicyReplay {
            strategy: self.strategy.spec.name.clone(),
            type_name: self.strategy.spec.type_name.clone(),
            items: 0,
            skipped: self.skipped_no_stock,
            periods: self.periods,
            orders: 0,
            target_cycle_service_level: f64::NAN,
            achieved_period_service_level: f64::NAN,
            achieved_cycle_service_level: f64::NAN,
            cycles: 0,
            target_fill_rate: None,
            achieved_fill_rate: f64::NAN,
            average_on_hand: f64::NAN,
            cost_per_period: 0.0,
            holding_cost_per_period: 0.0,
            stockout_cost_per_period: 0.0,
            ordering_cost_per_period: 0.0,
        };
        let (mut csl, mut fill) = (Vec::new(), Vec::new());
        let mut clean_cycles = 0usize;
        let (mut demand, mut served, mut on_hand, mut periods, mut stockouts) =
            (0.0, 0.0, 0.0, 0usize, 0usize);
        for sim in self.sims.values() {
            if sim.broken {
                out.skipped += 1;
                continue;
            }
            let m = sim.simulator.metrics();
            out.items += 1;
            out.orders += m.orders;
            demand += m.demand;
            served += m.served_from_stock;
            on_hand += m.on_hand_sum;
            periods += m.periods;
            stockouts += m.stockout_periods;
            if m.periods > 0 {
                out.holding_cost_per_period += m.holding_cost_per_period();
                out.stockout_cost_per_period += m.stockout_cost_per_period();
                out.ordering_cost_per_period += m.ordering_cost_per_period();
            }
            let (cycles, clean) = sim.cycles();
            out.cycles += cycles;
            clean_cycles += clean;
            csl.extend(&sim.target_csl);
            fill.extend(&sim.target_fill);
        }
        out.cost_per_period = out.holding_cost_per_period
            + out.stockout_cost_per_period
            + out.ordering_cost_per_period;
        out.target_cycle_service_level = mean(&csl);
        out.target_fill_rate = (!fill.is_empty()).then(|| mean(&fill));
        if demand > 0.0 {
            out.achieved_fill_rate = served / demand;
        }
        if out.cycles > 0 {
            out.achieved_cycle_service_level = clean_cycles as f64 / out.cycles as f64;
        }
        if periods > 0 {
            out.achieved_period_service_level = 1.0 - stockouts as f64 / periods as f64;
            out.average_on_hand = on_hand / periods as f64;
        }
        out
    }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// A simulator for `position`'s item, starting from its stock.
fn start(
    position: &StockPosition,
    period: Period,
) -> Result<Simulator, restock_simulate::SimulateError> {
    let days = period.mean_days();
    let lead = (position.lead_time_days / days).round().max(0.0) as usize;
    let holding = match (position.unit_cost, position.holding_cost_rate) {
        (Some(c), Some(r)) => c * r * days / 365.25,
        _ => 0.0,
    };
    let scenario = Scenario {
        policy: Policy::NoOrders,
        lead_time: LeadTime::Fixed(lead),
        costs: Costs {
            holding_cost: holding,
            stockout_cost: position.stockout_cost.unwrap_or(0.0),
            fixed_order_cost: position.ordering_cost.unwrap_or(0.0),
        },
        shortage: Shortage::Backorders,
        periods: 1,
        // The first L + 1 periods play out orders placed before the first decision could
        // arrive: they measure the starting stock, not the strategy.
        warm_up: lead + 1,
    };
    let pipeline = if position.on_order > 0.0 {
        vec![PipelineOrder {
            arrival_period: lead.max(1),
            quantity: position.on_order,
        }]
    } else {
        Vec::new()
    };
    Simulator::new(
        &scenario,
        InitialState {
            inventory_level: position.on_hand - position.backorders,
            pipeline,
        },
        0,
    )
}

/// Evidence for the trend adjustments a strategy proposed: per item, the absolute error of the
/// demand rate with and without the adjustment against the demand rate that followed (units per
/// day over the periods up to the next origin), at the origins where one was proposed.
#[derive(Default)]
pub(crate) struct AdjustmentEvidence {
    items: BTreeMap<String, (usize, f64, f64, Vec<f64>)>,
}

impl AdjustmentEvidence {
    /// Records the decisions of one origin; `actual_per_day` gives an item's realised demand
    /// rate over the periods that follow (NaN when unknown: not recorded).
    pub(crate) fn record(&mut self, decisions: &[Decision], actual_per_day: impl Fn(&str) -> f64) {
        for d in decisions {
            let Some(a) = &d.demand_adjustment else {
                continue;
            };
            if !(a.factor.is_finite() && a.factor > 0.0) {
                continue;
            }
            let actual = actual_per_day(&d.product_id);
            if !actual.is_finite() {
                continue;
            }
            let base = if a.applied {
                d.demand_per_day / a.factor
            } else {
                d.demand_per_day
            };
            let adjusted = base * a.factor;
            let e = self
                .items
                .entry(d.product_id.clone())
                .or_insert((0, 0.0, 0.0, Vec::new()));
            e.0 += 1;
            e.1 += (adjusted - actual).abs();
            e.2 += (base - actual).abs();
            if !e.3.contains(&a.factor) {
                e.3.push(a.factor);
            }
        }
    }

    /// The gates, one entry per item with evidence.
    pub(crate) fn gates(self, strategy: &str, as_of: chrono::NaiveDate) -> AdjustmentGates {
        AdjustmentGates {
            strategy: strategy.to_owned(),
            as_of,
            items: self
                .items
                .into_iter()
                .map(|(item, (n, adjusted, unadjusted, mut factors))| {
                    factors.sort_by(f64::total_cmp);
                    let (mae_adjusted, mae_unadjusted) =
                        (adjusted / n as f64, unadjusted / n as f64);
                    (
                        item,
                        restock_core::AdjustmentEvidence {
                            origins: n,
                            mae_adjusted,
                            mae_unadjusted,
                            lowers_error: mae_adjusted < mae_unadjusted,
                            factors,
                        },
                    )
                })
                .collect(),
        }
    }
}

/// What the backtest found about the strategy's trend adjustments, and where it wrote the gates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustmentSummary {
    /// Items for which an adjustment was proposed at some origin (with a known outcome).
    pub items: usize,
    /// Of those, items where it lowered the error: a gated strategy applies it there.
    pub lowers_error: usize,
    /// The gates file, for `adjustment = "gated"` strategies.
    pub file: String,
    /// Items where it lowered the error, for the report (at most 20, by name).
    pub applied_to: Vec<String>,
}
