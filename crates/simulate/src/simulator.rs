//! The period-by-period state machine: one item, one policy, a pipeline of outstanding orders.

use rand_chacha::ChaCha8Rng;

use crate::error::{Result, SimulateError, invalid, non_negative};
use crate::lead_time::{LeadTime, LeadTimeSampler};
use crate::metrics::Metrics;
use crate::policy::Policy;
use crate::rng::lead_time_stream;

/// Costs charged each period, in currency units (Snyder & Shen, 2nd ed., §4.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// h: per unit on hand at the end of a period (≥ 0).
    pub holding_cost: f64,
    /// p: per unit backordered at the end of a period (backorders), or per unit of demand lost
    /// (lost sales) (≥ 0).
    pub stockout_cost: f64,
    /// K: per order placed, whatever its size (≥ 0).
    pub fixed_order_cost: f64,
}

/// What happens to demand that stock on hand cannot meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortage {
    /// It waits and is filled first from later receipts; the inventory level goes negative.
    Backorders,
    /// It is lost; the inventory level never goes below zero.
    LostSales,
}

/// One item's inventory system and how long to watch it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The replenishment policy.
    pub policy: Policy,
    /// Lead time of every order.
    pub lead_time: LeadTime,
    /// h, p, K.
    pub costs: Costs,
    /// Backorders or lost sales.
    pub shortage: Shortage,
    /// Periods T that [`crate::simulate`] runs (≥ 1; a [`Simulator`] runs as many periods as it
    /// is stepped).
    pub periods: usize,
    /// Periods 1..=warm_up are simulated but left out of every metric (< periods).
    pub warm_up: usize,
}

impl Scenario {
    /// Checks every parameter of the system (policy, lead time, costs) and that 1 ≤ periods
    /// and warm_up < periods.
    pub fn validate(&self) -> Result<()> {
        self.validate_system()?;
        if self.periods == 0 {
            return Err(invalid("periods", 0.0, "must be at least 1"));
        }
        if self.warm_up >= self.periods {
            return Err(invalid(
                "warm_up",
                self.warm_up as f64,
                "must be less than periods",
            ));
        }
        Ok(())
    }

    fn validate_system(&self) -> Result<()> {
        self.policy.validate()?;
        self.lead_time.validate()?;
        non_negative("holding_cost", self.costs.holding_cost)?;
        non_negative("stockout_cost", self.costs.stockout_cost)?;
        non_negative("fixed_order_cost", self.costs.fixed_order_cost)
    }
}

/// An order placed and not yet received.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PipelineOrder {
    /// The period (1-based, counted from the simulator's first period) it is received in,
    /// before that period's demand.
    pub arrival_period: usize,
    /// Units.
    pub quantity: f64,
}

/// Where a simulator starts, before period 1.
#[derive(Debug, Clone, PartialEq)]
pub struct InitialState {
    /// Inventory level: on hand − backorders, units (≥ 0 under lost sales).
    pub inventory_level: f64,
    /// Orders already placed (arrival periods ≥ 1, quantities ≥ 0).
    pub pipeline: Vec<PipelineOrder>,
}

impl InitialState {
    /// The inventory level the policy would bring the position to (see
    /// [`Policy::starting_level`]; 0 under lost sales if that is negative) and nothing on order:
    /// where [`crate::simulate`] starts.
    pub fn for_policy(policy: &Policy, shortage: Shortage) -> InitialState {
        let level = policy.starting_level();
        let inventory_level = match shortage {
            Shortage::Backorders => level,
            Shortage::LostSales => level.max(0.0),
        };
        InitialState {
            inventory_level,
            pipeline: Vec::new(),
        }
    }
}

