//! Records cross process and library boundaries as JSON (plugins, reports read back): what is
//! written must read back equal, with no duplicate keys.

use restock_core::{DemandDistribution, ForecastPoint, Quantile};

fn round_trip(point: ForecastPoint) -> String {
    let json = serde_json::to_string(&point).unwrap();
    let back: ForecastPoint = serde_json::from_str(&json).unwrap();
    assert_eq!(back, point, "{json}");
    json
}

#[test]
fn forecast_points_write_mean_once_and_read_back_equal() {
    let start = "2024-03-04".parse().unwrap();
    let json = round_trip(ForecastPoint {
        start,
        mean: 4.5,
        distribution: DemandDistribution::Normal {
            mean: 4.5,
            std_dev: 1.25,
        },
        quantiles: vec![Quantile {
            level: 0.9,
            value: 6.1,
        }],
    });
    assert_eq!(
        json,
        r#"{"start":"2024-03-04","distribution":"normal","mean":4.5,"std_dev":1.25,"quantiles":[{"level":0.9,"value":6.1}]}"#
    );
    let json = round_trip(ForecastPoint {
        start,
        mean: 1.5,
        distribution: DemandDistribution::Empirical {
            values: vec![0.0, 3.0],
            probabilities: vec![0.5, 0.5],
        },
        quantiles: Vec::new(),
    });
    assert_eq!(
        json,
        r#"{"start":"2024-03-04","distribution":"empirical","values":[0.0,3.0],"probabilities":[0.5,0.5],"mean":1.5}"#
    );
}

#[test]
fn an_unknown_sale_quantity_is_written_null_and_read_back_nan() {
    let sale = restock_core::Sale {
        product_id: "A".into(),
        date: "2024-03-04".parse().unwrap(),
        quantity: f64::NAN,
        unit_price: None,
        order_id: None,
        provenance: restock_core::Provenance::at("sales.csv", 2),
    };
    let json = serde_json::to_string(&sale).unwrap();
    assert!(json.contains(r#""quantity":null"#), "{json}");
    let back: restock_core::Sale = serde_json::from_str(&json).unwrap();
    assert!(back.quantity.is_nan());
}
