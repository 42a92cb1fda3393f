//! The textbook strategies through the `Strategy` trait on small datasets. Expected values come
//! from the stockpyl-exact functions in `restock_policy::textbook` (or, for the fill rate, from
//! the textbook loss functions), never typed in by hand unless cited.

use std::sync::Arc;

use chrono::NaiveDate;
use restock_core::{
    Action, Context, Dataset, Decision, DemandDistribution, DemandForecast, DemandRate, Diagnostic,
    ForecastPoint, ForecastRecord, ItemOutlook, MemorySink, Outlook, Period, Provenance, Severity,
    StockPosition, Strategy, Tagged,
};
use restock_policy::PolicyConfig;
use restock_policy::horizon::Horizon;
use restock_policy::strategies::{
    PolicyStrategy, base_stock::BaseStock, eoq::EconomicOrderQuantity, r_q::ContinuousReview,
    r_s::ReviewOrderUpTo, s_s::ReorderOrderUpTo, wagner_whitin::WagnerWhitin,
};
use restock_policy::textbook::{eoq, loss, newsvendor, rq, ss, wagner_whitin};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const AS_OF: &str = "2018-08-01";

fn config(json: &str) -> PolicyConfig {
    serde_json::from_str(json).unwrap()
}

/// A stock position: nothing on hand, lead time `lead_time_days`.
fn stock(item: &str, lead_time_days: f64) -> StockPosition {
    StockPosition {
        product_id: item.into(),
        on_hand: 0.0,
        on_order: 0.0,
        backorders: 0.0,
        lead_time_days,
        lead_time_std_days: 0.0,
        unit_cost: None,
        holding_cost_rate: None,
        ordering_cost: None,
        stockout_cost: None,
        service_level: None,
        moq: None,
        case_pack: None,
        provenance: Provenance::at("stock.csv", 2),
    }
}

/// `periods` weekly forecast records for `item` from the week of as_of.
fn records(item: &str, periods: usize, distribution: DemandDistribution) -> Vec<ForecastRecord> {
    let mut start = Period::Week.start_of(d(AS_OF));
    (0..periods)
        .map(|i| {
            let r = ForecastRecord {
                product_id: item.into(),
                period: Period::Week,
                start,
                distribution: distribution.clone(),
                provenance: Provenance::at("forecasts.csv", i as u64 + 2),
            };
            start = Period::Week.next(start);
            r
        })
        .collect()
}

/// An outlook with a weekly demand rate N(mean, sd²) for `item`.
fn rate(item: &str, mean: f64, sd: f64) -> Outlook {
    let mut outlook = Outlook::default();
    outlook.item_mut(item).demand = Some(Tagged {
        model: "sales".into(),
        value: DemandRate {
            period: Period::Week,
            periods: 26,
            from: d("2018-01-29"),
            to: d("2018-07-29"),
            mean,
            std_dev: sd,
            units: 26.0 * mean,
            zero_share: 0.0,
        },
    });
    outlook
}

async fn run<P: restock_policy::Policy>(
    policy: P,
    config_json: &str,
    dataset: &Dataset,
    outlook: &Outlook,
) -> (Vec<Decision>, Vec<Diagnostic>) {
    let strategy = PolicyStrategy::new(config(config_json), policy).unwrap();
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(d(AS_OF), sink.clone()).for_component("policy");
    let decisions = strategy.decide(dataset, outlook, &ctx).await.unwrap();
    (decisions, sink.take().0)
}

fn one(decisions: &[Decision], diagnostics: &[Diagnostic]) -> Decision {
    assert_eq!(decisions.len(), 1, "{diagnostics:#?}");
    decisions[0].clone()
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: {actual} vs {expected}"
    );
}

fn dataset(stock: Vec<StockPosition>, forecasts: Vec<ForecastRecord>) -> Dataset {
    Dataset {
        stock,
        forecasts,
        ..Dataset::default()
    }
}

