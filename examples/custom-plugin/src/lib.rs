//! An example Restock plugin, loaded at run time with `[[plugin]] path = "…"`:
//!
//! - `http_demand_plan` (Model): waits `delay_ms` on a tokio timer, then GETs a demand plan —
//!   a JSON object of units per day by item — from `url` with reqwest, and records it as each
//!   item's one-day forecast (Poisson, mean = the planned rate).
//! - `days_of_cover` (Strategy): orders up to the lead time plus `target_days` of cover at the
//!   forecast rate, in whole case packs.
//!
//! Both are ordinary `restock_core` trait implementations; `register` is what a built-in plugin
//! family would write; `export!` makes the library loadable. Async code runs on the runtime the
//! SDK gives the plugin (see `restock_plugin`'s docs).

use std::collections::BTreeMap;
use std::time::Duration;

use restock_plugin::async_trait;
use restock_plugin::core::config::{ConfigError, ConfigErrors};
use restock_plugin::core::{
    Action, ConfigKeyDoc, Context, Dataset, Decision, DemandDistribution, DemandForecast, Error,
    ForecastPoint, Model, Outlook, Period, PluginInfo, Registry, Severity, Strategy, Tagged,
};
use serde::Deserialize;

/// Registers the plugin's two types.
pub fn register(registry: &mut Registry) {
    registry.add_model(PLAN_INFO, |config: PlanConfig, _ctx| {
        Ok(Box::new(HttpDemandPlan { config }))
    });
    registry.add_strategy(COVER_INFO, |config: CoverConfig, _ctx| {
        if config.target_days.is_nan() || config.target_days <= 0.0 {
            return Err(ConfigErrors(vec![ConfigError::at_key(
                &["target_days"],
                "must be more than 0 days",
            )]));
        }
        Ok(Box::new(DaysOfCover { config }))
    });
}

restock_plugin::export!(register);

const PLAN_INFO: PluginInfo = PluginInfo {
    type_name: "http_demand_plan",
    doc: "Fetches a demand plan (JSON: units per day by item) over HTTP and records it as each item's forecast",
    keys: &[
        ConfigKeyDoc {
            name: "url",
            ty: "string",
            default: None,
            doc: "Where the plan is served (http://)",
        },
        ConfigKeyDoc {
            name: "delay_ms",
            ty: "integer",
            default: Some("0"),
            doc: "Milliseconds to wait before asking (a polite pause, on a tokio timer)",
        },
    ],
    example: "url = \"http://127.0.0.1:8765/plan.json\"\ndelay_ms = 50\n",
};

