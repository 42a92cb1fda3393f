//! `reorder_point` against values computed independently by
//! `tests/data/make_reorder_point_reference.py` (Python's standard library; formulas in
//! docs/formulas.md).

use restock_core::{
    Action, DemandRate, ItemOutlook, Period, Provenance, StockPosition, Tagged, Trend,
    TrendDirection,
};
use restock_policy::{ReorderPoint, ReorderPointConfig};

fn config(review_period_days: f64) -> ReorderPointConfig {
    let text =
        format!("{{\"review_period_days\": {review_period_days}, \"adjustment\": \"always\"}}");
    serde_json::from_str(&text).unwrap()
}

fn period(days: f64) -> Period {
    match days {
        1.0 => Period::Day,
        7.0 => Period::Week,
        _ => Period::Month,
    }
}

#[test]
fn matches_the_independent_computation() {
    let text = include_str!("data/reorder_point_reference.json");
    let reference: serde_json::Value = serde_json::from_str(text).unwrap();
    for case in reference["cases"].as_array().unwrap() {
        let f = |k: &str| case[k].as_f64();
        let name = case["name"].as_str().unwrap();
        let direction = if f("trend_factor").unwrap() > 1.0 {
            TrendDirection::Increase
        } else {
            TrendDirection::Stable
        };
        let outlook = ItemOutlook {
            demand: Some(Tagged {
                model: "test".into(),
                value: DemandRate {
                    period: period(f("period_days").unwrap()),
                    periods: 26,
                    from: "2018-01-01".parse().unwrap(),
                    to: "2018-06-30".parse().unwrap(),
                    mean: f("demand_mean").unwrap(),
                    std_dev: f("demand_std_dev").unwrap(),
                    units: 0.0,
                    zero_share: 0.0,
                },
            }),
            sales_trend: Some(Tagged {
                model: "test".into(),
                value: Trend {
                    direction,
                    confidence: 0.99,
                    test: "mann_kendall".into(),
                    statistic: 0.0,
                    p_value: 0.01,
                    slope: 0.0,
                    n: 26,
                },
            }),
            ..ItemOutlook::default()
        };
        let stock = StockPosition {
            product_id: "item".into(),
            on_hand: f("on_hand").unwrap(),
            on_order: f("on_order").unwrap(),
            backorders: f("backorders").unwrap(),
            lead_time_days: f("lead_time_days").unwrap(),
            lead_time_std_days: f("lead_time_std_days").unwrap(),
            unit_cost: f("unit_cost"),
            holding_cost_rate: f("holding_cost_rate"),
            ordering_cost: f("ordering_cost"),
            stockout_cost: None,
            service_level: f("service_level"),
            moq: f("moq"),
            case_pack: f("case_pack"),
            provenance: Provenance::at("stock.csv", 2),
        };
        let strategy = ReorderPoint::new(config(f("review_period_days").unwrap())).unwrap();
        let d = strategy
            .decide_item("item", &outlook, &stock, "reorder_point")
            .unwrap();
        let expected = &case["expected"];
        for (key, ours) in [
            ("demand_per_day", d.demand_per_day),
            ("safety_stock", d.safety_stock),
            ("reorder_point", d.reorder_point),
            ("order_quantity", d.order_quantity),
            ("order_up_to", d.order_up_to),
            (
                "expected_cycle_service_level",
                d.expected_cycle_service_level,
            ),
            ("stockout_risk", d.stockout_risk),
            ("expected_fill_rate", d.expected_fill_rate.unwrap()),
        ] {
            let theirs = expected[key].as_f64().unwrap();
            assert!(
                (ours - theirs).abs() <= 1e-9 * theirs.abs().max(1.0),
                "{name}: {key} ours {ours}, expected {theirs}"
            );
        }
        let action = if d.order_quantity > 0.0 {
            Action::Order
        } else {
            Action::Hold
        };
        assert_eq!(d.action, action, "{name}");
        assert!(
            d.rationale.contains("Safety stock"),
            "{name}: {}",
            d.rationale
        );
    }
}

/// An outlook with only a demand rate.
fn rate(period: Period, mean: f64, std_dev: f64) -> ItemOutlook {
    ItemOutlook {
        demand: Some(Tagged {
            model: "test".into(),
            value: DemandRate {
                period,
                periods: 26,
                from: "2018-01-01".parse().unwrap(),
                to: "2018-06-30".parse().unwrap(),
                mean,
                std_dev,
                units: mean * 26.0,
                zero_share: 0.0,
            },
        }),
        ..ItemOutlook::default()
    }
}