#[tokio::test]
async fn base_stock_normal_costs_equal_the_newsvendor() {
    // Snyder & Shen Example 4.3: h = 0.18, p = 0.7, N(50, 8²), no lead time.
    let data = dataset(vec![stock("a", 0.0)], vec![]);
    let costs = r#""target": "costs", "holding_cost": 0.18, "stockout_cost": 0.7"#;
    let (ds, diags) = run(
        BaseStock,
        &format!("{{{costs}, \"integer_units\": false}}"),
        &data,
        &rate("a", 50.0, 8.0),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = newsvendor::newsvendor_normal(0.18, 0.7, 50.0, 8.0, 0.0).unwrap();
    close(decision.order_up_to, textbook.base_stock_level, "S");
    close(
        decision.reorder_point,
        textbook.base_stock_level,
        "S as reorder point",
    );
    close(
        decision.expected_cost_per_period.unwrap(),
        textbook.cost,
        "cost",
    );
    close(
        decision.order_quantity,
        textbook.base_stock_level,
        "order from 0",
    );
    close(
        decision.expected_cycle_service_level,
        0.7 / 0.88,
        "CSL = critical ratio",
    );
    assert_eq!(decision.policy, "base_stock");
    assert_eq!(decision.action, Action::Order);

    // Lead time 21 days = 3 weeks: S protects L + 1 = 4 weeks; rounded up to whole units.
    let data = dataset(vec![stock("a", 21.0)], vec![]);
    let (ds, diags) = run(
        BaseStock,
        &format!("{{{costs}}}"),
        &data,
        &rate("a", 50.0, 8.0),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = newsvendor::newsvendor_normal(0.18, 0.7, 50.0, 8.0, 3.0).unwrap();
    assert_eq!(decision.order_up_to, textbook.base_stock_level.ceil());
    let cost = newsvendor::newsvendor_normal_cost(decision.order_up_to, 0.18, 0.7, 50.0, 8.0, 3.0)
        .unwrap();
    close(
        decision.expected_cost_per_period.unwrap(),
        cost,
        "cost of rounded S",
    );

    // 10 days = 1.43 weeks, rounded up to 2 whole weeks.
    let data = dataset(vec![stock("a", 10.0)], vec![]);
    let (ds, diags) = run(
        BaseStock,
        &format!("{{{costs}, \"integer_units\": false}}"),
        &data,
        &rate("a", 50.0, 8.0),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = newsvendor::newsvendor_normal(0.18, 0.7, 50.0, 8.0, 2.0).unwrap();
    close(
        decision.order_up_to,
        textbook.base_stock_level,
        "S over 3 weeks",
    );
    assert!(
        decision
            .rationale
            .contains("rounded up to 2 for periodic review"),
        "{}",
        decision.rationale
    );
}

#[tokio::test]
async fn base_stock_poisson_and_discrete_equal_the_textbook() {
    // Poisson(6) per week from the planner's records, lead time 2 weeks: Poisson(18).
    let data = dataset(
        vec![stock("a", 14.0)],
        records("a", 8, DemandDistribution::Poisson { mean: 6.0 }),
    );
    let costs = r#""target": "costs", "holding_cost": 1, "stockout_cost": 4"#;
    let (ds, diags) = run(
        BaseStock,
        &format!("{{{costs}}}"),
        &data,
        &Outlook::default(),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = newsvendor::base_stock_poisson(1.0, 4.0, 6.0, 2).unwrap();
    assert_eq!(decision.order_up_to, textbook.base_stock_level as f64);
    close(
        decision.expected_cost_per_period.unwrap(),
        textbook.cost,
        "cost",
    );

    // An explicit pmf on 0 … 5 (stockpyl's newsvendor_discrete example data), no lead time,
    // then one week of lead time: the two-week pmf is the convolution.
    let pmf = [0.1, 0.2, 0.0, 0.3, 0.25, 0.15];
    let empirical = DemandDistribution::Empirical {
        values: (0..6).map(f64::from).collect(),
        probabilities: pmf.to_vec(),
    };
    let data = dataset(vec![stock("a", 0.0)], records("a", 4, empirical.clone()));
    let (ds, diags) = run(
        BaseStock,
        &format!("{{{costs}}}"),
        &data,
        &Outlook::default(),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = newsvendor::newsvendor_discrete(1.0, 4.0, &pmf).unwrap();
    assert_eq!(decision.order_up_to, textbook.base_stock_level as f64);
    close(
        decision.expected_cost_per_period.unwrap(),
        textbook.cost,
        "cost",
    );

    let data = dataset(vec![stock("a", 7.0)], records("a", 4, empirical));
    let (ds, diags) = run(
        BaseStock,
        &format!("{{{costs}}}"),
        &data,
        &Outlook::default(),
    )
    .await;
    let decision = one(&ds, &diags);
    let mut two = vec![0.0; 11];
    for (i, a) in pmf.iter().enumerate() {
        for (j, b) in pmf.iter().enumerate() {
            two[i + j] += a * b;
        }
    }
    let textbook = newsvendor::newsvendor_discrete(1.0, 4.0, &two).unwrap();
    assert_eq!(decision.order_up_to, textbook.base_stock_level as f64);
    close(
        decision.expected_cost_per_period.unwrap(),
        textbook.cost,
        "cost",
    );
}

#[tokio::test]
async fn service_targets_use_the_quantile_and_the_loss_function() {
    let data = dataset(vec![stock("a", 7.0)], vec![]);
    let outlook = rate("a", 50.0, 8.0);
    let (ds, diags) = run(
        BaseStock,
        r#"{"target": {"cycle_service_level": 0.95}, "integer_units": false}"#,
        &data,
        &outlook,
    )
    .await;
    let decision = one(&ds, &diags);
    // Two weeks of protection: N(100, 8²·2).
    let sd = 8.0 * 2f64.sqrt();
    close(
        decision.order_up_to,
        100.0 + sd * restock_policy::formulas::safety_factor(0.95),
        "S",
    );
    close(decision.expected_cycle_service_level, 0.95, "CSL");
    close(decision.safety_stock, decision.order_up_to - 100.0, "SS");
    assert_eq!(decision.expected_cost_per_period, None);

    // Fill rate 0.99: 1 − (n₂(S) − n₁(S))/50 = 0.99 (the shortage in the period after the lead
    // time), n the textbook normal loss function.
    let (ds, diags) = run(
        BaseStock,
        r#"{"target": {"fill_rate": 0.99}, "integer_units": false}"#,
        &data,
        &outlook,
    )
    .await;
    let decision = one(&ds, &diags);
    let s = decision.order_up_to;
    let n2 = loss::normal_loss(s, 100.0, sd).unwrap().shortage;
    let n1 = loss::normal_loss(s, 50.0, 8.0).unwrap().shortage;
    assert!((1.0 - (n2 - n1) / 50.0 - 0.99).abs() < 1e-8);
    close(
        decision.expected_fill_rate.unwrap(),
        1.0 - (n2 - n1) / 50.0,
        "fill",
    );
}

#[tokio::test]
async fn s_s_exact_equals_zheng_federgruen() {
    // Snyder & Shen Example 4.7: h = 1, p = 4, K = 5, Poisson(6), no lead time → (4, 10).
    let data = dataset(
        vec![stock("a", 0.0)],
        records("a", 6, DemandDistribution::Poisson { mean: 6.0 }),
    );
    let costs = r#""target": "costs", "holding_cost": 1, "stockout_cost": 4, "ordering_cost": 5"#;
    let (ds, diags) = run(
        ReorderOrderUpTo::default(),
        &format!("{{{costs}}}"),
        &data,
        &Outlook::default(),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = ss::s_s_discrete_exact_poisson(1.0, 4.0, 5.0, 6.0).unwrap();
    assert_eq!(
        (decision.reorder_point, decision.order_up_to),
        (
            textbook.reorder_point as f64,
            textbook.order_up_to_level as f64
        )
    );
    close(
        decision.expected_cost_per_period.unwrap(),
        textbook.cost,
        "cost",
    );
    assert_eq!(decision.order_quantity, 10.0);
    assert_eq!(decision.policy, "s_s");

    // With a one-week lead time: G on two weeks, the renewal on one.
    let data = dataset(
        vec![stock("a", 7.0)],
        records("a", 6, DemandDistribution::Poisson { mean: 6.0 }),
    );
    let (ds, diags) = run(
        ReorderOrderUpTo::default(),
        &format!("{{{costs}}}"),
        &data,
        &Outlook::default(),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = ss::s_s_discrete_exact_poisson_lead_time(1.0, 4.0, 5.0, 6.0, 1).unwrap();
    assert_eq!(
        (decision.reorder_point, decision.order_up_to),
        (
            textbook.reorder_point as f64,
            textbook.order_up_to_level as f64
        )
    );
    close(
        decision.expected_cost_per_period.unwrap(),
        textbook.cost,
        "cost",
    );
}

#[tokio::test]
async fn s_s_power_approximation_for_normal_demand() {
    // Snyder & Shen Example 4.8 inputs: h = 0.18, p = 0.7, K = 2.5, N(50, 8²).
    let data = dataset(vec![stock("a", 0.0)], vec![]);
    let (ds, diags) = run(
        ReorderOrderUpTo::default(),
        r#"{"target": "costs", "holding_cost": 0.18, "stockout_cost": 0.7, "ordering_cost": 2.5, "integer_units": false}"#,
        &data,
        &rate("a", 50.0, 8.0),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = ss::s_s_power_approximation(0.18, 0.7, 2.5, 50.0, 8.0).unwrap();
    close(decision.reorder_point, textbook.reorder_point, "s");
    close(decision.order_up_to, textbook.order_up_to_level, "S");
    assert_eq!(decision.expected_cost_per_period, None);
    // Asking for the exact method on normal demand is an error for the item.
    let (ds, diags) = run(
        ReorderOrderUpTo {
            method: Some(restock_policy::config::Method::Exact),
        },
        r#"{"target": "costs", "method": "exact", "holding_cost": 0.18, "stockout_cost": 0.7, "ordering_cost": 2.5}"#,
        &data,
        &rate("a", 50.0, 8.0),
    )
    .await;
    assert!(ds.is_empty());
    assert!(
        diags[0]
            .message
            .contains("method = \"exact\" needs count demand")
    );
}

#[tokio::test]
async fn r_q_poisson_exact_equals_the_textbook() {
    // Snyder & Shen Example 5.8: h = 20, p = 150, K = 100, λ = 1.5, L = 2 → (3, 5).
    let data = dataset(
        vec![stock("a", 14.0)],
        records("a", 4, DemandDistribution::Poisson { mean: 1.5 }),
    );
    let (ds, diags) = run(
        ContinuousReview::default(),
        r#"{"target": "costs", "holding_cost": 20, "stockout_cost": 150, "ordering_cost": 100}"#,
        &data,
        &Outlook::default(),
    )
    .await;
    let decision = one(&ds, &diags);
    let textbook = rq::r_q_poisson_exact(20.0, 150.0, 100.0, 1.5, 2.0).unwrap();
    assert_eq!(decision.reorder_point, textbook.reorder_point as f64);
    assert_eq!(
        decision.order_up_to - decision.reorder_point,
        textbook.order_quantity as f64
    );
    close(
        decision.expected_cost_per_period.unwrap(),
        textbook.cost,
        "cost",
    );
    // Inventory position 0 ≤ r = 3: one lot of 5 lifts it above.
    assert_eq!(decision.order_quantity, 5.0);
}

/// Snyder & Shen Example 5.1 (h = 0.225, p = 7.5, K = 8, λ = 1300, σ = 150 per year,
/// L = 1/12 year) in months: the same r and Q, costs per month.
fn monthly_example() -> (Dataset, Outlook, String) {
    let mut outlook = Outlook::default();
    outlook.item_mut("a").demand = Some(Tagged {
        model: "sales".into(),
        value: DemandRate {
            period: Period::Month,
            periods: 24,
            from: d("2016-08-01"),
            to: d("2018-07-31"),
            mean: 1300.0 / 12.0,
            std_dev: 150.0 / 12f64.sqrt(),
            units: 2600.0,
            zero_share: 0.0,
        },
    });
    let data = dataset(vec![stock("a", Period::Month.mean_days())], vec![]);
    let costs = format!(
        r#""target": "costs", "holding_cost": {}, "stockout_cost": {}, "ordering_cost": 8, "integer_units": false"#,
        0.225 / 12.0,
        7.5 / 12.0
    );
    (data, outlook, costs)
}

#[tokio::test]
async fn r_q_approximations_equal_the_textbook() {
    let (data, outlook, costs) = monthly_example();
    let (h, p, k, lambda, sigma) = (
        0.225 / 12.0,
        7.5 / 12.0,
        8.0,
        1300.0 / 12.0,
        150.0 / 12f64.sqrt(),
    );
    for (method, expected) in [
        (
            "eoqss",
            rq::r_q_eoqss_approximation(h, p, k, lambda, sigma, 1.0).unwrap(),
        ),
        (
            "eoqb",
            rq::r_q_eoqb_approximation(h, p, k, lambda, sigma, 1.0).unwrap(),
        ),
        (
            "loss_function",
            rq::r_q_loss_function_approximation(h, p, k, lambda, sigma, 1.0, 1e-6).unwrap(),
        ),
    ] {
        let json = format!("{{{costs}, \"method\": \"{method}\"}}");
        let policy = ContinuousReview {
            method: config(&json).method,
        };
        let (ds, diags) = run(policy, &json, &data, &outlook).await;
        let decision = one(&ds, &diags);
        close(decision.reorder_point, expected.reorder_point, method);
        close(
            decision.order_up_to - decision.reorder_point,
            expected.order_quantity,
            method,
        );
        let cost = rq::r_q_cost(
            expected.reorder_point,
            expected.order_quantity,
            h,
            p,
            k,
            lambda,
            sigma,
            1.0,
        )
        .unwrap();
        close(decision.expected_cost_per_period.unwrap(), cost, method);
    }
    // In years the loss-function approximation is (126.8670634479628, 328.4491421980451)
    // (stockpyl's docstring); the monthly model gives the same levels.
    let annual =
        rq::r_q_loss_function_approximation(0.225, 7.5, 8.0, 1300.0, 150.0, 1.0 / 12.0, 1e-6)
            .unwrap();
    let monthly = rq::r_q_loss_function_approximation(h, p, k, lambda, sigma, 1.0, 1e-6).unwrap();
    assert!((annual.reorder_point - monthly.reorder_point).abs() < 1e-6);
    assert!((annual.order_quantity - monthly.order_quantity).abs() < 1e-6);
}

#[tokio::test]
async fn r_q_exact_normal_minimises_the_exact_cost() {
    let (data, outlook, costs) = monthly_example();
    let (h, p, k, lambda, sigma) = (
        0.225 / 12.0,
        7.5 / 12.0,
        8.0,
        1300.0 / 12.0,
        150.0 / 12f64.sqrt(),
    );
    let (ds, diags) = run(
        ContinuousReview::default(),
        &format!("{{{costs}}}"),
        &data,
        &outlook,
    )
    .await;
    let decision = one(&ds, &diags);
    let (r, q) = (
        decision.reorder_point,
        decision.order_up_to - decision.reorder_point,
    );
    let cost = |r: f64, q: f64| rq::r_q_cost(r, q, h, p, k, lambda, sigma, 1.0).unwrap();
    let best = decision.expected_cost_per_period.unwrap();
    close(best, cost(r, q), "reported cost is g(r, Q)");
    // No policy on a grid of Q, each with the textbook's optimal r for it (eq. 5.9), is cheaper.
    for step in 0..=120 {
        let grid_q = 300.0 + 0.5 * f64::from(step);
        let grid_r = rq::r_q_optimal_r_for_q(grid_q, h, p, lambda, sigma, 1.0, 1e-9).unwrap();
        assert!(best <= cost(grid_r, grid_q) + 1e-9, "Q = {grid_q}");
    }
    // r is optimal for Q (eq. 5.9), and no nearby policy is cheaper.
    let r_for_q = rq::r_q_optimal_r_for_q(q, h, p, lambda, sigma, 1.0, 1e-9).unwrap();
    assert!((r - r_for_q).abs() < 1e-4, "{r} {r_for_q}");
    for (dr, dq) in [
        (0.01, 0.0),
        (-0.01, 0.0),
        (0.0, 0.01),
        (0.0, -0.01),
        (0.01, 0.01),
    ] {
        assert!(best <= cost(r + dr, q + dq) + 1e-12);
    }
    // … nor any of the textbook approximations.
    let approximations = [
        rq::r_q_loss_function_approximation(h, p, k, lambda, sigma, 1.0, 1e-6).unwrap(),
        rq::r_q_eoqb_approximation(h, p, k, lambda, sigma, 1.0).unwrap(),
        rq::r_q_eoqss_approximation(h, p, k, lambda, sigma, 1.0).unwrap(),
    ];
    for a in approximations {
        let c = cost(a.reorder_point, a.order_quantity);
        assert!(best <= c + 1e-12, "{best} vs {c} at {a:?}");
    }
    let eil = rq::r_q_eil_approximation(h, p, k, lambda, sigma, 1.0, 1e-6).unwrap();
    assert!(best <= cost(eil.reorder_point, eil.order_quantity));
}

#[tokio::test]
async fn r_s_reduces_to_base_stock_and_protects_l_plus_r() {
    let data = dataset(
        vec![stock("a", 7.0)],
        records("a", 8, DemandDistribution::Poisson { mean: 6.0 }),
    );
    let costs = r#""target": "costs", "holding_cost": 1, "stockout_cost": 4"#;
    let json = format!("{{{costs}}}");
    let (base, _) = run(BaseStock, &json, &data, &Outlook::default()).await;
    let (one_period, _) = run(
        ReviewOrderUpTo { review_period: 1 },
        &json,
        &data,
        &Outlook::default(),
    )
    .await;
    assert_eq!(base[0].order_up_to, one_period[0].order_up_to);
    assert_eq!(
        base[0].expected_cost_per_period,
        one_period[0].expected_cost_per_period
    );
    assert_eq!(one_period[0].policy, "r_s");

    // R = 2: S is the least level with (F₂(S) + F₃(S))/2 ≥ p/(p + h) (Poisson(12), Poisson(18)).
    let json = format!("{{{costs}, \"review_period\": 2}}");
    let (ds, diags) = run(
        ReviewOrderUpTo { review_period: 2 },
        &json,
        &data,
        &Outlook::default(),
    )
    .await;
    let decision = one(&ds, &diags);
    let f = |s: f64| (Horizon::poisson(12.0).cdf(s) + Horizon::poisson(18.0).cdf(s)) / 2.0;
    let s = decision.order_up_to;
    assert!(f(s) >= 0.8 && f(s - 1.0) < 0.8, "{s}");
    let g = |n: f64| newsvendor::newsvendor_poisson_cost(s as i64, 1.0, 4.0, n).unwrap();
    close(
        decision.expected_cost_per_period.unwrap(),
        (g(12.0) + g(18.0)) / 2.0,
        "cost",
    );
}

#[tokio::test]
async fn eoq_lot_sizes_equal_the_textbook() {
    let mut s = stock("a", 7.0);
    s.ordering_cost = Some(8.0);
    s.unit_cost = Some(10.0);
    s.holding_cost_rate = Some(0.2);
    let data = dataset(vec![s], vec![]);
    let outlook = rate("a", 25.0, 5.0);
    let h = 10.0 * 0.2 * 7.0 / 365.25;
    let (ds, diags) = run(
        EconomicOrderQuantity::default(),
        r#"{"integer_units": false}"#,
        &data,
        &outlook,
    )
    .await;
    let decision = one(&ds, &diags);
    let q = eoq::economic_order_quantity(8.0, h, 25.0)
        .unwrap()
        .order_quantity;
    close(decision.order_up_to - decision.reorder_point, q, "EOQ");
    close(
        decision.reorder_point,
        25.0 + 5.0 * restock_policy::formulas::safety_factor(0.95),
        "r",
    );
    assert_eq!(decision.policy, "eoq");

    let json = r#"{"variant": "all_units_discounts", "breakpoints": [0, 100, 300], "unit_costs": [10, 9.5, 9], "integer_units": false}"#;
    let c = config(json);
    let policy = EconomicOrderQuantity {
        variant: c.variant,
        production_rate: None,
        breakpoints: c.breakpoints.clone().unwrap(),
        unit_costs: c.unit_costs.clone().unwrap(),
    };
    let (ds, diags) = run(policy, json, &data, &outlook).await;
    let decision = one(&ds, &diags);
    let textbook = eoq::economic_order_quantity_with_all_units_discounts(
        8.0,
        0.2 * 7.0 / 365.25,
        25.0,
        &[0.0, 100.0, 300.0],
        &[10.0, 9.5, 9.0],
    )
    .unwrap();
    close(
        decision.order_up_to - decision.reorder_point,
        textbook.order_quantity,
        "all-units Q",
    );
}

#[tokio::test]
async fn wagner_whitin_lot_sizes_the_plan() {
    // Snyder & Shen Example 3.9: h = 2, K = 500, d = [90, 120, 80, 70] → orders [210, 0, 150, 0].
    let plan: Vec<ForecastRecord> = [90.0, 120.0, 80.0, 70.0]
        .iter()
        .enumerate()
        .flat_map(|(i, &mean)| {
            let mut r = records("a", 4, DemandDistribution::Normal { mean, std_dev: 0.0 });
            vec![r.swap_remove(i)]
        })
        .collect();
    let data = dataset(vec![stock("a", 0.0)], plan.clone());
    let json = r#"{"holding_cost": 2, "ordering_cost": 500}"#;
    let (ds, diags) = run(WagnerWhitin::default(), json, &data, &Outlook::default()).await;
    let decision = one(&ds, &diags);
    let textbook = wagner_whitin::wagner_whitin(
        &[2.0; 4],
        &[500.0; 4],
        &[90.0, 120.0, 80.0, 70.0],
        &[0.0; 4],
    )
    .unwrap();
    assert_eq!(decision.order_quantity, textbook.order_quantities[0]);
    close(
        decision.expected_cost_per_period.unwrap(),
        textbook.cost / 4.0,
        "cost",
    );
    // 100 on hand nets the first week to 0 and the second to 110.
    let mut s = stock("a", 0.0);
    s.on_hand = 100.0;
    let data = dataset(vec![s], plan);
    let (ds, diags) = run(WagnerWhitin::default(), json, &data, &Outlook::default()).await;
    let decision = one(&ds, &diags);
    let netted =
        wagner_whitin::wagner_whitin(&[2.0; 4], &[500.0; 4], &[0.0, 110.0, 80.0, 70.0], &[0.0; 4])
            .unwrap();
    assert_eq!(decision.order_quantity, netted.order_quantities[0]);
    assert_eq!(decision.action, Action::Hold);
}

#[tokio::test]
async fn abc_xyz_classes_set_service_levels() {
    let mut outlook = rate("fast", 100.0, 10.0);
    outlook.items.insert(
        "slow".into(),
        rate("slow", 2.0, 3.0).items.remove("slow").unwrap(),
    );
    let mut fast = stock("fast", 7.0);
    fast.unit_cost = Some(5.0);
    let mut slow = stock("slow", 7.0);
    slow.unit_cost = Some(5.0);
    let data = dataset(vec![fast, slow], vec![]);
    let (ds, _) = run(
        BaseStock,
        r#"{"service_levels": {"AX": 0.99, "C": 0.8}, "integer_units": false}"#,
        &data,
        &outlook,
    )
    .await;
    assert_eq!(ds[0].class.as_deref(), Some("AX"));
    close(ds[0].expected_cycle_service_level, 0.99, "AX");
    assert_eq!(ds[1].class.as_deref(), Some("CZ"));
    close(ds[1].expected_cycle_service_level, 0.8, "C");
    assert!(ds[1].rationale.contains("service_levels.C for class CZ"));
}

#[tokio::test]
async fn the_budget_funds_the_most_valuable_units_first() {
    // Two items alike but for the stock-out cost: the budget of 60 buys 12 units at 5; the
    // dear item's units are worth more, so it is funded first.
    let mut outlook = rate("cheap", 10.0, 3.0);
    outlook.items.insert(
        "dear".into(),
        rate("dear", 10.0, 3.0).items.remove("dear").unwrap(),
    );
    let item = |id: &str, p: f64| {
        let mut s = stock(id, 0.0);
        s.unit_cost = Some(5.0);
        s.stockout_cost = Some(p);
        s
    };
    let data = dataset(vec![item("cheap", 1.0), item("dear", 9.0)], vec![]);
    let json = r#"{"target": "costs", "holding_cost": 0.1, "budget": 60}"#;
    let (unlimited, _) = run(
        BaseStock,
        r#"{"target": "costs", "holding_cost": 0.1}"#,
        &data,
        &outlook,
    )
    .await;
    let (ds, diags) = run(BaseStock, json, &data, &outlook).await;
    let dear = ds.iter().find(|d| d.product_id == "dear").unwrap();
    let cheap = ds.iter().find(|d| d.product_id == "cheap").unwrap();
    assert_eq!(dear.order_quantity + cheap.order_quantity, 12.0);
    assert_eq!(
        dear.order_quantity,
        12.0_f64.min(unlimited[1].order_quantity)
    );
    assert!(cheap.rationale.contains("Budget 60"), "{}", cheap.rationale);
    assert!(
        diags
            .iter()
            .any(|d| d.severity == Severity::Info && d.message.starts_with("budget 60"))
    );
    // Marginal value per unit falls: the 12th unit of "dear" is still worth more than the first
    // of "cheap" here, G(y) − G(y + 1) on N(10, 3²).
    let h = Horizon::Normal {
        mean: 10.0,
        sd: 3.0,
    };
    let value = |p: f64, y: f64| h.newsvendor_cost(y, 0.1, p) - h.newsvendor_cost(y + 1.0, 0.1, p);
    assert!(value(9.0, 11.0) > value(1.0, 0.0));
}

#[tokio::test]
async fn a_forecasts_file_and_stock_positions_drive_three_policies() {
    // The acceptance case in Rust: no models, only the planner's forecasts and stock.
    let mut s = stock("sku-1", 7.0);
    s.on_hand = 3.0;
    s.ordering_cost = Some(5.0);
    s.stockout_cost = Some(4.0);
    let data = dataset(
        vec![s],
        records("sku-1", 8, DemandDistribution::Poisson { mean: 6.0 }),
    );
    let costs = r#"{"target": "costs", "holding_cost": 1}"#;
    let outlook = Outlook::default();
    let (s_s, d1) = run(ReorderOrderUpTo::default(), costs, &data, &outlook).await;
    let (r_q, d2) = run(ContinuousReview::default(), costs, &data, &outlook).await;
    let (base, d3) = run(BaseStock, costs, &data, &outlook).await;
    for (ds, diags, policy) in [
        (&s_s, &d1, "s_s"),
        (&r_q, &d2, "r_q"),
        (&base, &d3, "base_stock"),
    ] {
        let decision = one(ds, diags);
        assert_eq!(decision.policy, policy);
        assert!(
            decision.rationale.starts_with(
                "Demand: the planner's forecasts (forecasts.csv:2 to forecasts.csv:9)"
            ),
            "{}",
            decision.rationale
        );
        assert!(decision.expected_cost_per_period.is_some());
        assert!(decision.expected_fill_rate.is_some());
    }
}

#[tokio::test]
async fn the_named_forecast_wins_and_a_missing_one_is_an_error() {
    let point = |mean: f64| ForecastPoint {
        start: d("2018-07-30"),
        mean,
        distribution: DemandDistribution::Poisson { mean },
        quantiles: vec![],
    };
    let forecast = |model: &str, mean: f64| Tagged {
        model: model.into(),
        value: DemandForecast {
            period: Period::Week,
            method: "naive".into(),
            class: None,
            params: Default::default(),
            history_periods: 10,
            points: vec![point(mean)],
            notes: vec![],
        },
    };
    let mut outlook = Outlook::default();
    let item: &mut ItemOutlook = outlook.item_mut("a");
    item.forecasts = vec![forecast("first", 6.0), forecast("second", 60.0)];
    let data = dataset(vec![stock("a", 0.0)], vec![]);
    let (ds, _) = run(BaseStock, r#"{"forecast": "first"}"#, &data, &outlook).await;
    assert_eq!(ds[0].demand_per_day, 6.0 / 7.0);
    let (ds, _) = run(BaseStock, "{}", &data, &outlook).await;
    assert_eq!(ds[0].demand_per_day, 60.0 / 7.0);
    let (ds, diags) = run(BaseStock, r#"{"forecast": "third"}"#, &data, &outlook).await;
    assert!(ds.is_empty());
    assert!(
        diags
            .iter()
            .any(|d| d.message.contains("forecasts came from: first, second")),
        "{diags:#?}"
    );
}

#[tokio::test]
async fn an_item_with_no_demand_is_held_by_every_policy() {
    let data = dataset(
        vec![stock("a", 7.0)],
        records("a", 4, DemandDistribution::Poisson { mean: 0.0 }),
    );
    let json = r#"{"target": "costs", "holding_cost": 1, "stockout_cost": 4, "ordering_cost": 5}"#;
    let outlook = Outlook::default();
    let (a, _) = run(BaseStock, json, &data, &outlook).await;
    let (b, _) = run(ReorderOrderUpTo::default(), json, &data, &outlook).await;
    let (c, _) = run(ContinuousReview::default(), json, &data, &outlook).await;
    for d in [&a[0], &b[0], &c[0]] {
        assert_eq!((d.action, d.order_quantity), (Action::Hold, 0.0));
        assert!(
            d.rationale.contains("No demand in any week"),
            "{}",
            d.rationale
        );
    }
}

#[tokio::test]
async fn eoq_variants_equal_the_textbook() {
    let mut s = stock("a", 7.0);
    s.ordering_cost = Some(8.0);
    s.unit_cost = Some(10.0);
    s.holding_cost_rate = Some(0.2);
    s.stockout_cost = Some(3.0);
    let data = dataset(vec![s], vec![]);
    let outlook = rate("a", 25.0, 5.0);
    let h = 10.0 * 0.2 * 7.0 / 365.25;
    let lot = |json: &str, policy: EconomicOrderQuantity| {
        let json = json.to_owned();
        let data = data.clone();
        let outlook = outlook.clone();
        async move {
            let (ds, diags) = run(policy, &json, &data, &outlook).await;
            let d = one(&ds, &diags);
            d.order_up_to - d.reorder_point
        }
    };
    let backorders = lot(
        r#"{"variant": "backorders", "integer_units": false}"#,
        EconomicOrderQuantity {
            variant: Some(restock_policy::config::EoqVariant::Backorders),
            ..Default::default()
        },
    )
    .await;
    let expected = eoq::economic_order_quantity_with_backorders(8.0, h, 3.0, 25.0).unwrap();
    close(backorders, expected.order_quantity, "EOQ with backorders");
    let production = lot(
        r#"{"variant": "production", "production_rate": 60, "integer_units": false}"#,
        EconomicOrderQuantity {
            variant: Some(restock_policy::config::EoqVariant::Production),
            production_rate: Some(60.0),
            ..Default::default()
        },
    )
    .await;
    let expected = eoq::economic_production_quantity(8.0, h, 25.0, 60.0).unwrap();
    close(production, expected.order_quantity, "EPQ");
    let incremental = lot(
        r#"{"variant": "incremental_discounts", "breakpoints": [0, 50, 150], "unit_costs": [10, 9.8, 9.5], "integer_units": false}"#,
        EconomicOrderQuantity {
            variant: Some(restock_policy::config::EoqVariant::IncrementalDiscounts),
            breakpoints: vec![0.0, 50.0, 150.0],
            unit_costs: vec![10.0, 9.8, 9.5],
            ..Default::default()
        },
    )
    .await;
    let expected = eoq::economic_order_quantity_with_incremental_discounts(
        8.0,
        0.2 * 7.0 / 365.25,
        25.0,
        &[0.0, 50.0, 150.0],
        &[10.0, 9.8, 9.5],
    )
    .unwrap();
    close(
        incremental,
        expected.order_quantity,
        "incremental discounts",
    );
}

#[tokio::test]
async fn missing_stock_zero_assumes_none_and_says_so() {
    let data = dataset(
        vec![],
        records("a", 4, DemandDistribution::Poisson { mean: 6.0 }),
    );
    let (ds, diags) = run(
        BaseStock,
        r#"{"missing_stock": "zero", "default_lead_time_days": 7}"#,
        &data,
        &Outlook::default(),
    )
    .await;
    let decision = one(&ds, &diags);
    assert!(
        decision
            .rationale
            .starts_with("No stock position: assumed none on hand")
    );
    // Poisson(12) over two weeks, 95 %: the least S with F(S) ≥ 0.95.
    assert_eq!(decision.order_up_to, Horizon::poisson(12.0).quantile(0.95));
    let (ds, diags) = run(BaseStock, "{}", &data, &Outlook::default()).await;
    assert!(ds.is_empty());
    assert!(diags.iter().any(|d| {
        d.message
            .contains("1 items have demand but no stock position")
    }));
}

#[tokio::test]
async fn orders_respect_moq_and_case_packs_and_the_budget_buys_whole_packs() {
    let mut s = stock("a", 0.0);
    s.moq = Some(20.0);
    s.case_pack = Some(6.0);
    s.unit_cost = Some(2.0);
    let data = dataset(
        vec![s],
        records("a", 4, DemandDistribution::Poisson { mean: 30.0 }),
    );
    let (ds, diags) = run(BaseStock, "{}", &data, &Outlook::default()).await;
    let decision = one(&ds, &diags);
    let level = Horizon::poisson(30.0).quantile(0.95);
    // S − 0 rounded up to whole cases of 6 (above the MOQ of 20).
    assert_eq!(decision.order_quantity, (level / 6.0).ceil() * 6.0);
    assert!(
        decision.rationale.contains("cases of 6"),
        "{}",
        decision.rationale
    );
    // A budget of 50 buys 25 units at 2: the MOQ rounded to packs (24) and nothing more.
    let (ds, diags) = run(BaseStock, r#"{"budget": 50}"#, &data, &Outlook::default()).await;
    let decision = one(&ds, &diags);
    assert_eq!(decision.order_quantity, 24.0);
}
