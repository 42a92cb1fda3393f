//! The textbook policies as strategies: `base_stock`, `s_s`, `r_q`, `r_s`, `eoq` and
//! `wagner_whitin`. One driver ([`PolicyStrategy`]) does what they share — finding each item's
//! demand plan, stock position, costs and target, the ABC/XYZ class, the budget cut, the
//! diagnostics — and a [`Policy`] computes the levels of one item.

pub mod base_stock;
pub mod eoq;
pub(crate) mod info;
pub mod r_q;
pub mod r_s;
pub mod s_s;
pub mod wagner_whitin;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use async_trait::async_trait;
use restock_core::config::ConfigErrors;
use restock_core::display::{percent, quantity as fmt};
use restock_core::{
    Action, Context, Dataset, Decision, ForecastRecord, ItemOutlook, Outlook, Severity,
    StockPosition, Strategy,
};

use crate::budget::{self, Marginal};
use crate::classification::{ClassInput, classify, service_level_of};
use crate::config::{ClassificationConfig, PolicyConfig, Target};
use crate::demand::DemandPlan;
use crate::horizon::Horizon;
use crate::reorder_point::MissingStock;

/// Costs of one item, per period of its demand plan (the textbook's per-period h and p).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Costs {
    /// h: holding cost per unit per period.
    pub holding: Option<f64>,
    /// p: stock-out cost per unit backordered per period.
    pub stockout: Option<f64>,
    /// K: fixed cost per order.
    pub ordering: Option<f64>,
    /// c: cost of one unit.
    pub unit: Option<f64>,
}

impl Costs {
    /// h, or an error naming what is missing.
    pub fn need_holding(&self, why: &str) -> Result<f64, String> {
        self.holding.ok_or_else(|| {
            format!("{why} needs a holding cost: set holding_cost, or unit_cost and holding_cost_rate in the stock position")
        })
    }

    /// p, or an error naming what is missing.
    pub fn need_stockout(&self, why: &str) -> Result<f64, String> {
        self.stockout.ok_or_else(|| {
            format!("{why} needs a stock-out cost: set stockout_cost in the strategy or the stock position")
        })
    }

    /// K > 0, or an error naming what is missing.
    pub fn need_ordering(&self, why: &str) -> Result<f64, String> {
        match self.ordering {
            Some(k) if k > 0.0 => Ok(k),
            _ => Err(format!(
                "{why} needs a positive ordering cost: set ordering_cost in the strategy or the stock position"
            )),
        }
    }
}

/// The target one item's levels aim at, after per-item overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemTarget {
    /// The target.
    pub target: Target,
    /// Where it came from, for the rationale: "the strategy's target", "class AX", a file line.
    pub from: String,
}

impl ItemTarget {
    /// "a 95.0% cycle service level (the strategy's target)".
    pub fn describe(&self, costs: &Costs, period: &str) -> String {
        match self.target {
            Target::CycleServiceLevel(x) => {
                format!("a {} cycle service level ({})", percent(x), self.from)
            }
            Target::FillRate(x) => format!("a {} fill rate ({})", percent(x), self.from),
            Target::Costs => format!(
                "the least expected cost with h {} and p {} per unit per {period} ({})",
                costs.holding.map_or("?".into(), fmt),
                costs.stockout.map_or("?".into(), fmt),
                self.from
            ),
        }
    }

    /// The stock-out cost that makes this target optimal for a newsvendor with holding cost
    /// `h`: p = h·α/(1 − α) (the implied shortage cost: Silver, Pyke & Thomas, 4th ed., ch. 6),
    /// or the given p under a cost target.
    pub fn implied_stockout_cost(&self, costs: &Costs, h: f64) -> Option<f64> {
        match self.target {
            Target::CycleServiceLevel(a) | Target::FillRate(a) => {
                costs.stockout.or(Some(h * a / (1.0 - a)))
            }
            Target::Costs => costs.stockout,
        }
    }
}

