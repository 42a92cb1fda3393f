//! Behaviour of `restock_policy::textbook` beyond the stockpyl parity file: the headline
//! values from issue 4, parameter errors, and exactness of the (s, S) search across the jump of
//! S* between λ = 60 and λ = 65, checked by exhaustive search.

use restock_policy::textbook::{eoq, newsvendor, ss, wagner_whitin};

#[test]
fn headline_values_from_the_issue() {
    let q = eoq::economic_order_quantity(8.0, 0.225, 1300.0).unwrap();
    assert!((q.order_quantity - 304.0467800264368).abs() < 1e-9);
    let n = newsvendor::newsvendor_normal(0.18, 0.7, 50.0, 8.0, 0.0).unwrap();
    assert!((n.base_stock_level - 56.60395592743389).abs() < 1e-9);
    let p = ss::s_s_discrete_exact_poisson(1.0, 4.0, 5.0, 6.0).unwrap();
    assert_eq!((p.reorder_point, p.order_up_to_level), (4, 10));
    assert!((p.cost - 8.034111561471644).abs() < 1e-9);
}

#[test]
fn lead_time_protects_l_plus_one_periods() {
    let with_lead = newsvendor::newsvendor_normal(0.18, 0.7, 50.0, 8.0, 3.0).unwrap();
    let pooled = newsvendor::newsvendor_normal(0.18, 0.7, 200.0, 16.0, 0.0).unwrap();
    assert!((with_lead.base_stock_level - pooled.base_stock_level).abs() < 1e-9);
    let poisson = newsvendor::base_stock_poisson(1.0, 4.0, 6.0, 2).unwrap();
    assert_eq!(
        poisson,
        newsvendor::newsvendor_poisson(1.0, 4.0, 18.0).unwrap()
    );
}

#[test]
fn invalid_parameters_are_errors() {
    assert!(eoq::economic_order_quantity(8.0, 0.0, 1300.0).is_err());
    assert!(eoq::economic_order_quantity(-1.0, 1.0, 1300.0).is_err());
    assert!(eoq::economic_order_quantity_cost(8.0, 1.0, 1300.0, 0.0).is_err());
    assert!(
        eoq::economic_order_quantity_with_backorders_cost(8.0, 1.0, 2.0, 10.0, 5.0, 1.5).is_err()
    );
    let e = eoq::economic_production_quantity(8.0, 0.225, 1700.0, 1300.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "demand_rate must be less than production_rate"
    );
    assert!(newsvendor::newsvendor_normal(0.18, 0.7, 50.0, 0.0, 0.0).is_err());
    assert!(newsvendor::newsvendor_normal(0.18, 0.7, 50.0, 8.0, -1.0).is_err());
    assert!(newsvendor::newsvendor_poisson(0.18, 0.7, f64::NAN).is_err());
    assert!(newsvendor::newsvendor_discrete(1.0, 4.0, &[]).is_err());
    assert!(newsvendor::newsvendor_discrete(1.0, 4.0, &[0.5, -0.1]).is_err());
    assert!(ss::s_s_cost_poisson(10, 10, 1.0, 4.0, 5.0, 6.0).is_err());
    assert!(ss::s_s_discrete_exact_poisson(1.0, 4.0, 0.0, 6.0).is_err());
    assert!(ss::s_s_power_approximation(1.0, 4.0, 5.0, 6.0, 0.0).is_err());
    // stockpyl raises IndexError here (the search needs S − s beyond the pmf); this is an Err.
    let short = [0.1, 0.2, 0.0, 0.3, 0.25, 0.15];
    assert!(ss::s_s_discrete_exact_pmf(1.0, 4.0, 20.0, &short).is_err());
    assert!(ss::s_s_cost_pmf(0, 7, 1.0, 4.0, 5.0, &short).is_err());
    assert!(ss::s_s_cost_pmf(0, 3, 1.0, 4.0, 5.0, &[1.0]).is_err());
    let ww = wagner_whitin::wagner_whitin;
    assert!(ww(&[1.0], &[10.0, 10.0], &[5.0, 5.0], &[0.0, 0.0]).is_err());
    assert!(ww(&[1.0, 1.0], &[10.0, 10.0], &[5.0, -5.0], &[0.0, 0.0]).is_err());
    let empty = ww(&[], &[], &[], &[]).unwrap();
    assert_eq!((empty.cost, empty.order_quantities.len()), (0.0, 0));
    let discounts = eoq::economic_order_quantity_with_all_units_discounts;
    assert!(discounts(8.0, 0.2, 100.0, &[0.0, 50.0, 50.0], &[1.0, 0.9, 0.8]).is_err());
    assert!(discounts(8.0, 0.2, 100.0, &[10.0, 50.0], &[1.0, 0.9]).is_err());
    assert!(discounts(8.0, 0.2, 100.0, &[0.0, 50.0], &[1.0]).is_err());
    assert!(discounts(8.0, 0.2, 100.0, &[0.0, 50.0], &[1.0, 0.0]).is_err());
    // Incremental "discounts" with a price rise: no region has a realizable Q* (stockpyl fails
    // with a math domain error).
    let incremental = eoq::economic_order_quantity_with_incremental_discounts;
    assert!(incremental(8.0, 0.2, 100.0, &[0.0, 10.0], &[1.0, 100.0]).is_err());
}

