//! The `reorder_point` strategy: continuous review with a reorder point and an order quantity.

use std::collections::HashMap;
use std::fmt::Write as _;

use async_trait::async_trait;
use restock_core::config::{ConfigError, ConfigErrors};
use restock_core::display::{percent, quantity as fmt};
use restock_core::{
    Action, ConfigKeyDoc, Context, Dataset, Decision, ItemOutlook, Outlook, PluginInfo, Severity,
    SignalKind, StockPosition, Strategy, TrendDirection,
};
use serde::Deserialize;

use crate::formulas::{
    economic_order_quantity, lead_time_demand_std_dev, probability_covered, safety_factor,
};
use crate::horizon::Horizon;

/// What to do with an item that has an outlook but no stock position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingStock {
    /// Leave it undecided, with a warning.
    Skip,
    /// Decide as if nothing were on hand or on order, with the defaults below.
    Zero,
}

/// Configuration of `reorder_point`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReorderPointConfig {
    /// Target cycle service level in (0, 1), unless the stock position sets its own.
    #[serde(default = "default_service_level")]
    pub service_level: f64,
    /// Days between reviews: without EOQ costs, an order covers this many days of demand.
    #[serde(default = "default_review_period")]
    pub review_period_days: f64,
    /// Fraction by which a significant sales trend raises (increase) or lowers (decrease) the
    /// demand rate, in [0, 1).
    #[serde(default = "default_trend_adjustment")]
    pub trend_adjustment: f64,
    /// Fraction by which a significant sentiment trend scales the demand rate when the sales
    /// trend is stable, in [0, 1); 0 turns it off.
    #[serde(default = "default_sentiment_adjustment")]
    pub sentiment_adjustment: f64,
    /// Fraction by which a language model's trend (an `openai_chat` model's assessment) scales
    /// the demand rate when the sales trend is stable, in [0, 1); 0 turns it off. It comes
    /// before the sentiment trend: it read the same texts with more context.
    #[serde(default = "default_llm_adjustment")]
    pub llm_adjustment: f64,
    /// Least confidence in (0, 1] a language model's trend needs to propose an adjustment.
    #[serde(default = "default_llm_min_confidence")]
    pub llm_min_confidence: f64,
    /// When a proposed trend adjustment is applied: only where `restock backtest` showed it
    /// lowering the error (`gated`), always, or never.
    #[serde(default)]
    pub adjustment: AdjustmentMode,
    /// Round reorder points up and order quantities up to whole units.
    #[serde(default = "yes")]
    pub integer_units: bool,
    /// Days of cover above which an item is flagged to promote.
    #[serde(default = "default_overstock_days")]
    pub overstock_days: f64,
    /// Items without a stock position.
    #[serde(default = "default_missing_stock")]
    pub missing_stock: MissingStock,
    /// Lead time (days) assumed under `missing_stock = "zero"`.
    #[serde(default = "default_lead_time")]
    pub default_lead_time_days: f64,
}

/// When a strategy applies the trend adjustment it proposes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentMode {
    /// Only for items where the last `restock backtest` of this pipeline found the adjusted
    /// rate closer to the demand that followed than the unadjusted one
    /// ([`restock_core::AdjustmentGates`] in the cache folder). Published evidence is that online
    /// signals often fail to beat plain smoothing (Schaer, Kourentzes & Fildes, IJF 35(1), 2019).
    #[default]
    Gated,
    /// Always (the behaviour before gating).
    Always,
    /// Never: the adjustment is only reported.
    Never,
}

/// What decides, for one item, whether its proposed adjustment applies.
#[derive(Debug, Clone, Copy)]
pub enum Gate<'a> {
    /// Apply it.
    Always,
    /// Do not.
    Never,
    /// No usable backtest evidence for this pipeline (none run, or refused: see the
    /// diagnostics).
    NoBacktest,
    /// A backtest ran; its evidence for the item, if it ever proposed an adjustment there.
    Backtest(Option<&'a restock_core::AdjustmentEvidence>),
}

