//! The configuration shared by the textbook strategies (`base_stock`, `s_s`, `r_q`, `r_s`,
//! `eoq`, `wagner_whitin`): one struct with every key, each strategy accepting the keys that
//! apply to it and rejecting the rest by name.

use std::collections::BTreeMap;

use restock_core::ConfigKeyDoc;
use restock_core::config::{ConfigError, ConfigErrors};
use serde::Deserialize;

use crate::reorder_point::MissingStock;

/// What the policy aims at.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Probability of no stock-out in a replenishment cycle, in (0, 1).
    CycleServiceLevel(f64),
    /// Share of demand met from stock (the P2 / type-2 service level), in (0, 1).
    FillRate(f64),
    /// Minimise expected holding + stock-out (+ ordering) cost per period.
    Costs,
}

/// `method` of `s_s` and `r_q`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The exact optimum (Zheng–Federgruen for (s, S); the exact cost for (r, Q)).
    Exact,
    /// The power approximation ((s, S)).
    Power,
    /// EOQ + safety stock ((r, Q)).
    Eoqss,
    /// EOQ with backorders and the optimal r for it ((r, Q)).
    Eoqb,
    /// The expected-inventory-level approximation ((r, Q)).
    Eil,
    /// The loss-function approximation ((r, Q)).
    LossFunction,
}

impl Method {
    /// The name as written in a manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Power => "power",
            Method::Eoqss => "eoqss",
            Method::Eoqb => "eoqb",
            Method::Eil => "eil",
            Method::LossFunction => "loss_function",
        }
    }
}

/// `variant` of `eoq`: the lot-size model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EoqVariant {
    /// The economic order quantity.
    Basic,
    /// EOQ with planned backorders (needs a stock-out cost).
    Backorders,
    /// Economic production quantity (needs `production_rate`).
    Production,
    /// All-units quantity discounts (needs `breakpoints` and `unit_costs`).
    AllUnitsDiscounts,
    /// Incremental quantity discounts (needs `breakpoints` and `unit_costs`).
    IncrementalDiscounts,
}

/// ABC/XYZ cut-offs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassificationConfig {
    /// Cumulative value shares ending classes A and B, e.g. [0.8, 0.95].
    #[serde(default = "default_abc")]
    pub abc: [f64; 2],
    /// Coefficient-of-variation limits of classes X and Y, e.g. [0.5, 1.0].
    #[serde(default = "default_xyz")]
    pub xyz: [f64; 2],
}

impl Default for ClassificationConfig {
    fn default() -> Self {
        Self {
            abc: default_abc(),
            xyz: default_xyz(),
        }
    }
}

fn default_abc() -> [f64; 2] {
    [0.8, 0.95]
}
fn default_xyz() -> [f64; 2] {
    [0.5, 1.0]
}

/// Every key of the textbook strategies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// The target; default `{ cycle_service_level = 0.95 }`.
    #[serde(default)]
    pub target: Option<Target>,
    /// The model component whose forecast to use.
    #[serde(default)]
    pub forecast: Option<String>,
    /// Holding cost per unit per period, overriding the stock positions'.
    #[serde(default)]
    pub holding_cost: Option<f64>,
    /// Stock-out (backorder) cost per unit, overriding the stock positions'.
    #[serde(default)]
    pub stockout_cost: Option<f64>,
    /// Fixed cost per order, overriding the stock positions'.
    #[serde(default)]
    pub ordering_cost: Option<f64>,
    /// Round levels and quantities up to whole units.
    #[serde(default = "yes")]
    pub integer_units: bool,
    /// Items without a stock position.
    #[serde(default = "default_missing_stock")]
    pub missing_stock: MissingStock,
    /// Lead time assumed under `missing_stock = "zero"`, days.
    #[serde(default = "default_lead_time")]
    pub default_lead_time_days: f64,
    /// Spend limit of this run's orders, currency.
    #[serde(default)]
    pub budget: Option<f64>,
    /// ABC/XYZ cut-offs.
    #[serde(default)]
    pub classification: Option<ClassificationConfig>,
    /// Service level per class (`AX`, `A`, `Z`, …).
    #[serde(default)]
    pub service_levels: Option<BTreeMap<String, f64>>,
    /// `s_s`, `r_q`: the method.
    #[serde(default)]
    pub method: Option<Method>,
    /// `r_s`: review period, periods.
    #[serde(default)]
    pub review_period: Option<u32>,
    /// `eoq`: the lot-size model.
    #[serde(default)]
    pub variant: Option<EoqVariant>,
    /// `eoq` with `variant = "production"`: units produced per period.
    #[serde(default)]
    pub production_rate: Option<f64>,
    /// `eoq` with discounts: quantity breakpoints, starting at 0.
    #[serde(default)]
    pub breakpoints: Option<Vec<f64>>,
    /// `eoq` with discounts: the unit cost from each breakpoint.
    #[serde(default)]
    pub unit_costs: Option<Vec<f64>>,
    /// `wagner_whitin`: periods of the plan to lot-size.
    #[serde(default)]
    pub horizon: Option<u32>,
}