/// Everything that happened in one period, in event order. Quantities in units, costs in
/// currency units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodOutcome {
    /// The period, 1-based.
    pub period: usize,
    /// Inventory position observed before ordering: inventory level + on order.
    pub inventory_position: f64,
    /// Units ordered (0 when no order was placed).
    pub order_quantity: f64,
    /// When the order placed this period arrives (None when none was placed).
    pub order_arrival_period: Option<usize>,
    /// Units received this period, before demand (including this period's order when L = 0).
    pub received: f64,
    /// Units demanded.
    pub demand: f64,
    /// Units served from stock on hand.
    pub served_from_stock: f64,
    /// Units lost (lost sales only).
    pub lost_sales: f64,
    /// Ending inventory level: on hand − backorders.
    pub inventory_level: f64,
    /// Ending on hand, max(IL, 0).
    pub on_hand: f64,
    /// Ending backorders, max(−IL, 0).
    pub backorders: f64,
    /// h × ending on hand.
    pub holding_cost: f64,
    /// p × ending backorders, or p × units lost.
    pub stockout_cost: f64,
    /// K if an order was placed.
    pub ordering_cost: f64,
    /// Whether the period ended with backorders or lost demand.
    pub stockout: bool,
    /// Whether the period is counted in the metrics (after the warm-up).
    pub counted: bool,
}

/// A periodic-review inventory system stepped one period at a time with the demand the caller
/// gives: for replaying real demand while the policy changes between periods (a backtest sets
/// a policy at each rolling origin). Each [`Simulator::step`] runs, in order (Snyder & Shen,
/// *Fundamentals of Supply Chain Theory*, 2nd ed., §4.3):
///
/// 1. observe the inventory position IP = inventory level + on order;
/// 2. place the order the policy asks for (charging K), which arrives in period t + L;
/// 3. receive every order due in period t (with L = 0, the one just placed); a receipt fills
///    backorders first;
/// 4. demand occurs: served from on hand, the rest backordered or lost;
/// 5. charge h × ending on hand and p × ending backorders (or p × units lost).
///
/// Receiving before or after observing IP gives the same IP (a due order counts as on order
/// until received), so this is also "receive the orders due, observe IP, order, demand, cost"
/// with an L = 0 order received at once.
#[derive(Debug, Clone)]
pub struct Simulator {
    policy: Policy,
    lead_time: LeadTimeSampler,
    costs: Costs,
    shortage: Shortage,
    warm_up: usize,
    period: usize,
    inventory_level: f64,
    /// Sorted by arrival period, then by placement.
    pipeline: Vec<PipelineOrder>,
    latest_arrival: usize,
    lead_time_rng: ChaCha8Rng,
    metrics: Metrics,
}

impl Simulator {
    /// A simulator for `scenario`'s system (its `periods` is not used), starting from
    /// `initial`; random lead times are drawn from `seed`'s lead-time stream for replication 0,
    /// as [`crate::simulate`] draws them.
    pub fn new(scenario: &Scenario, initial: InitialState, seed: u64) -> Result<Simulator> {
        Self::with_stream(scenario, initial, lead_time_stream(seed, 0))
    }

    pub(crate) fn with_stream(
        scenario: &Scenario,
        initial: InitialState,
        rng: ChaCha8Rng,
    ) -> Result<Simulator> {
        scenario.validate_system()?;
        let InitialState {
            inventory_level,
            mut pipeline,
        } = initial;
        match scenario.shortage {
            Shortage::Backorders if !inventory_level.is_finite() => {
                return Err(invalid(
                    "inventory_level",
                    inventory_level,
                    "must be finite",
                ));
            }
            Shortage::LostSales => non_negative("inventory_level", inventory_level)?,
            Shortage::Backorders => {}
        }
        for order in &pipeline {
            non_negative("pipeline quantity", order.quantity)?;
            if order.arrival_period == 0 {
                return Err(invalid(
                    "arrival_period",
                    0.0,
                    "must be at least 1 (the first period)",
                ));
            }
        }
        pipeline.sort_by_key(|order| order.arrival_period);
        let latest_arrival = pipeline.last().map_or(0, |order| order.arrival_period);
        Ok(Simulator {
            policy: scenario.policy.clone(),
            lead_time: scenario.lead_time.sampler()?,
            costs: scenario.costs,
            shortage: scenario.shortage,
            warm_up: scenario.warm_up,
            period: 0,
            inventory_level,
            pipeline,
            latest_arrival,
            lead_time_rng: rng,
            metrics: Metrics::default(),
        })
    }