fn default_service_level() -> f64 {
    0.95
}
fn default_review_period() -> f64 {
    7.0
}
fn default_trend_adjustment() -> f64 {
    0.1
}
fn default_llm_adjustment() -> f64 {
    0.05
}
fn default_llm_min_confidence() -> f64 {
    0.6
}
fn default_sentiment_adjustment() -> f64 {
    0.05
}
fn yes() -> bool {
    true
}
fn default_overstock_days() -> f64 {
    180.0
}
fn default_missing_stock() -> MissingStock {
    MissingStock::Skip
}
fn default_lead_time() -> f64 {
    14.0
}

pub(crate) const INFO: PluginInfo = PluginInfo {
    type_name: "reorder_point",
    doc: "continuous review: safety stock and reorder point from lead-time demand, EOQ or review-period order quantity",
    keys: &[
        ConfigKeyDoc {
            name: "service_level",
            ty: "float",
            default: Some("0.95"),
            doc: "target cycle service level in (0, 1); a stock file's service_level overrides it",
        },
        ConfigKeyDoc {
            name: "review_period_days",
            ty: "float",
            default: Some("7"),
            doc: "without ordering/holding costs, an order covers this many days of demand",
        },
        ConfigKeyDoc {
            name: "trend_adjustment",
            ty: "float",
            default: Some("0.1"),
            doc: "a significant sales trend scales the demand rate by 1 ± this",
        },
        ConfigKeyDoc {
            name: "sentiment_adjustment",
            ty: "float",
            default: Some("0.05"),
            doc: "with a stable sales trend, a significant sentiment trend scales the rate by 1 ± this",
        },
        ConfigKeyDoc {
            name: "llm_adjustment",
            ty: "float",
            default: Some("0.05"),
            doc: "with a stable sales trend, a confident language-model trend (openai_chat) scales the rate by 1 ± this",
        },
        ConfigKeyDoc {
            name: "llm_min_confidence",
            ty: "float",
            default: Some("0.6"),
            doc: "least confidence a language-model trend needs to propose an adjustment",
        },
        ConfigKeyDoc {
            name: "adjustment",
            ty: "\"gated\" | \"always\" | \"never\"",
            default: Some("\"gated\""),
            doc: "apply a trend adjustment only where `restock backtest` showed it lowering the error, always, or never",
        },
        ConfigKeyDoc {
            name: "integer_units",
            ty: "boolean",
            default: Some("true"),
            doc: "round reorder points and order quantities up to whole units",
        },
        ConfigKeyDoc {
            name: "overstock_days",
            ty: "float",
            default: Some("180"),
            doc: "days of cover above which the action is promote",
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
    ],
    example: "service_level = 0.95\nreview_period_days = 7\ntrend_adjustment = 0.1\nsentiment_adjustment = 0.05\ninteger_units = true\noverstock_days = 180\nmissing_stock = \"skip\"\ndefault_lead_time_days = 14\n",
};

/// The `reorder_point` strategy.
///
/// For each item with a demand rate: the rate per day d and its standard deviation σ_d come
/// from the rate per period (σ scaled by √(days per period), periods assumed independent); a
/// significant sales trend scales d by 1 ± `trend_adjustment`, or, when the sales trend is
/// stable, a significant sentiment trend by 1 ± `sentiment_adjustment`. Then, with lead time L (days,
/// standard deviation σ_L) and z = Φ⁻¹(CSL):
///
/// - SS = z·√(L·σ_d² + d²·σ_L²) ([`lead_time_demand_std_dev`]),
/// - ROP = d·L + SS (rounded up under `integer_units`),
/// - Q = EOQ = √(2·D·K / (r·c)) with D = 365·d when ordering cost K, unit cost c and holding
///   rate r are all known, else d × `review_period_days`; rounded up to whole units, raised to
///   the MOQ and rounded up to whole case packs;
/// - inventory position IP = on hand + on order − backorders; when IP ≤ ROP, order the
///   smallest multiple n·Q with IP + n·Q > ROP (the (s, nQ) policy: Silver, Pyke & Thomas,
///   4th ed., ch. 6).
///
/// The expected cycle service level is Φ((ROP − d·L)/σ_DLT) for the rounded ROP; the expected
/// fill rate is P2 = 1 − (n(ROP) − n(ROP + Q))/Q with n the normal loss function of lead-time
/// demand (Silver, Pyke & Thomas, 4th ed., ch. 6); the stock-out risk is the probability that
/// lead-time demand exceeds the current IP.
#[derive(Debug, Clone)]
pub struct ReorderPoint {
    config: ReorderPointConfig,
}

impl ReorderPoint {
    /// Checks value ranges; errors name the key.
    pub fn new(config: ReorderPointConfig) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        if !(config.service_level > 0.0 && config.service_level < 1.0) {
            errors.push(ConfigError::at_key(
                &["service_level"],
                "expected a probability in (0, 1), e.g. 0.95",
            ));
        }
        if !is_positive(config.review_period_days) {
            errors.push(ConfigError::at_key(
                &["review_period_days"],
                "expected a positive number of days",
            ));
        }
        if !(0.0..1.0).contains(&config.llm_adjustment) {
            errors.push(ConfigError::at_key(
                &["llm_adjustment"],
                "expected a fraction in [0, 1)",
            ));
        }
        if !(config.llm_min_confidence > 0.0 && config.llm_min_confidence <= 1.0) {
            errors.push(ConfigError::at_key(
                &["llm_min_confidence"],
                "expected a confidence in (0, 1]",
            ));
        }
        if !(0.0..1.0).contains(&config.trend_adjustment) {
            errors.push(ConfigError::at_key(
                &["trend_adjustment"],
                "expected a fraction in [0, 1)",
            ));
        }
        if !is_positive(config.overstock_days) {
            errors.push(ConfigError::at_key(
                &["overstock_days"],
                "expected a positive number of days",
            ));
        }
        if !(config.default_lead_time_days.is_finite() && config.default_lead_time_days >= 0.0) {
            errors.push(ConfigError::at_key(
                &["default_lead_time_days"],
                "expected a number of days ≥ 0",
            ));
        }
        if errors.is_empty() {
            Ok(Self { config })
        } else {
            Err(ConfigErrors(errors))
        }
    }

    fn assumed_stock(&self, item: &str) -> StockPosition {
        StockPosition::empty(
            item,
            self.config.default_lead_time_days,
            restock_core::Provenance::of("(assumed: missing_stock = \"zero\")"),
        )
    }

    /// Decides one item, or says why it cannot, with the configured adjustment mode and no
    /// backtest evidence (so `gated` applies no adjustment).
    pub fn decide_item(
        &self,
        item: &str,
        outlook: &ItemOutlook,
        stock: &StockPosition,
        strategy: &str,
    ) -> Result<Decision, String> {
        let gate = match self.config.adjustment {
            AdjustmentMode::Always => Gate::Always,
            AdjustmentMode::Never => Gate::Never,
            AdjustmentMode::Gated => Gate::NoBacktest,
        };
        self.decide_item_gated(item, outlook, stock, strategy, gate)
    }

    /// Decides one item with `gate` deciding whether a proposed trend adjustment applies.
    pub fn decide_item_gated(
        &self,
        item: &str,
        outlook: &ItemOutlook,
        stock: &StockPosition,
        strategy: &str,
        gate: Gate<'_>,
    ) -> Result<Decision, String> {
        let demand =
            outlook.demand.as_ref().map(|d| &d.value).ok_or(
                "no demand rate: add a demand model such as sales_trend before the strategy",
            )?;
        let csl = stock.service_level.unwrap_or(self.config.service_level);
        if !(csl > 0.0 && csl < 1.0) {
            return Err(format!(
                "{}: service_level {csl} is not in (0, 1)",
                stock.provenance
            ));
        }
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
        let period_days = demand.period.mean_days();
        let base_d = demand.mean / period_days;
        let sigma_d = demand.std_dev / period_days.sqrt();
        let trend = outlook.sales_trend.as_ref().map(|t| &t.value);
        let sentiment = outlook.sentiment.as_ref().map(|s| &s.value);
        let sentiment_trend = sentiment.and_then(|s| s.trend.as_ref());
        // A language model's trend counts when it is confident enough and the knob is on.
        let llm = outlook.llm.as_ref().filter(|l| {
            l.value.confidence >= self.config.llm_min_confidence && self.config.llm_adjustment > 0.0
        });
        // The sales trend decides; only when it is stable may the language model's trend, or
        // else a significant sentiment trend, nudge the rate by a smaller factor.
        let (factor, adjusted_by) = match (
            trend.map(|t| t.direction),
            llm.map(|l| l.value.trend),
            sentiment_trend.map(|t| t.direction),
        ) {
            (Some(TrendDirection::Increase), _, _) => (1.0 + self.config.trend_adjustment, "sales"),
            (Some(TrendDirection::Decrease), _, _) => (1.0 - self.config.trend_adjustment, "sales"),
            (_, Some(TrendDirection::Increase), _) => (1.0 + self.config.llm_adjustment, "llm"),
            (_, Some(TrendDirection::Decrease), _) => (1.0 - self.config.llm_adjustment, "llm"),
            (_, _, Some(TrendDirection::Increase)) => {
                (1.0 + self.config.sentiment_adjustment, "sentiment")
            }
            (_, _, Some(TrendDirection::Decrease)) => {
                (1.0 - self.config.sentiment_adjustment, "sentiment")
            }
            _ => (1.0, ""),
        };
        let adjustment = (factor != 1.0).then(|| {
            let (applied, reason) = match gate {
                Gate::Always => (true, "applied (adjustment = \"always\")".to_owned()),
                Gate::Never => (false, "not applied (adjustment = \"never\")".to_owned()),
                Gate::NoBacktest => (
                    false,
                    "not applied: no backtest evidence (run `restock backtest` on this manifest; adjustment = \"gated\")".to_owned(),
                ),
                Gate::Backtest(None) => (
                    false,
                    "not applied: the backtest never proposed an adjustment for this item, so there is no evidence it helps (adjustment = \"gated\")".to_owned(),
                ),
                Gate::Backtest(Some(e)) if !e.factors.contains(&factor) => (
                    false,
                    format!(
                        "not applied: the backtest's evidence is for ×{} (run `restock backtest` again after changing the adjustment)",
                        e.factors
                            .iter()
                            .map(|f| f.to_string())
                            .collect::<Vec<_>>()
                            .join(", ×")
                    ),
                ),
                Gate::Backtest(Some(e)) if e.lowers_error => (
                    true,
                    format!(
                        "applied: in the backtest it lowered the rate's mean absolute error from {:.4} to {:.4} units/day over {} origin{}",
                        e.mae_unadjusted,
                        e.mae_adjusted,
                        e.origins,
                        if e.origins == 1 { "" } else { "s" }
                    ),
                ),
                Gate::Backtest(Some(e)) => (
                    false,
                    format!(
                        "not applied: in the backtest it did not lower the rate's mean absolute error ({:.4} adjusted vs {:.4} unadjusted units/day over {} origin{})",
                        e.mae_adjusted,
                        e.mae_unadjusted,
                        e.origins,
                        if e.origins == 1 { "" } else { "s" }
                    ),
                ),
            };
            restock_core::DemandAdjustment {
                source: adjusted_by.to_owned(),
                factor,
                applied,
                reason,
            }
        });
        let applied = adjustment.as_ref().is_some_and(|a| a.applied);
        let d = if applied { base_d * factor } else { base_d };
        let lead_time = stock.lead_time_days;
        let mean_dlt = d * lead_time;
        let sigma_dlt = lead_time_demand_std_dev(d, sigma_d, lead_time, stock.lead_time_std_days);
        let z = safety_factor(csl);
        let safety_stock = z * sigma_dlt;
        let mut reorder_point = mean_dlt + safety_stock;
        if self.config.integer_units {
            reorder_point = ceil_units(reorder_point);
        }

        let eoq = match (
            stock.ordering_cost,
            stock.unit_cost,
            stock.holding_cost_rate,
        ) {
            (Some(k), Some(c), Some(r)) if k > 0.0 && c > 0.0 && r > 0.0 && d > 0.0 => {
                Some(economic_order_quantity(365.0 * d, k, r * c))
            }
            _ => None,
        };
        // The lot Q: EOQ or the review period's demand, in whole units, at least the MOQ,
        // in whole case packs; an order is then n·Q, so every order respects both.
        let mut lot = eoq.unwrap_or(d * self.config.review_period_days);
        let mut rounding = Vec::new();
        if d > 0.0 {
            if self.config.integer_units {
                lot = ceil_units(lot).max(1.0);
            }
            if let Some(moq) = stock.moq.filter(|m| *m > lot) {
                lot = moq;
                rounding.push(format!("raised to the MOQ {}", fmt(moq)));
            }
            if let Some(pack) = stock.case_pack.filter(|p| *p > 0.0) {
                if self.config.integer_units && pack.fract() != 0.0 {
                    return Err(format!(
                        "{}: case_pack {pack} is not a whole number of units (integer_units = true)",
                        stock.provenance
                    ));
                }
                let packed = (lot / pack - 1e-9).ceil() * pack;
                if packed != lot {
                    let cases = packed / pack;
                    let noun = if cases == 1.0 { "case" } else { "cases" };
                    rounding.push(format!("rounded up to {cases} {noun} of {}", fmt(pack)));
                    lot = packed;
                }
            }
        } else {
            lot = 0.0;
        }
        let position = stock.inventory_position();
        let mut order_quantity = 0.0;
        if lot > 0.0 && position <= reorder_point {
            let lots = ((reorder_point - position) / lot).floor() + 1.0;
            order_quantity = lots * lot;
            if lots > 1.0 {
                rounding.push(format!("{lots} lots of {}", fmt(lot)));
            }
        }
        let order_up_to = reorder_point + lot;
        let expected_cycle_service_level = probability_covered(reorder_point, mean_dlt, sigma_dlt);
        // P2: the share of demand met from stock, 1 − (n(ROP) − n(ROP + Q))/Q with the normal
        // loss function n (the expected shortage per replenishment cycle over the lot: Silver,
        // Pyke & Thomas, 4th ed., ch. 6).
        let lead_time_demand = Horizon::Normal {
            mean: mean_dlt,
            sd: sigma_dlt,
        };
        let expected_fill_rate = (d > 0.0 && lot > 0.0).then(|| {
            1.0 - (lead_time_demand.shortage(reorder_point)
                - lead_time_demand.shortage(reorder_point + lot))
                / lot
        });
        let stockout_risk = 1.0 - probability_covered(position, mean_dlt, sigma_dlt);
        let days_of_cover = (d > 0.0).then(|| position / d);
        let decreasing = trend.is_some_and(|t| t.direction == TrendDirection::Decrease);
        let action = if order_quantity > 0.0 {
            Action::Order
        } else if decreasing && stock.on_order > 0.0 && position > order_up_to {
            Action::Reduce
        } else if position > 0.0 && days_of_cover.is_none_or(|c| c > self.config.overstock_days) {
            Action::Promote
        } else {
            Action::Hold
        };

        // The rationale: numbers a planner can check, in the order they were derived.
        let mut why = String::new();
        let per = demand.period.as_str();
        let _ = write!(
            why,
            "Demand {} units/{per} over {} complete {per}s ({} to {}), σ {}",
            fmt(demand.mean),
            demand.periods,
            demand.from,
            demand.to,
            fmt(demand.std_dev)
        );
        if let Some(t) = trend {
            let _ = write!(
                why,
                "; sales trend {} (Mann–Kendall p = {:.3}{})",
                t.direction.as_str(),
                t.p_value,
                match (&adjustment, adjusted_by) {
                    (Some(a), "sales") => format!(", proposed rate ×{factor}, {}", a.reason),
                    _ => String::new(),
                }
            );
        }
        if let (Some(l), "llm", Some(a)) = (llm, adjusted_by, &adjustment) {
            let _ = write!(
                why,
                "; language-model trend {} (`{}`, confidence {:.2}: “{}”), proposed rate ×{factor}, {}",
                l.value.trend.as_str(),
                l.model,
                l.value.confidence,
                l.value.summary,
                a.reason
            );
        }
        if let (Some(t), "sentiment", Some(a)) = (sentiment_trend, adjusted_by, &adjustment) {
            let _ = write!(
                why,
                "; sentiment trend {} (Mann–Kendall p = {:.3}), proposed rate ×{factor}, {}",
                t.direction.as_str(),
                t.p_value,
                a.reason
            );
        }
        let _ = write!(
            why,
            ". Lead time {} days (σ {}): lead-time demand {} ± {}. Safety stock {} = z {:.3} × {} for a {} cycle service level; reorder point {}.",
            fmt(lead_time),
            fmt(stock.lead_time_std_days),
            fmt(mean_dlt),
            fmt(sigma_dlt),
            fmt(safety_stock),
            z,
            fmt(sigma_dlt),
            percent(csl),
            fmt(reorder_point)
        );
        if let Some(fill) = expected_fill_rate {
            let _ = write!(
                why,
                " Expected fill rate with lots of {}: {}.",
                fmt(lot),
                percent(fill)
            );
        }
        let _ = write!(
            why,
            " Inventory position {} ({} on hand + {} on order − {} backordered)",
            fmt(position),
            fmt(stock.on_hand),
            fmt(stock.on_order),
            fmt(stock.backorders)
        );
        match action {
            Action::Order => {
                let rule = match eoq {
                    Some(q) => format!("lot: EOQ {}", fmt(q)),
                    None => format!(
                        "lot: {} days of demand",
                        fmt(self.config.review_period_days)
                    ),
                };
                let _ = write!(
                    why,
                    " is at or below the reorder point: order {} ({rule}",
                    fmt(order_quantity)
                );
                for r in &rounding {
                    let _ = write!(why, ", {r}");
                }
                let _ = write!(
                    why,
                    "); stock-out risk before it arrives {}.",
                    percent(stockout_risk)
                );
            }
            Action::Reduce => {
                let _ = write!(
                    why,
                    " exceeds the order-up-to level {} while demand falls: cut open orders by up to {} units.",
                    fmt(order_up_to),
                    fmt((position - order_up_to).min(stock.on_order))
                );
            }
            Action::Promote if d == 0.0 => {
                let _ = write!(
                    why,
                    ": stock with no demand in the window (days of cover unbounded, above {} days): sell it down.",
                    fmt(self.config.overstock_days)
                );
            }
            Action::Promote => {
                let cover = days_of_cover.map_or(String::new(), fmt);
                let _ = write!(
                    why,
                    " covers {cover} days, above {} days: sell it down.",
                    fmt(self.config.overstock_days)
                );
            }
            Action::Hold if d == 0.0 => {
                let _ = write!(why, ": no demand in the window, so no order.");
            }
            Action::Hold => {
                let _ = write!(why, " is above the reorder point: no order.");
            }
        }
        if let Some(r) = outlook.rating_trend.as_ref().map(|r| &r.value) {
            let _ = write!(
                why,
                " Reviews in that window: {} rated, mean {:.2}★ (recent half {:.2}★), {} rated ≤ 2★, rating trend {}.",
                r.reviews,
                r.mean_rating,
                r.recent_mean_rating,
                percent(r.low_share),
                r.trend.direction.as_str()
            );
        }
        if let Some(s) = sentiment {
            let _ = write!(
                why,
                " Sentiment of all {} reviews with text before as_of: mean compound {:.2} (recency-weighted {:.2}, half-life {} days), {} positive, {} negative",
                s.documents,
                s.mean_compound,
                s.recency_weighted_compound,
                fmt(s.half_life_days),
                percent(s.positive_share),
                percent(s.negative_share)
            );
            match &s.trend {
                Some(t) => {
                    let _ = write!(
                        why,
                        ", trend {} (p = {:.3}).",
                        t.direction.as_str(),
                        t.p_value
                    );
                }
                None => why.push('.'),
            }
        }
        let mut signals: Vec<_> = outlook.signals.iter().map(|s| &s.value).collect();
        signals.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.kind.cmp(&b.kind)));
        if !signals.is_empty() {
            let listed: Vec<String> = signals
                .iter()
                .map(|s| {
                    format!(
                        "{} in {} review{} ({})",
                        s.kind.as_str().replace('_', " "),
                        s.documents,
                        if s.documents == 1 { "" } else { "s" },
                        percent(s.share)
                    )
                })
                .collect();
            let _ = write!(why, " Signals in those reviews: {}.", listed.join(", "));
        }
        let evidence = evidence(outlook);
        if !evidence.is_empty() {
            let _ = write!(why, " Evidence: {}.", evidence.join(", "));
        }

        Ok(Decision {
            product_id: item.to_owned(),
            strategy: strategy.to_owned(),
            policy: "reorder_point".to_owned(),
            action,
            order_quantity,
            safety_stock,
            reorder_point,
            order_up_to,
            inventory_position: position,
            demand_per_day: d,
            expected_cycle_service_level,
            expected_fill_rate,
            expected_cost_per_period: None,
            demand_adjustment: adjustment,
            stockout_risk,
            days_of_cover,
            class: None,
            rationale: why,
            evidence,
        })
    }
}

