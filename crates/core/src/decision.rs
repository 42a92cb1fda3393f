//! What a strategy decides for one item.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What to do about an item now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Place a replenishment order of `order_quantity` units.
    Order,
    /// Do nothing: the inventory position is above the reorder point.
    Hold,
    /// Demand is falling and stock exceeds the order-up-to level: cut open orders.
    Reduce,
    /// Stock covers far more than the planning horizon: sell it down (promotion, markdown).
    Promote,
}

impl Action {
    /// `order`, `hold`, `reduce` or `promote`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Order => "order",
            Action::Hold => "hold",
            Action::Reduce => "reduce",
            Action::Promote => "promote",
        }
    }
}

/// A change to the demand rate proposed from a trend in sales or in what customers write, and
/// whether it was applied. Published evidence is that such signals often fail to beat plain
/// exponential smoothing (Schaer, Kourentzes & Fildes, "Demand forecasting with user-generated
/// online information", IJF 35(1), 2019), so a strategy applies one only where a backtest on the
/// same data showed it lowering the error, unless configured otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandAdjustment {
    /// What proposed it: `sales` (the sales trend), `llm` (a language model's trend) or
    /// `sentiment` (the sentiment trend).
    pub source: String,
    /// The proposed multiplier of the demand rate (e.g. 1.1).
    pub factor: f64,
    /// Whether the decision's demand rate includes it.
    pub applied: bool,
    /// Why it was or was not applied, one sentence.
    pub reason: String,
}

/// A replenishment decision for one item. Quantities in units, rates per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The item (product id, or group id when the pipeline groups).
    pub product_id: String,
    /// The strategy component that decided.
    pub strategy: String,
    /// The policy family, e.g. `reorder_point`, `base_stock`, `s_s`, `r_q`, `r_s`.
    pub policy: String,
    /// What to do.
    pub action: Action,
    /// Units to order now (0 unless `action` is `order`).
    pub order_quantity: f64,
    /// Safety stock, units.
    pub safety_stock: f64,
    /// Reorder point, units of inventory position.
    pub reorder_point: f64,
    /// Order-up-to level (reorder point plus order quantity), units.
    pub order_up_to: f64,
    /// Inventory position before the order: on hand + on order − backorders.
    pub inventory_position: f64,
    /// Demand rate used, units per day (after any trend adjustment).
    pub demand_per_day: f64,
    /// Probability that no stock-out occurs in a replenishment cycle under this policy.
    pub expected_cycle_service_level: f64,
    /// Expected fill rate: the long-run share of demand met from stock, in [0, 1], where the
    /// policy defines it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expected_fill_rate: Option<f64>,
    /// Expected holding + stock-out + ordering cost per period under this policy, currency
    /// units, where the policy's costs are known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expected_cost_per_period: Option<f64>,
    /// Probability that demand over the lead time exceeds the current inventory position.
    pub stockout_risk: f64,
    /// Days the inventory position lasts at `demand_per_day` (absent when demand is zero).
    pub days_of_cover: Option<f64>,
    /// The item's ABC/XYZ class (e.g. `AX`: A by demand value, X by coefficient of
    /// variation), when the strategy classifies.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub class: Option<String>,
    /// The trend adjustment proposed for the demand rate, when there was one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub demand_adjustment: Option<DemandAdjustment>,
    /// Why, in a few sentences a planner can check, citing the numbers and the evidence.
    pub rationale: String,
    /// Ids of the documents cited.
    pub evidence: Vec<String>,
}

/// Per item, whether replaying the strategy showed its trend adjustment lowering the error of
/// the demand rate. `restock backtest` writes it to [`AdjustmentGates::FILE`] under the
/// pipeline's cache folder; a strategy with gated adjustments reads it there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdjustmentGates {
    /// The strategy component evaluated.
    pub strategy: String,
    /// The `as_of` of the backtest: its evidence uses data up to that day, so a run dated
    /// earlier must not use it.
    pub as_of: chrono::NaiveDate,
    /// Evidence per item (only items for which an adjustment was proposed at some origin).
    pub items: BTreeMap<String, AdjustmentEvidence>,
}

impl AdjustmentGates {
    /// Where the gates live, relative to the cache folder.
    pub const FILE: &'static str = "backtest/adjustment-gates.json";
}

/// One item's evidence: the demand rate with and without the proposed adjustment against the
/// demand that followed, over the origins where one was proposed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdjustmentEvidence {
    /// Origins at which an adjustment was proposed.
    pub origins: usize,
    /// Mean absolute error of the adjusted rate, units per day.
    pub mae_adjusted: f64,
    /// Mean absolute error of the unadjusted rate, units per day.
    pub mae_unadjusted: f64,
    /// True when the adjusted rate's error is strictly lower.
    pub lowers_error: bool,
    /// The proposed multipliers evaluated (ascending): evidence for ×0.9 says nothing about
    /// ×0.5, so a strategy applies it only to a factor listed here.
    #[serde(default)]
    pub factors: Vec<f64>,
}