/// Everything a policy needs to decide one item.
pub struct Item<'a> {
    /// The item key.
    pub id: &'a str,
    /// Its demand per period.
    pub plan: &'a DemandPlan,
    /// Its stock position.
    pub stock: &'a StockPosition,
    /// Mean lead time, periods of the plan (fractional).
    pub lead_time: f64,
    /// Standard deviation of the lead time, periods.
    pub lead_time_sd: f64,
    /// Costs per period.
    pub costs: Costs,
    /// The target.
    pub target: ItemTarget,
    /// The strategy's configuration.
    pub config: &'a PolicyConfig,
}

impl Item<'_> {
    /// The lead time in whole periods for periodic review: an order placed now arrives at the
    /// start of a period, so a fractional lead time is rounded up.
    pub fn lead_time_periods(&self) -> usize {
        (self.lead_time - 1e-9).ceil().max(0.0) as usize
    }

    /// "Lead time 10 days = 1.43 weeks (σ 0)": for the rationale, with the rounding when
    /// `whole` is given.
    pub fn lead_time_text(&self, whole: Option<usize>) -> String {
        let mut text = format!(
            "Lead time {} days = {}",
            fmt(self.stock.lead_time_days),
            crate::demand::count(self.lead_time, self.plan.period)
        );
        if let Some(l) = whole
            && (l as f64 - self.lead_time).abs() > 1e-9
        {
            let _ = write!(text, ", rounded up to {l} for periodic review");
        }
        if self.stock.lead_time_std_days > 0.0 {
            let _ = write!(text, " (σ {} days)", fmt(self.stock.lead_time_std_days));
        }
        text
    }

    /// The inventory position: on hand + on order − backorders.
    pub fn position(&self) -> f64 {
        self.stock.inventory_position()
    }

    /// " Inventory position 12 (10 on hand + 2 on order − 0 backordered)".
    pub fn position_text(&self) -> String {
        format!(
            " Inventory position {} ({} on hand + {} on order − {} backordered)",
            fmt(self.position()),
            fmt(self.stock.on_hand),
            fmt(self.stock.on_order),
            fmt(self.stock.backorders)
        )
    }
}

/// The levels and order a policy decided for one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Reorder point (s or r), units of inventory position.
    pub reorder_point: f64,
    /// Order-up-to level (S, or r + Q), units.
    pub order_up_to: f64,
    /// Safety stock: the reorder level minus mean demand over its protection period.
    pub safety_stock: f64,
    /// Units to order now, after MOQ and case-pack rounding.
    pub order_quantity: f64,
    /// Probability of no stock-out in a replenishment cycle.
    pub expected_cycle_service_level: f64,
    /// Share of demand met from stock.
    pub expected_fill_rate: Option<f64>,
    /// Expected holding + stock-out + ordering cost per period.
    pub expected_cost_per_period: Option<f64>,
    /// Probability that demand over the lead time exceeds the inventory position now.
    pub stockout_risk: f64,
    /// Mean demand per period the policy used.
    pub mean_per_period: f64,
    /// The policy's sentences: demand over the protection period, the levels and why, the
    /// order.
    pub rationale: String,
    /// Approximations made, one phrase each.
    pub notes: Vec<String>,
    /// What the budget needs to rank this item's units; `None` when it has no order or the
    /// policy does not take part.
    pub marginal: Option<Marginal>,
}

/// One textbook policy.
pub trait Policy: Send + Sync {
    /// The strategy type name (`base_stock`, …), also the decisions' `policy`.
    fn name(&self) -> &'static str;
    /// Decides one item, or says why it cannot.
    fn decide(&self, item: &Item) -> Result<Outcome, String>;
}

/// A strategy made of a [`Policy`] and the shared configuration.
pub struct PolicyStrategy<P> {
    config: PolicyConfig,
    policy: P,
}

impl<P: Policy> PolicyStrategy<P> {
    /// Checks the configuration for this policy; errors name the keys.
    pub fn new(config: PolicyConfig, policy: P) -> Result<Self, ConfigErrors> {
        config.validate(policy.name())?;
        Ok(Self { config, policy })
    }

    /// The configuration.
    pub fn config(&self) -> &PolicyConfig {
        &self.config
    }

    /// The classification in force: the configured cut-offs, or the defaults when only
    /// `service_levels` is set.
    fn classification(&self) -> Option<ClassificationConfig> {
        match (&self.config.classification, &self.config.service_levels) {
            (Some(c), _) => Some(c.clone()),
            (None, Some(_)) => Some(ClassificationConfig::default()),
            (None, None) => None,
        }
    }