    /// Replaces the policy from the next period on; the stock, the pipeline and the metrics
    /// carry over. (R, S) reviews stay on periods 1, 1 + R, … of this simulator.
    pub fn set_policy(&mut self, policy: Policy) -> Result<()> {
        policy.validate()?;
        self.policy = policy;
        Ok(())
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Periods stepped so far (the next step is period `period() + 1`).
    pub fn period(&self) -> usize {
        self.period
    }

    /// Current inventory level, on hand − backorders, units.
    pub fn inventory_level(&self) -> f64 {
        self.inventory_level
    }

    /// Current inventory position, inventory level + on order, units.
    pub fn inventory_position(&self) -> f64 {
        self.inventory_level
            + self
                .pipeline
                .iter()
                .map(|order| order.quantity)
                .sum::<f64>()
    }

    /// Orders placed and not yet received, by arrival period.
    pub fn pipeline(&self) -> &[PipelineOrder] {
        &self.pipeline
    }

    /// The metrics so far (periods after the warm-up).
    pub fn metrics(&self) -> Metrics {
        self.metrics
    }

    /// Runs the next period with `demand` units (finite, ≥ 0) and returns what happened. A
    /// refused demand leaves the simulator unchanged.
    pub fn step(&mut self, demand: f64) -> Result<PeriodOutcome> {
        let t = self.period + 1;
        if !(demand.is_finite() && demand >= 0.0) {
            return Err(SimulateError::InvalidDemand {
                period: t,
                value: demand,
            });
        }
        self.period = t;

        // 1–2. Review and order.
        let inventory_position = self.inventory_position();
        let order_quantity = self.policy.order_quantity(t, inventory_position);
        let mut order_arrival_period = None;
        if order_quantity > 0.0 {
            let arrival = self
                .lead_time
                .arrival(t, self.latest_arrival, &mut self.lead_time_rng);
            self.latest_arrival = self.latest_arrival.max(arrival);
            // After every order arriving no later, so equal arrivals keep their placement order.
            let at = self
                .pipeline
                .partition_point(|order| order.arrival_period <= arrival);
            self.pipeline.insert(
                at,
                PipelineOrder {
                    arrival_period: arrival,
                    quantity: order_quantity,
                },
            );
            order_arrival_period = Some(arrival);
        }
        let ordering_cost = if order_quantity > 0.0 {
            self.costs.fixed_order_cost
        } else {
            0.0
        };

        // 3. Receive what is due (the pipeline is sorted, so it is a prefix).
        let due = self
            .pipeline
            .partition_point(|order| order.arrival_period <= t);
        let received: f64 = self.pipeline.drain(..due).map(|order| order.quantity).sum();
        self.inventory_level += received;

        // 4. Demand.
        let available = self.inventory_level.max(0.0);
        let served_from_stock = demand.min(available);
        let lost_sales = match self.shortage {
            Shortage::Backorders => {
                self.inventory_level -= demand;
                0.0
            }
            Shortage::LostSales => {
                self.inventory_level -= served_from_stock;
                demand - served_from_stock
            }
        };

        // 5. Costs on the ending inventory level.
        let on_hand = self.inventory_level.max(0.0);
        let backorders = (-self.inventory_level).max(0.0);
        let holding_cost = self.costs.holding_cost * on_hand;
        let (stockout_cost, stockout) = match self.shortage {
            Shortage::Backorders => (self.costs.stockout_cost * backorders, backorders > 0.0),
            Shortage::LostSales => (self.costs.stockout_cost * lost_sales, lost_sales > 0.0),
        };

        let outcome = PeriodOutcome {
            period: t,
            inventory_position,
            order_quantity,
            order_arrival_period,
            received,
            demand,
            served_from_stock,
            lost_sales,
            inventory_level: self.inventory_level,
            on_hand,
            backorders,
            holding_cost,
            stockout_cost,
            ordering_cost,
            stockout,
            counted: t > self.warm_up,
        };
        if outcome.counted {
            self.record(&outcome);
        }
        Ok(outcome)
    }

    fn record(&mut self, outcome: &PeriodOutcome) {
        let m = &mut self.metrics;
        m.periods += 1;
        m.demand += outcome.demand;
        m.served_from_stock += outcome.served_from_stock;
        m.lost_sales += outcome.lost_sales;
        m.ordered += outcome.order_quantity;
        m.orders += usize::from(outcome.order_quantity > 0.0);
        m.stockout_periods += usize::from(outcome.stockout);
        m.holding_cost += outcome.holding_cost;
        m.stockout_cost += outcome.stockout_cost;
        m.ordering_cost += outcome.ordering_cost;
        m.on_hand_sum += outcome.on_hand;
        m.backorders_sum += outcome.backorders;
    }
}