fn yes() -> bool {
    true
}
fn default_missing_stock() -> MissingStock {
    MissingStock::Skip
}
fn default_lead_time() -> f64 {
    14.0
}

/// The policy-specific keys, and which strategies take each.
const SPECIFIC: &[(&str, &[&str])] = &[
    ("method", &["s_s", "r_q"]),
    ("review_period", &["r_s"]),
    ("variant", &["eoq"]),
    ("production_rate", &["eoq"]),
    ("breakpoints", &["eoq"]),
    ("unit_costs", &["eoq"]),
    ("horizon", &["wagner_whitin"]),
];

impl PolicyConfig {
    /// Which policy-specific keys are set.
    fn set_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        let flags = [
            ("method", self.method.is_some()),
            ("review_period", self.review_period.is_some()),
            ("variant", self.variant.is_some()),
            ("production_rate", self.production_rate.is_some()),
            ("breakpoints", self.breakpoints.is_some()),
            ("unit_costs", self.unit_costs.is_some()),
            ("horizon", self.horizon.is_some()),
            ("target", self.target.is_some()),
            ("budget", self.budget.is_some()),
            ("service_levels", self.service_levels.is_some()),
            ("stockout_cost", self.stockout_cost.is_some()),
        ];
        for (key, set) in flags {
            if set {
                keys.push(key);
            }
        }
        keys
    }

    /// The target in force before per-item overrides.
    pub fn target(&self) -> Target {
        self.target.unwrap_or(Target::CycleServiceLevel(0.95))
    }

    /// Checks the keys and value ranges for strategy `type_name`; errors name the key.
    pub fn validate(&self, type_name: &str) -> Result<(), ConfigErrors> {
        let mut errors = Vec::new();
        let deterministic = type_name == "wagner_whitin";
        for key in self.set_keys() {
            let applies = match SPECIFIC.iter().find(|(k, _)| *k == key) {
                Some((_, types)) => types.contains(&type_name),
                // A deterministic plan has no service target, stock-out cost or marginal value.
                None => !deterministic,
            };
            if !applies {
                errors.push(ConfigError::at_key(
                    &[key],
                    format!("`{key}` does not apply to `{type_name}`"),
                ));
            }
        }
        let probability = |x: f64| x > 0.0 && x < 1.0;
        match self.target {
            Some(Target::CycleServiceLevel(x)) if !probability(x) => {
                errors.push(ConfigError::at_key(
                    &["target", "cycle_service_level"],
                    "expected a probability in (0, 1), e.g. 0.95",
                ))
            }
            Some(Target::FillRate(x)) if !probability(x) => errors.push(ConfigError::at_key(
                &["target", "fill_rate"],
                "expected a probability in (0, 1), e.g. 0.98",
            )),
            _ => {}
        }
        for (key, value) in [
            ("holding_cost", self.holding_cost),
            ("stockout_cost", self.stockout_cost),
            ("budget", self.budget),
            ("production_rate", self.production_rate),
        ] {
            if value.is_some_and(|v| !(v.is_finite() && v > 0.0)) {
                errors.push(ConfigError::at_key(&[key], "expected a positive number"));
            }
        }
        if self
            .ordering_cost
            .is_some_and(|v| !(v.is_finite() && v >= 0.0))
        {
            errors.push(ConfigError::at_key(
                &["ordering_cost"],
                "expected a number ≥ 0",
            ));
        }
        if !(self.default_lead_time_days.is_finite() && self.default_lead_time_days >= 0.0) {
            errors.push(ConfigError::at_key(
                &["default_lead_time_days"],
                "expected a number of days ≥ 0",
            ));
        }
        if self.forecast.as_deref().is_some_and(str::is_empty) {
            errors.push(ConfigError::at_key(
                &["forecast"],
                "expected a model component name",
            ));
        }
        if let Some(c) = &self.classification {
            let [a, b] = c.abc;
            if !(a > 0.0 && a < b && b <= 1.0) {
                errors.push(ConfigError::at_key(
                    &["classification", "abc"],
                    "expected two cumulative value shares 0 < A < B ≤ 1, e.g. [0.8, 0.95]",
                ));
            }
            let [x, y] = c.xyz;
            if !(x > 0.0 && x < y && y.is_finite()) {
                errors.push(ConfigError::at_key(
                    &["classification", "xyz"],
                    "expected two coefficients of variation 0 < X < Y, e.g. [0.5, 1.0]",
                ));
            }
        }
        if let Some(levels) = &self.service_levels {
            for (class, level) in levels {
                if !valid_class_key(class) {
                    errors.push(ConfigError::at_key(
                        &["service_levels", class],
                        "expected a class: A, B or C followed by X, Y or Z (AX), or one letter (A, Z)",
                    ));
                }
                if !probability(*level) {
                    errors.push(ConfigError::at_key(
                        &["service_levels", class],
                        "expected a probability in (0, 1)",
                    ));
                }
            }
        }
        if self.review_period == Some(0) {
            errors.push(ConfigError::at_key(
                &["review_period"],
                "expected at least 1 period",
            ));
        }
        if self.horizon == Some(0) {
            errors.push(ConfigError::at_key(
                &["horizon"],
                "expected at least 1 period",
            ));
        }
        if let Some(method) = self.method {
            let allowed: &[Method] = match type_name {
                "s_s" => &[Method::Exact, Method::Power],
                _ => &[
                    Method::Exact,
                    Method::Eoqss,
                    Method::Eoqb,
                    Method::Eil,
                    Method::LossFunction,
                ],
            };
            if !allowed.contains(&method) {
                let names: Vec<String> = allowed
                    .iter()
                    .map(|m| format!("\"{}\"", m.as_str()))
                    .collect();
                errors.push(ConfigError::at_key(
                    &["method"],
                    format!("`{type_name}` takes method {}", names.join(" | ")),
                ));
            }
        }
        let discounts = matches!(
            self.variant,
            Some(EoqVariant::AllUnitsDiscounts | EoqVariant::IncrementalDiscounts)
        );
        if discounts {
            match (&self.breakpoints, &self.unit_costs) {
                (Some(b), Some(c)) => {
                    let increasing = b.first() == Some(&0.0)
                        && b.windows(2).all(|w| w[0] < w[1])
                        && b.iter().all(|x| x.is_finite());
                    if !increasing {
                        errors.push(ConfigError::at_key(
                            &["breakpoints"],
                            "expected quantities starting at 0 and strictly increasing, e.g. [0, 200, 500]",
                        ));
                    }
                    if c.len() != b.len() || c.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                        errors.push(ConfigError::at_key(
                            &["unit_costs"],
                            "expected one positive unit cost per breakpoint",
                        ));
                    }
                }
                _ => errors.push(ConfigError::at_key(
                    &["variant"],
                    "quantity discounts need `breakpoints` and `unit_costs`",
                )),
            }
        } else {
            for key in ["breakpoints", "unit_costs"] {
                let set = if key == "breakpoints" {
                    self.breakpoints.is_some()
                } else {
                    self.unit_costs.is_some()
                };
                if set && type_name == "eoq" {
                    errors.push(ConfigError::at_key(
                        &[key],
                        "applies only with variant = \"all_units_discounts\" or \"incremental_discounts\"",
                    ));
                }
            }
        }
        match (self.variant, self.production_rate) {
            (Some(EoqVariant::Production), None) => errors.push(ConfigError::at_key(
                &["variant"],
                "variant = \"production\" needs `production_rate` (units per period)",
            )),
            (v, Some(_)) if v != Some(EoqVariant::Production) && type_name == "eoq" => {
                errors.push(ConfigError::at_key(
                    &["production_rate"],
                    "applies only with variant = \"production\"",
                ))
            }
            _ => {}
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigErrors(errors))
        }
    }
}

