//! The simulator against closed forms and exact computations. Expected values come from
//! `tests/data/make_reference.py` (stockpyl 1.0.2 and scipy in a throw-away virtualenv) in
//! `tests/data/reference.json`; the issue's own figures for the first check are cited there as
//! `issue_*`. Each case runs independent replications and requires the exact value to lie in
//! the 99.9 % Student-t interval of the mean of 20 replications of 20,000 periods (after 100
//! warm-up periods) and within a stated relative distance of it. With about 30 such checks a
//! 99 % level would fail some check for roughly one seed in four; at 99.9 % eight seeds out of
//! eight tried pass, and the seed below is fixed, so the suite is deterministic.
//! `cargo test -p restock-simulate --test closed_form -- --nocapture` prints the table quoted in
//! docs/simulation.md.

use restock_simulate::{
    Costs, DemandSource, Estimate, LeadTime, OrderCrossing, Policy, Scenario, Shortage, Summary,
    replicate, simulate, student_t_quantile,
};
use serde_json::Value;

const REFERENCE: &str = include_str!("data/reference.json");
const SEED: u64 = 20_240_404;
const PERIODS: usize = 20_000;
const WARM_UP: usize = 100;
const REPLICATIONS: usize = 20;
const CONFIDENCE: f64 = 0.999;

fn reference() -> Value {
    serde_json::from_str(REFERENCE).unwrap()
}

fn case(name: &str) -> Value {
    reference()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
        .clone()
}

/// The scenario and demand a reference case describes.
fn scenario(case: &Value) -> (Scenario, DemandSource) {
    let s = &case["scenario"];
    let f = |key: &str| s[key].as_f64().unwrap_or_else(|| panic!("{key} in {s}"));
    let policy = match s["policy"].as_str().unwrap() {
        "base_stock" => Policy::BaseStock {
            order_up_to_level: f("order_up_to_level"),
        },
        "s_s" => Policy::Ss {
            reorder_point: f("reorder_point"),
            order_up_to_level: f("order_up_to_level"),
        },
        "r_q" => Policy::Rq {
            reorder_point: f("reorder_point"),
            order_quantity: f("order_quantity"),
        },
        "periodic_review" => Policy::PeriodicReview {
            review_period: s["review_period"].as_u64().unwrap() as usize,
            order_up_to_level: f("order_up_to_level"),
        },
        other => panic!("policy {other}"),
    };
    let lead_time = match s.get("lead_time_pmf") {
        Some(pmf) => LeadTime::Random {
            pmf: pmf
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_f64().unwrap())
                .collect(),
            crossing: OrderCrossing::Allowed,
        },
        None => LeadTime::Fixed(s["lead_time"].as_u64().unwrap() as usize),
    };
    let demand = match s["demand"].as_str().unwrap() {
        "normal" => DemandSource::Normal {
            mean: f("demand_mean"),
            std_dev: f("demand_std_dev"),
        },
        "poisson" => DemandSource::Poisson {
            mean: f("demand_mean"),
        },
        other => panic!("demand {other}"),
    };
    let shortage = match s["shortage"].as_str().unwrap() {
        "backorders" => Shortage::Backorders,
        "lost_sales" => Shortage::LostSales,
        other => panic!("shortage {other}"),
    };
    let scenario = Scenario {
        policy,
        lead_time,
        costs: Costs {
            holding_cost: f("holding_cost"),
            stockout_cost: f("stockout_cost"),
            fixed_order_cost: f("fixed_order_cost"),
        },
        shortage,
        periods: PERIODS,
        warm_up: WARM_UP,
    };
    (scenario, demand)
}

fn run(name: &str) -> (Value, Summary) {
    let case = case(name);
    let (scenario, demand) = scenario(&case);
    let summary = replicate(&scenario, &demand, SEED, REPLICATIONS, CONFIDENCE).unwrap();
    (case, summary)
}