/// A stock position with `on_hand` units, a 10-day lead time and nothing else.
fn position(on_hand: f64, line: u64) -> StockPosition {
    StockPosition {
        product_id: "x".into(),
        on_hand,
        on_order: 0.0,
        backorders: 0.0,
        lead_time_days: 10.0,
        lead_time_std_days: 0.0,
        unit_cost: None,
        holding_cost_rate: None,
        ordering_cost: None,
        stockout_cost: None,
        service_level: None,
        moq: None,
        case_pack: None,
        provenance: Provenance::at("stock.csv", line),
    }
}

#[test]
fn zero_demand_with_stock_is_promoted_and_never_ordered() {
    let stock = StockPosition {
        moq: Some(10.0),
        ..position(12.0, 3)
    };
    let strategy = ReorderPoint::new(config(7.0)).unwrap();
    let d = strategy
        .decide_item("x", &rate(Period::Week, 0.0, 0.0), &stock, "rp")
        .unwrap();
    assert_eq!(
        (d.action, d.order_quantity, d.reorder_point),
        (Action::Promote, 0.0, 0.0)
    );
    assert_eq!(d.days_of_cover, None);
    assert!(
        d.rationale.contains("no demand in the window"),
        "{}",
        d.rationale
    );
}

#[test]
fn items_that_cannot_be_decided_say_why_and_where() {
    let strategy = ReorderPoint::new(config(7.0)).unwrap();
    let err = strategy
        .decide_item("x", &ItemOutlook::default(), &position(1.0, 7), "rp")
        .unwrap_err();
    assert!(err.contains("no demand rate"), "{err}");

    let outlook = rate(Period::Day, 1.0, 1.0);
    let level = StockPosition {
        service_level: Some(1.5),
        ..position(1.0, 7)
    };
    let err = strategy
        .decide_item("x", &outlook, &level, "rp")
        .unwrap_err();
    assert_eq!(err, "stock.csv:7: service_level 1.5 is not in (0, 1)");

    let lead = StockPosition {
        lead_time_days: -1.0,
        ..position(1.0, 8)
    };
    let err = strategy
        .decide_item("x", &outlook, &lead, "rp")
        .unwrap_err();
    assert!(err.contains("lead_time_days -1"), "{err}");

    // Whole units cannot come in packs of 2.5.
    let pack = StockPosition {
        case_pack: Some(2.5),
        ..position(0.0, 9)
    };
    let err = strategy
        .decide_item("x", &outlook, &pack, "rp")
        .unwrap_err();
    assert_eq!(
        err,
        "stock.csv:9: case_pack 2.5 is not a whole number of units (integer_units = true)"
    );
}

fn llm(trend: TrendDirection, confidence: f64) -> Tagged<restock_core::LlmAssessment> {
    Tagged {
        model: "reviews-llm".into(),
        value: restock_core::LlmAssessment {
            trend,
            confidence,
            demand_drivers: vec!["gifting season".into()],
            risks: Vec::new(),
            stockout_mentions: 0,
            quality_issues: Vec::new(),
            summary: "Buyers expect to reorder before the holidays.".into(),
            supporting_document_ids: vec!["r1".into(), "r2".into()],
            documents: 2,
            requests: 1,
            input_tokens: 100,
            output_tokens: 50,
        },
    }
}

#[test]
fn a_confident_language_model_trend_proposes_the_llm_adjustment_when_sales_are_stable() {
    let strategy = ReorderPoint::new(config(7.0)).unwrap();
    let stock = position(0.0, 2);
    let base = rate(Period::Week, 14.0, 3.0);
    let plain = strategy.decide_item("x", &base, &stock, "rp").unwrap();

    let with_llm = ItemOutlook {
        llm: Some(llm(TrendDirection::Increase, 0.8)),
        ..base.clone()
    };
    let d = strategy.decide_item("x", &with_llm, &stock, "rp").unwrap();
    let a = d.demand_adjustment.as_ref().expect("proposed");
    assert_eq!(
        (a.source.as_str(), a.factor, a.applied),
        ("llm", 1.05, true)
    );
    // adjustment = "always" in this file's config: the rate is the plain one × 1.05.
    assert!((d.demand_per_day - plain.demand_per_day * 1.05).abs() < 1e-12);
    assert!(
        d.rationale
            .contains("language-model trend increase (`reviews-llm`, confidence 0.80")
    );
    assert!(d.evidence.iter().any(|id| id == "r1"), "{:?}", d.evidence);

    // Below llm_min_confidence (0.6): nothing proposed.
    let unsure = ItemOutlook {
        llm: Some(llm(TrendDirection::Increase, 0.5)),
        ..base.clone()
    };
    let d = strategy.decide_item("x", &unsure, &stock, "rp").unwrap();
    assert!(d.demand_adjustment.is_none());
    assert_eq!(d.demand_per_day, plain.demand_per_day);
}