const COVER_INFO: PluginInfo = PluginInfo {
    type_name: "days_of_cover",
    doc: "Orders up to the lead time plus a target number of days of cover at the forecast rate",
    keys: &[
        ConfigKeyDoc {
            name: "target_days",
            ty: "float",
            default: None,
            doc: "Days of demand to hold beyond the lead time after ordering",
        },
        ConfigKeyDoc {
            name: "forecast",
            ty: "string",
            default: Some("(the first forecast)"),
            doc: "The [[model]] whose forecast gives the rate",
        },
    ],
    example: "target_days = 14\n",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanConfig {
    url: String,
    #[serde(default)]
    delay_ms: u64,
}

struct HttpDemandPlan {
    config: PlanConfig,
}

#[async_trait]
impl Model for HttpDemandPlan {
    async fn assess(
        &self,
        _dataset: &Dataset,
        outlook: &mut Outlook,
        ctx: &Context,
    ) -> Result<(), Error> {
        tokio::time::sleep(Duration::from_millis(self.config.delay_ms)).await;
        let url = &self.config.url;
        let fail = |what: String| Error::Other(format!("{url}: {what}"));
        // The library's copy of rustls has its own process-wide provider slot (statics are
        // per library): install ring there once; an error means it already is.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let response = reqwest::get(url).await.map_err(|e| fail(e.to_string()))?;
        if !response.status().is_success() {
            return Err(fail(format!("HTTP {}", response.status())));
        }
        let body = response.text().await.map_err(|e| fail(e.to_string()))?;
        let plan: BTreeMap<String, f64> = serde_json::from_str(&body)
            .map_err(|e| fail(format!("not a JSON object of units per day: {e}")))?;
        for (item, per_day) in plan {
            if !per_day.is_finite() || per_day < 0.0 {
                ctx.report(
                    Severity::Error,
                    Some(&item),
                    None,
                    format!("the plan's rate {per_day} is not a number of units ≥ 0"),
                );
                continue;
            }
            outlook.item_mut(&item).forecasts.push(Tagged {
                model: ctx.component().to_owned(),
                value: DemandForecast {
                    period: Period::Day,
                    method: "http_demand_plan".into(),
                    class: None,
                    params: BTreeMap::new(),
                    history_periods: 0,
                    points: vec![ForecastPoint {
                        start: ctx.as_of(),
                        mean: per_day,
                        distribution: DemandDistribution::Poisson { mean: per_day },
                        quantiles: Vec::new(),
                    }],
                    notes: vec![format!("fetched from {url}")],
                },
            });
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverConfig {
    target_days: f64,
    #[serde(default)]
    forecast: Option<String>,
}

struct DaysOfCover {
    config: CoverConfig,
}

/// P(X ≤ k) for X ~ Poisson(λ), summing the probability mass function term by term.
fn poisson_cdf(lambda: f64, k: f64) -> f64 {
    if k < 0.0 {
        return 0.0;
    }
    let mut term = (-lambda).exp();
    let mut sum = term;
    for i in 1..=(k.floor() as u64) {
        term *= lambda / i as f64;
        sum += term;
    }
    sum.min(1.0)
}

#[async_trait]
impl Strategy for DaysOfCover {
    async fn decide(
        &self,
        dataset: &Dataset,
        outlook: &Outlook,
        ctx: &Context,
    ) -> Result<Vec<Decision>, Error> {
        let mut decisions = Vec::new();
        for stock in &dataset.stock {
            let item = &stock.product_id;
            let forecast = outlook.items.get(item).and_then(|o| {
                o.forecasts.iter().find(|f| {
                    self.config
                        .forecast
                        .as_ref()
                        .is_none_or(|name| &f.model == name)
                })
            });
            let Some((rate, source)) = forecast.and_then(|f| {
                let point = f.value.points.first()?;
                Some((point.mean / f.value.period.mean_days(), f.model.clone()))
            }) else {
                ctx.report(
                    Severity::Error,
                    Some(item),
                    None,
                    "no forecast for this item: cannot size an order",
                );
                continue;
            };
            let lead = stock.lead_time_days;
            let target = self.config.target_days;
            let position = stock.inventory_position();
            let order_up_to = (rate * (lead + target)).ceil();
            let short = (order_up_to - position).max(0.0).ceil();
            let mut quantity = short;
            let mut rounding = String::new();
            if quantity > 0.0 {
                if let Some(pack) = stock.case_pack.filter(|p| *p > 0.0) {
                    quantity = (quantity / pack).ceil() * pack;
                    rounding = format!(" ({short} short, in cases of {pack})");
                }
                if let Some(moq) = stock.moq.filter(|m| *m > quantity) {
                    quantity = moq;
                    rounding = format!(" ({short} short, raised to the minimum order {moq})");
                }
            }
            let action = if quantity > 0.0 {
                Action::Order
            } else {
                Action::Hold
            };
            let after = position + quantity;
            decisions.push(Decision {
                product_id: item.clone(),
                strategy: ctx.component().to_owned(),
                policy: "days_of_cover".into(),
                action,
                order_quantity: quantity,
                safety_stock: 0.0,
                reorder_point: order_up_to,
                order_up_to,
                inventory_position: position,
                demand_per_day: rate,
                // Poisson demand at the forecast rate: no stock-out before the next order
                // arrives when demand over lead time + cover stays within the position.
                expected_cycle_service_level: poisson_cdf(rate * (lead + target), after),
                expected_fill_rate: None,
                expected_cost_per_period: None,
                stockout_risk: 1.0 - poisson_cdf(rate * lead, position),
                days_of_cover: (rate > 0.0).then(|| position / rate),
                class: None,
                demand_adjustment: None,
                rationale: format!(
                    "{rate:.2} units/day (forecast of `{source}`) over the {lead}-day lead time \
                     plus {target} days of cover: order up to {order_up_to}; inventory position \
                     {position} → {}.",
                    if quantity > 0.0 {
                        format!("order {quantity}{rounding}")
                    } else {
                        "no order".to_owned()
                    }
                ),
                evidence: Vec::new(),
            });
        }
        Ok(decisions)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn poisson_cdf_matches_its_first_terms() {
        // P(X ≤ 1) = e^{-2}(1 + 2).
        let expected = (-2.0f64).exp() * 3.0;
        assert!((super::poisson_cdf(2.0, 1.0) - expected).abs() < 1e-15);
        assert_eq!(super::poisson_cdf(2.0, -1.0), 0.0);
    }
}