/// The exact value lies in the interval and within `relative` of the simulated mean.
fn check(case: &Value, metric: &str, estimate: &Estimate, relative: f64) {
    let exact = case["expected"][metric].as_f64().unwrap();
    let distance = (estimate.mean - exact).abs() / exact.abs();
    println!(
        "| {} | {metric} | {exact:.6} | {:.6} ± {:.6} | {:.3} % | {} |",
        case["name"].as_str().unwrap(),
        estimate.mean,
        estimate.half_width,
        100.0 * distance,
        if estimate.contains(exact) {
            "yes"
        } else {
            "no"
        },
    );
    assert!(
        estimate.contains(exact),
        "{} {metric}: exact {exact} outside [{}, {}]",
        case["name"],
        estimate.lower(),
        estimate.upper()
    );
    assert!(
        distance <= relative,
        "{} {metric}: {} is {distance:.4} from exact {exact}",
        case["name"],
        estimate.mean
    );
}

#[test]
fn reference_was_generated_by_stockpyl_1_0_2() {
    assert_eq!(reference()["versions"]["stockpyl"], "1.0.2");
}

/// Issue 4's check: S = 56.6, N(50, 8²), h = 0.18, p = 0.7, L = 0 over 20,000 periods: cost per
/// period ≈ 1.9976, fill rate ≈ 0.9816, P(no stock-out) ≈ 0.7953, each within 1 %. Both a single
/// 20,000-period run and the mean of the replications must be; the stockpyl/scipy values must
/// lie in the 99.9 % interval.
#[test]
fn base_stock_normal_lead_time_0_matches_the_issue_and_the_newsvendor() {
    let (case, summary) = run("base_stock_normal_lead_time_0");
    let e = &case["expected"];
    let issue = |key: &str| e[key].as_f64().unwrap();
    let within = |value: f64, target: f64| (value - target).abs() <= 0.01 * target;

    let single = simulate(&scenario(&case).0, &scenario(&case).1, SEED)
        .unwrap()
        .metrics;
    for (value, target) in [
        (single.cost_per_period(), issue("issue_cost_per_period")),
        (single.fill_rate(), issue("issue_fill_rate")),
        (
            single.cycle_service_level(),
            issue("issue_cycle_service_level"),
        ),
        (summary.cost_per_period.mean, issue("issue_cost_per_period")),
        (summary.fill_rate.mean, issue("issue_fill_rate")),
        (
            summary.cycle_service_level.mean,
            issue("issue_cycle_service_level"),
        ),
    ] {
        assert!(
            within(value, target),
            "{value} not within 1 % of the issue's {target}"
        );
    }
    // The issue's figures agree with stockpyl and scipy to their four decimals.
    for (issue_key, key) in [
        ("issue_cost_per_period", "cost_per_period"),
        ("issue_fill_rate", "fill_rate"),
        ("issue_cycle_service_level", "cycle_service_level"),
    ] {
        assert!((issue(issue_key) - issue(key)).abs() < 5e-5, "{issue_key}");
    }
    check(&case, "cost_per_period", &summary.cost_per_period, 0.01);
    check(
        &case,
        "holding_cost_per_period",
        &summary.holding_cost_per_period,
        0.01,
    );
    check(
        &case,
        "stockout_cost_per_period",
        &summary.stockout_cost_per_period,
        0.02,
    );
    check(&case, "fill_rate", &summary.fill_rate, 0.01);
    check(
        &case,
        "cycle_service_level",
        &summary.cycle_service_level,
        0.01,
    );
    println!(
        "| single 20,000-period run | cost, fill rate, CSL | | {:.6}, {:.6}, {:.6} | | |",
        single.cost_per_period(),
        single.fill_rate(),
        single.cycle_service_level()
    );
}

#[test]
fn base_stock_lead_time_2_protects_three_periods() {
    let (case, summary) = run("base_stock_normal_lead_time_2");
    check(&case, "cost_per_period", &summary.cost_per_period, 0.01);
    check(&case, "fill_rate", &summary.fill_rate, 0.01);
    check(
        &case,
        "cycle_service_level",
        &summary.cycle_service_level,
        0.01,
    );
    check(
        &case,
        "average_backorders",
        &summary.average_backorders,
        0.03,
    );
}