    /// Costs per period for `plan`'s period from the configuration and the stock position.
    fn costs(&self, stock: &StockPosition, plan: &DemandPlan) -> Result<Costs, String> {
        for (name, value) in [
            ("unit_cost", stock.unit_cost),
            ("holding_cost_rate", stock.holding_cost_rate),
            ("ordering_cost", stock.ordering_cost),
            ("stockout_cost", stock.stockout_cost),
        ] {
            if value.is_some_and(|v| !(v.is_finite() && v >= 0.0)) {
                return Err(format!(
                    "{}: {name} {} must be a number ≥ 0",
                    stock.provenance,
                    value.unwrap_or_default()
                ));
            }
        }
        // Annual rate × unit cost, spread over 365.25 days (a month is then exactly 1/12).
        let from_stock = match (stock.unit_cost, stock.holding_cost_rate) {
            (Some(c), Some(r)) if c * r > 0.0 => Some(c * r * plan.period.mean_days() / 365.25),
            _ => None,
        };
        Ok(Costs {
            holding: self.config.holding_cost.or(from_stock),
            stockout: self
                .config
                .stockout_cost
                .or(stock.stockout_cost.filter(|p| *p > 0.0)),
            ordering: self.config.ordering_cost.or(stock.ordering_cost),
            unit: stock.unit_cost.filter(|c| *c > 0.0),
        })
    }

    /// The item's target: its stock position's service level, else its class's, else the
    /// strategy's.
    fn target(&self, stock: &StockPosition, class: Option<&str>) -> Result<ItemTarget, String> {
        if let Some(level) = stock.service_level {
            if !(level > 0.0 && level < 1.0) {
                return Err(format!(
                    "{}: service_level {level} is not in (0, 1)",
                    stock.provenance
                ));
            }
            return Ok(ItemTarget {
                target: Target::CycleServiceLevel(level),
                from: format!("service_level of {}", stock.provenance),
            });
        }
        let configured = self.config.target();
        if let (Some(class), Some(levels)) = (class, &self.config.service_levels)
            && let Some((key, level)) = service_level_of(class, levels)
        {
            let target = match configured {
                Target::FillRate(_) => Target::FillRate(level),
                _ => Target::CycleServiceLevel(level),
            };
            return Ok(ItemTarget {
                target,
                from: format!("service_levels.{key} for class {class}"),
            });
        }
        Ok(ItemTarget {
            target: configured,
            from: if self.config.target.is_some() {
                "the strategy's target".into()
            } else {
                "the default target".into()
            },
        })
    }

    fn assumed_stock(&self, item: &str) -> StockPosition {
        StockPosition::empty(
            item,
            self.config.default_lead_time_days,
            restock_core::Provenance::of("(assumed: missing_stock = \"zero\")"),
        )
    }