fn valid_class_key(key: &str) -> bool {
    let b = key.as_bytes();
    match b {
        [x] => b"ABCXYZ".contains(x),
        [a, x] => b"ABC".contains(a) && b"XYZ".contains(x),
        _ => false,
    }
}

/// The keys every textbook strategy takes, for `PluginInfo`.
pub(crate) const COMMON_KEYS: [ConfigKeyDoc; 11] = [
    ConfigKeyDoc {
        name: "target",
        ty: "{ cycle_service_level = float } | { fill_rate = float } | \"costs\"",
        default: Some("{ cycle_service_level = 0.95 }"),
        doc: "what the levels aim at; a stock position's service_level (a cycle service level) overrides it for its item, then service_levels per class",
    },
    ConfigKeyDoc {
        name: "forecast",
        ty: "string",
        default: Some(
            "(the item's last forecast, else its forecasts records, else sales_trend's rate)",
        ),
        doc: "the model component whose forecast drives demand",
    },
    ConfigKeyDoc {
        name: "holding_cost",
        ty: "float",
        default: Some(
            "(the stock position's unit_cost × holding_cost_rate × days per period / 365.25)",
        ),
        doc: "h per unit per period, for every item",
    },
    ConfigKeyDoc {
        name: "stockout_cost",
        ty: "float",
        default: Some("(the stock position's stockout_cost)"),
        doc: "p per unit backordered per period, for every item",
    },
    ConfigKeyDoc {
        name: "ordering_cost",
        ty: "float",
        default: Some("(the stock position's ordering_cost)"),
        doc: "K per order, for every item",
    },
    ConfigKeyDoc {
        name: "integer_units",
        ty: "boolean",
        default: Some("true"),
        doc: "round levels and quantities of normal demand up to whole units",
    },
    ConfigKeyDoc {
        name: "missing_stock",
        ty: "\"skip\" | \"zero\"",
        default: Some("\"skip\""),
        doc: "items with no stock position: leave undecided (warning) or assume none on hand",
    },
    ConfigKeyDoc {
        name: "default_lead_time_days",
        ty: "float",
        default: Some("14"),
        doc: "lead time assumed for items without a stock position under missing_stock = \"zero\"",
    },
    ConfigKeyDoc {
        name: "budget",
        ty: "float",
        default: Some("(no budget)"),
        doc: "spend limit (currency) on this run's orders: candidate units of all items ranked by marginal value per currency unit, cut at the budget",
    },
    ConfigKeyDoc {
        name: "classification",
        ty: "{ abc = [float, float], xyz = [float, float] }",
        default: Some("(no classes; [0.8, 0.95] and [0.5, 1.0] when service_levels is set)"),
        doc: "ABC by cumulative share of demand value, XYZ by coefficient of variation per period; the class goes in each decision",
    },
    ConfigKeyDoc {
        name: "service_levels",
        ty: "table of class = float",
        default: Some("(none)"),
        doc: "service level per class (AX, CZ, or one letter: A, Z), of the target's kind (a cycle service level under target = \"costs\")",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> PolicyConfig {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn keys_of_other_strategies_are_rejected_by_name() {
        let config = parse(r#"{"method": "eil", "review_period": 2}"#);
        let errors = config.validate("base_stock").unwrap_err().0;
        let keys: Vec<_> = errors.iter().map(|e| e.path.join(".")).collect();
        assert_eq!(keys, ["method", "review_period"]);
        assert!(config.validate("r_q").is_err());
        let config = parse(r#"{"method": "power"}"#);
        assert!(config.validate("s_s").is_ok());
        assert!(config.validate("r_q").is_err());
    }

    #[test]
    fn targets_and_classes_are_checked() {
        let config = parse(r#"{"target": {"fill_rate": 1.2}}"#);
        assert!(config.validate("base_stock").is_err());
        let config = parse(r#"{"target": "costs", "service_levels": {"AX": 0.99, "Q": 0.9}}"#);
        let errors = config.validate("base_stock").unwrap_err().0;
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, ["service_levels", "Q"]);
        let config = parse(r#"{"target": {"cycle_service_level": 0.9}}"#);
        assert!(config.validate("wagner_whitin").is_err());
    }
}
