//! Shared by the `models_*` tests: small datasets of weekly sales, and the forecasting models
//! built from TOML through the registry, as a manifest would build them.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::{Days, NaiveDate};
use restock_core::config::ConfigErrors;
use restock_core::context::MemorySink;
use restock_core::{
    BuildContext, Context, Dataset, DemandForecast, Diagnostic, Model, Outlook, Product,
    Provenance, Registry, Sale, StockPosition,
};

/// Monday 2018-01-01, the first week of every test series.
pub fn first_monday() -> NaiveDate {
    "2018-01-01".parse().unwrap()
}

/// The Monday `weeks` weeks after [`first_monday`].
pub fn week(weeks: u64) -> NaiveDate {
    first_monday() + Days::new(7 * weeks)
}

/// One sale record.
pub fn sale(product: &str, date: NaiveDate, quantity: f64) -> Sale {
    Sale {
        product_id: product.into(),
        date,
        quantity,
        unit_price: None,
        order_id: None,
        provenance: Provenance::at("sales.csv", 1),
    }
}

/// One sale record per week from [`first_monday`], on the Wednesday, with the given
/// quantities (0 and NaN included: a record of zero, a record of unknown quantity).
pub fn weekly(product: &str, quantities: &[f64]) -> Vec<Sale> {
    quantities
        .iter()
        .enumerate()
        .map(|(i, &q)| sale(product, week(i as u64) + Days::new(2), q))
        .collect()
}

/// The as-of date right after `weeks` complete weeks from [`first_monday`].
pub fn after_weeks(weeks: u64) -> NaiveDate {
    week(weeks)
}

/// A dataset of these sales (and a catalogue naming every product in category `c`).
pub fn dataset(sales: Vec<Sale>) -> Dataset {
    let mut ids: Vec<String> = sales.iter().map(|s| s.product_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let products = ids
        .into_iter()
        .map(|id| Product {
            id,
            title: None,
            category: Some("c".into()),
            price: None,
            provenance: Provenance::at("products.csv", 1),
        })
        .collect();
    let mut d = Dataset {
        sales,
        products,
        ..Dataset::default()
    };
    d.sort();
    d
}

/// A stock position for a product (and the product in the catalogue).
pub fn with_stock(mut d: Dataset, product: &str) -> Dataset {
    d.products.push(Product {
        id: product.into(),
        title: None,
        category: Some("c".into()),
        price: None,
        provenance: Provenance::at("products.csv", 2),
    });
    d.stock.push(StockPosition {
        product_id: product.into(),
        on_hand: 10.0,
        on_order: 0.0,
        backorders: 0.0,
        lead_time_days: 7.0,
        lead_time_std_days: 0.0,
        unit_cost: None,
        holding_cost_rate: None,
        ordering_cost: None,
        stockout_cost: None,
        service_level: None,
        moq: None,
        case_pack: None,
        provenance: Provenance::at("stock.csv", 1),
    });
    d
}

/// The registry with this crate's models.
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    restock_forecast::register(&mut registry);
    registry
}

/// Builds model `type_name` from a TOML table (without `type`).
pub fn build(type_name: &str, toml: &str) -> Result<Box<dyn Model>, ConfigErrors> {
    let value = restock_runner::parse_config(toml).unwrap_or_else(|e| panic!("{e}"));
    let ctx = BuildContext {
        base_dir: ".".into(),
        component: type_name.into(),
    };
    registry()
        .models
        .build(type_name, &value, &ctx)
        .unwrap_or_else(|| panic!("{type_name} is not registered"))
}

/// What a run of one model gave.
pub struct Run {
    pub outlook: Outlook,
    pub diagnostics: Vec<Diagnostic>,
}

impl Run {
    /// The item's forecast (the only one in these tests).
    pub fn forecast(&self, item: &str) -> &DemandForecast {
        let entry = self
            .outlook
            .items
            .get(item)
            .unwrap_or_else(|| panic!("no outlook for {item}"));
        assert_eq!(entry.forecasts.len(), 1, "{item}: {:?}", entry.errors);
        &entry.forecasts[0].value
    }

    /// The one-step forecast of the item.
    pub fn mean(&self, item: &str) -> f64 {
        self.forecast(item).points[0].mean
    }

    /// The item's errors lines.
    pub fn errors(&self, item: &str) -> &[String] {
        &self.outlook.items[item].errors
    }

    /// Diagnostic messages containing `needle`.
    pub fn said(&self, needle: &str) -> Vec<&Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.message.contains(needle))
            .collect()
    }
}

/// Runs model `type_name` configured by `toml` on `dataset` as of `as_of`.
pub fn run(type_name: &str, toml: &str, dataset: &Dataset, as_of: NaiveDate) -> Run {
    let model = build(type_name, toml)
        .unwrap_or_else(|e| panic!("{type_name}: {}", messages(&e).join("; ")));
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(as_of, sink.clone()).for_component(type_name);
    let mut outlook = Outlook::default();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(model.assess(dataset, &mut outlook, &ctx))
        .unwrap();
    let (diagnostics, _) = sink.take();
    Run {
        outlook,
        diagnostics,
    }
}

/// Every forecasting model type.
pub const ALL_TYPES: [&str; 11] = [
    "naive",
    "seasonal_naive",
    "moving_average",
    "ses",
    "croston",
    "sba",
    "tsb",
    "adida",
    "imapa",
    "ets",
    "auto",
];

/// `a` and `b` agree to 1e-9 relative (absolute near 0).
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Each config error as `path: message`.
pub fn messages(errors: &ConfigErrors) -> Vec<String> {
    errors.0.iter().map(|e| e.to_string()).collect()
}