    /// Decides one item whose plan, stock position and class are known.
    pub fn decide_item(
        &self,
        id: &str,
        plan: &DemandPlan,
        stock: &StockPosition,
        class: Option<&str>,
        outlook: Option<&ItemOutlook>,
        strategy: &str,
    ) -> Result<(Decision, Option<Marginal>), String> {
        for (name, value) in [
            ("lead_time_days", stock.lead_time_days),
            ("lead_time_std_days", stock.lead_time_std_days),
            ("on_hand", stock.on_hand),
            ("on_order", stock.on_order),
            ("backorders", stock.backorders),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(format!(
                    "{}: {name} {value} must be a number ≥ 0",
                    stock.provenance
                ));
            }
        }
        let costs = self.costs(stock, plan)?;
        let target = self.target(stock, class)?;
        if target.target == Target::Costs {
            costs.need_holding("target = \"costs\"")?;
            costs.need_stockout("target = \"costs\"")?;
        }
        let days = plan.period.mean_days();
        let item = Item {
            id,
            plan,
            stock,
            lead_time: stock.lead_time_days / days,
            lead_time_sd: stock.lead_time_std_days / days,
            costs,
            target,
            config: &self.config,
        };
        let no_demand = plan.periods.iter().all(|d| d.mean() <= 0.0);
        let outcome = if no_demand {
            Outcome {
                reorder_point: 0.0,
                order_up_to: 0.0,
                safety_stock: 0.0,
                order_quantity: 0.0,
                expected_cycle_service_level: 1.0,
                expected_fill_rate: None,
                expected_cost_per_period: None,
                stockout_risk: f64::from(u8::from(item.position() < 0.0)),
                mean_per_period: 0.0,
                rationale: format!(
                    "No demand in any {} of the plan: no levels and no order.{}",
                    plan.period.as_str(),
                    item.position_text()
                ),
                notes: Vec::new(),
                marginal: None,
            }
        } else {
            self.policy.decide(&item)?
        };
        let mut why = plan.describe();
        why.push('.');
        for note in &outcome.notes {
            let _ = write!(why, " Note: {note}.");
        }
        why.push(' ');
        why.push_str(&outcome.rationale);
        if let Some(c) = class {
            let _ = write!(why, " ABC/XYZ class {c}.");
        }
        let evidence = outlook.map(|o| o.evidence.clone()).unwrap_or_default();
        if !evidence.is_empty() {
            let _ = write!(why, " Evidence: {}.", evidence.join(", "));
        }
        let demand_per_day = outcome.mean_per_period / days;
        let position = item.position();
        let decision = Decision {
            product_id: id.to_owned(),
            strategy: strategy.to_owned(),
            policy: self.policy.name().to_owned(),
            action: if outcome.order_quantity > 0.0 {
                Action::Order
            } else {
                Action::Hold
            },
            order_quantity: outcome.order_quantity,
            safety_stock: outcome.safety_stock,
            reorder_point: outcome.reorder_point,
            order_up_to: outcome.order_up_to,
            inventory_position: position,
            demand_per_day,
            expected_cycle_service_level: outcome.expected_cycle_service_level,
            expected_fill_rate: outcome.expected_fill_rate,
            expected_cost_per_period: outcome.expected_cost_per_period,
            demand_adjustment: None,
            stockout_risk: outcome.stockout_risk,
            days_of_cover: (demand_per_day > 0.0).then(|| position / demand_per_day),
            class: class.map(str::to_owned),
            rationale: why,
            evidence,
        };
        Ok((decision, outcome.marginal))
    }
}

/// The stock position of each item, the later of two winning with a warning.
fn stock_by_item<'a>(dataset: &'a Dataset, ctx: &Context) -> HashMap<&'a str, &'a StockPosition> {
    let mut stock: HashMap<&str, &StockPosition> = HashMap::new();
    for s in &dataset.stock {
        if let Some(previous) = stock.insert(s.product_id.as_str(), s) {
            ctx.report(
                Severity::Warning,
                Some(&s.product_id),
                Some(s.provenance.clone()),
                format!(
                    "second stock position for this item (first at {}): the later one is used",
                    previous.provenance
                ),
            );
        }
    }
    stock
}