/// The best (s, S) in a box around the optimum, by evaluating every pair.
fn exhaustive(
    mean: f64,
    s_range: std::ops::RangeInclusive<i64>,
    big_s_max: i64,
) -> (i64, i64, f64) {
    let mut best = (0, 0, f64::INFINITY);
    for s in s_range {
        for big_s in s + 1..=big_s_max {
            let g = ss::s_s_cost_poisson(s, big_s, 1.0, 9.0, 64.0, mean).unwrap();
            if g < best.2 {
                best = (s, big_s, g);
            }
        }
    }
    best
}

#[test]
fn zheng_federgruen_search_is_exact_across_the_jump_in_s_star() {
    // S* falls from 129 (λ = 60) to 75 (λ = 65) while s* keeps rising; the search must find
    // both, which an exhaustive search over a box around them confirms.
    for (mean, s_range, big_s_max) in [(60.0, 45..=58, 140), (65.0, 50..=62, 140)] {
        let found = ss::s_s_discrete_exact_poisson(1.0, 9.0, 64.0, mean).unwrap();
        let (s, big_s, g) = exhaustive(mean, s_range, big_s_max);
        assert_eq!(
            (found.reorder_point, found.order_up_to_level),
            (s, big_s),
            "λ = {mean}"
        );
        assert!((found.cost - g).abs() <= 1e-12 * g, "λ = {mean}");
    }
}

#[test]
fn zheng_federgruen_table() {
    // (λ, s*, S*, cost to 3 decimals) for h = 1, p = 9, K = 64, as tabulated in stockpyl's
    // tests/test_ss.py for the 24 Zheng–Federgruen (1991) instances.
    let table: [(f64, i64, i64, f64); 24] = [
        (10.0, 6, 40, 35.022),
        (15.0, 10, 49, 42.698),
        (20.0, 14, 62, 49.173),
        (25.0, 19, 56, 54.262),
        (30.0, 23, 66, 57.819),
        (35.0, 28, 77, 61.215),
        (40.0, 33, 87, 64.512),
        (45.0, 37, 97, 67.776),
        (50.0, 42, 108, 70.975),
        (55.0, 47, 118, 74.149),
        (60.0, 52, 129, 77.306),
        (65.0, 56, 75, 78.518),
        (70.0, 62, 81, 79.037),
        (75.0, 67, 86, 79.554),
        (21.0, 15, 65, 50.406),
        (22.0, 16, 68, 51.632),
        (23.0, 17, 52, 52.757),
        (24.0, 18, 54, 53.518),
        (51.0, 43, 110, 71.611),
        (52.0, 44, 112, 72.246),
        (59.0, 51, 126, 76.679),
        (61.0, 52, 131, 77.929),
        (63.0, 54, 73, 78.287),
        (64.0, 55, 74, 78.402),
    ];
    for (mean, s, big_s, cost) in table {
        let found = ss::s_s_discrete_exact_poisson(1.0, 9.0, 64.0, mean).unwrap();
        assert_eq!(
            (found.reorder_point, found.order_up_to_level),
            (s, big_s),
            "λ = {mean}"
        );
        assert!(
            (found.cost - cost).abs() < 5e-4,
            "λ = {mean}: {}",
            found.cost
        );
    }
}