/// The documents a decision cites: the models' evidence, then up to two per problem signal
/// (stock-out, delivery, quality, size/fit), without repeats.
fn evidence(outlook: &ItemOutlook) -> Vec<String> {
    let mut ids = outlook.evidence.clone();
    if let Some(l) = &outlook.llm {
        for id in l.value.supporting_document_ids.iter().take(3) {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    for signal in &outlook.signals {
        if matches!(
            signal.value.kind,
            SignalKind::RepeatPurchase | SignalKind::Gifting
        ) {
            continue;
        }
        for id in signal.value.evidence.iter().take(2) {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    ids
}

/// True for a finite number above 0 (so NaN and infinity are rejected).
fn is_positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

fn ceil_units(x: f64) -> f64 {
    // Guard against 12.000000000001 becoming 13.
    (x - 1e-9).ceil().max(0.0)
}

#[async_trait]
impl Strategy for ReorderPoint {
    async fn decide(
        &self,
        dataset: &Dataset,
        outlook: &Outlook,
        ctx: &Context,
    ) -> restock_core::Result<Vec<Decision>> {
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
        for s in &dataset.stock {
            if !outlook.items.contains_key(&s.product_id) {
                ctx.report(
                    Severity::Warning,
                    Some(&s.product_id),
                    Some(s.provenance.clone()),
                    "stock position for an item no model assessed (check the id and group_by)",
                );
            }
        }
        let gates = match self.config.adjustment {
            AdjustmentMode::Gated => load_gates(ctx),
            _ => None,
        };
        let mut decisions = Vec::new();
        let mut skipped = 0;
        for (item, item_outlook) in &outlook.items {
            let assumed;
            let position = match (stock.get(item.as_str()), self.config.missing_stock) {
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
            let is_assumed = !stock.contains_key(item.as_str());
            let gate = match self.config.adjustment {
                AdjustmentMode::Always => Gate::Always,
                AdjustmentMode::Never => Gate::Never,
                AdjustmentMode::Gated => match &gates {
                    Some(g) => Gate::Backtest(g.items.get(item.as_str())),
                    None => Gate::NoBacktest,
                },
            };
            match self.decide_item_gated(item, item_outlook, position, ctx.component(), gate) {
                Ok(mut decision) if is_assumed => {
                    let note = format!(
                        "No stock position: assumed none on hand or on order, lead time {} days (missing_stock = \"zero\").",
                        fmt(self.config.default_lead_time_days)
                    );
                    ctx.report(Severity::Warning, Some(item), None, note.clone());
                    decision.rationale = format!("{note} {}", decision.rationale);
                    decisions.push(decision);
                }
                Ok(decision) => decisions.push(decision),
                Err(message) => ctx.report(Severity::Error, Some(item), None, message),
            }
        }
        if skipped > 0 {
            ctx.report(
                Severity::Warning,
                None,
                None,
                format!("{skipped} items have an outlook but no stock position and were not decided (missing_stock = \"skip\")"),
            );
        }
        Ok(decisions)
    }
}

/// The backtest's adjustment gates for this strategy component, from the cache folder. A
/// missing file means no backtest has run (nothing is applied); an unreadable one is reported.
fn load_gates(ctx: &Context) -> Option<restock_core::AdjustmentGates> {
    let path = ctx.cache_dir().join(restock_core::AdjustmentGates::FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            ctx.warn(format!(
                "cannot read the backtest's adjustment gates {}: {e}; no trend adjustment applied",
                path.display()
            ));
            return None;
        }
    };
    match serde_json::from_str::<restock_core::AdjustmentGates>(&text) {
        Ok(gates) if gates.strategy == ctx.component() && gates.as_of > ctx.as_of() => {
            ctx.warn(format!(
                "the adjustment gates in {} come from a backtest as of {}, after this run's as_of {}: they would use the future; no trend adjustment applied (run `restock backtest` with this as_of)",
                path.display(),
                gates.as_of,
                ctx.as_of()
            ));
            None
        }
        Ok(gates) if gates.strategy == ctx.component() => Some(gates),
        Ok(gates) => {
            ctx.warn(format!(
                "the adjustment gates in {} are for strategy `{}`, not `{}`: no trend adjustment applied (run `restock backtest` again)",
                path.display(),
                gates.strategy,
                ctx.component()
            ));
            None
        }
        Err(e) => {
            ctx.warn(format!(
                "{} is not valid adjustment gates ({e}); no trend adjustment applied",
                path.display()
            ));
            None
        }
    }
}