#[async_trait]
impl<P: Policy> Strategy for PolicyStrategy<P> {
    async fn decide(
        &self,
        dataset: &Dataset,
        outlook: &Outlook,
        ctx: &Context,
    ) -> restock_core::Result<Vec<Decision>> {
        let stock = stock_by_item(dataset, ctx);
        let mut records: BTreeMap<&str, Vec<&ForecastRecord>> = BTreeMap::new();
        for r in &dataset.forecasts {
            records.entry(r.product_id.as_str()).or_default().push(r);
        }
        let items: BTreeSet<&str> = outlook
            .items
            .keys()
            .map(String::as_str)
            .chain(records.keys().copied())
            .collect();
        for s in &dataset.stock {
            if !items.contains(s.product_id.as_str()) {
                ctx.report(
                    Severity::Warning,
                    Some(&s.product_id),
                    Some(s.provenance.clone()),
                    "stock position for an item with no demand: no model assessed it and no forecasts record names it (check the id and group_by)",
                );
            }
        }
        if let Some(name) = &self.config.forecast {
            let found = outlook
                .items
                .values()
                .any(|o| o.forecasts.iter().any(|f| &f.model == name));
            if !found {
                let mut models: Vec<&str> = outlook
                    .items
                    .values()
                    .flat_map(|o| o.forecasts.iter().map(|f| f.model.as_str()))
                    .collect();
                models.sort_unstable();
                models.dedup();
                ctx.report(
                    Severity::Error,
                    None,
                    None,
                    format!(
                        "forecast = \"{name}\": no model of that name made a forecast (forecasts came from: {})",
                        if models.is_empty() { "none".to_owned() } else { models.join(", ") }
                    ),
                );
            }
        }

        // Demand plans.
        let mut plans: BTreeMap<&str, DemandPlan> = BTreeMap::new();
        for &item in &items {
            let item_records = records.get(item).map(Vec::as_slice).unwrap_or_default();
            match DemandPlan::resolve(
                outlook.items.get(item),
                item_records,
                self.config.forecast.as_deref(),
                ctx.as_of(),
            ) {
                Ok(plan) => {
                    plans.insert(item, plan);
                }
                Err(message) => ctx.report(Severity::Error, Some(item), None, message),
            }
        }

        // ABC/XYZ over every item with a plan.
        let classes = self.classification().map(|config| {
            let inputs: BTreeMap<String, ClassInput> = plans
                .iter()
                .map(|(item, plan)| {
                    let n = plan.periods.len();
                    let mean = plan.mean_per_period(n);
                    let variance = (0..n).map(|t| plan.at(t).std_dev().powi(2)).sum::<f64>()
                        / n as f64;
                    let unit_cost = stock
                        .get(item)
                        .and_then(|s| s.unit_cost)
                        .or_else(|| {
                            dataset
                                .products
                                .iter()
                                .find(|p| p.id == *item)
                                .and_then(|p| p.price)
                        })
                        .filter(|c| *c > 0.0);
                    (
                        (*item).to_owned(),
                        ClassInput {
                            mean,
                            std_dev: variance.sqrt(),
                            unit_cost,
                        },
                    )
                })
                .collect();
            let classes = classify(&inputs, &config);
            if classes.by_units && !inputs.is_empty() {
                ctx.report(
                    Severity::Warning,
                    None,
                    None,
                    "ABC classes rank mean demand in units: some items have neither a unit_cost nor a product price",
                );
            }
            classes
        });

        let mut decisions = Vec::new();
        let mut marginals = Vec::new();
        let mut skipped = 0;
        for (item, plan) in &plans {
            let assumed;
            let position = match (stock.get(item), self.config.missing_stock) {
                (Some(p), _) => *p,
                (None, MissingStock::Zero) => {
                    assumed = self.assumed_stock(item);
                    &assumed
                }
                (None, MissingStock::Skip) => {
                    skipped += 1;
                    continue;
                }
            };
            let class = classes
                .as_ref()
                .and_then(|c| c.by_item.get(*item))
                .map(String::as_str);
            match self.decide_item(
                item,
                plan,
                position,
                class,
                outlook.items.get(*item),
                ctx.component(),
            ) {
                Ok((mut decision, marginal)) => {
                    if !stock.contains_key(item) {
                        let note = format!(
                            "No stock position: assumed none on hand or on order, lead time {} days (missing_stock = \"zero\").",
                            fmt(self.config.default_lead_time_days)
                        );
                        ctx.report(Severity::Warning, Some(item), None, note.clone());
                        decision.rationale = format!("{note} {}", decision.rationale);
                    }
                    marginals.push((marginal, position.unit_cost.filter(|c| *c > 0.0)));
                    decisions.push(decision);
                }
                Err(message) => ctx.report(Severity::Error, Some(item), None, message),
            }
        }
        if skipped > 0 {
            ctx.report(
                Severity::Warning,
                None,
                None,
                format!("{skipped} items have demand but no stock position and were not decided (missing_stock = \"skip\")"),
            );
        }
        if let Some(limit) = self.config.budget {
            budget::apply(limit, &mut decisions, &marginals, ctx);
        }
        Ok(decisions)
    }
}

/// Mean demand over `horizon` minus mean over `lead` (the periods a cycle covers).
pub(crate) fn cycle_mean(horizon: &Horizon, lead: &Horizon) -> f64 {
    horizon.mean() - lead.mean()
}