/// Zheng & Federgruen's exact (s, S) cost as stockpyl computes it (Snyder & Shen Example 4.7),
/// with the simulator's event order: order when IP ≤ s, the order arrives before demand (L = 0),
/// costs on the ending inventory level, K per order.
#[test]
fn s_s_poisson_matches_zheng_federgruen() {
    let (case, summary) = run("s_s_poisson");
    let e = &case["expected"];
    for other in ["issue_cost_per_period", "markov_chain_cost_per_period"] {
        let difference = e["cost_per_period"].as_f64().unwrap() - e[other].as_f64().unwrap();
        assert!(difference.abs() < 1e-12, "{other}");
    }
    check(&case, "cost_per_period", &summary.cost_per_period, 0.01);
    check(&case, "orders_per_period", &summary.orders_per_period, 0.01);
    check(
        &case,
        "ordering_cost_per_period",
        &summary.ordering_cost_per_period,
        0.01,
    );
}

#[test]
fn lost_sales_matches_the_exact_markov_chain() {
    let (case, summary) = run("lost_sales_poisson_lead_time_1");
    check(&case, "cost_per_period", &summary.cost_per_period, 0.01);
    check(&case, "fill_rate", &summary.fill_rate, 0.01);
    check(
        &case,
        "cycle_service_level",
        &summary.cycle_service_level,
        0.01,
    );
    check(&case, "average_on_hand", &summary.average_on_hand, 0.02);
    check(
        &case,
        "lost_sales_per_period",
        &summary.lost_sales_per_period,
        0.02,
    );
    check(&case, "orders_per_period", &summary.orders_per_period, 0.01);
    assert_eq!(summary.average_backorders.mean, 0.0);
}

/// With i.i.d. lead times and crossing allowed, the ending inventory level of a base-stock
/// system is S minus D_t + Σ_k B_k·D_{t−k−1}, B_k ~ Bernoulli(P(L > k)) (a whole order is
/// outstanding or not); its exact pmf is a convolution. A thinned Poisson(λ(1 + E[L])), which
/// this is not, would give a cost 17 % lower: the simulation must tell the two apart.
#[test]
fn random_lead_times_with_crossing_match_the_exact_convolution() {
    let (case, summary) = run("random_lead_time_crossing_poisson");
    check(&case, "cost_per_period", &summary.cost_per_period, 0.01);
    check(&case, "fill_rate", &summary.fill_rate, 0.01);
    check(
        &case,
        "cycle_service_level",
        &summary.cycle_service_level,
        0.01,
    );
    check(
        &case,
        "average_backorders",
        &summary.average_backorders,
        0.05,
    );
    let thinned = case["expected"]["thinned_poisson_cost_per_period"]
        .as_f64()
        .unwrap();
    assert!(!summary.cost_per_period.contains(thinned));
}

#[test]
fn periodic_review_matches_the_review_cycle_average() {
    let (case, summary) = run("periodic_review_normal");
    check(&case, "cost_per_period", &summary.cost_per_period, 0.01);
    check(
        &case,
        "cycle_service_level",
        &summary.cycle_service_level,
        0.01,
    );
    // Every review orders; the counted periods (100 < t ≤ 20,000) hold 6,633 reviews.
    let reviews = (WARM_UP + 1..=PERIODS)
        .filter(|t| (t - 1).is_multiple_of(3))
        .count() as f64;
    assert_eq!(summary.orders.mean, reviews);
}

#[test]
fn r_q_matches_the_uniform_inventory_position() {
    let (case, summary) = run("r_q_poisson");
    check(&case, "cost_per_period", &summary.cost_per_period, 0.01);
    check(&case, "orders_per_period", &summary.orders_per_period, 0.01);
    check(
        &case,
        "cycle_service_level",
        &summary.cycle_service_level,
        0.01,
    );
}

#[test]
fn student_t_quantiles_match_scipy() {
    for q in reference()["student_t_quantiles"].as_array().unwrap() {
        let p = q["probability"].as_f64().unwrap();
        let df = q["degrees_of_freedom"].as_f64().unwrap();
        let expected = q["quantile"].as_f64().unwrap();
        let actual = student_t_quantile(p, df);
        assert!(
            (actual - expected).abs() <= 1e-9 * expected.abs(),
            "t({p}, {df}) = {actual}, scipy {expected}"
        );
    }
}
