//! The (s, S) functions with a lead time (`textbook::ss::*_lead_time*`, which stockpyl does not
//! have) and the exact service figures of the `s_s` strategy, checked independently: against
//! the stockpyl ports at L = 0, by exhaustive search, by the stationary distribution of the
//! inventory position computed as a Markov chain, and by simulating the policy.

use restock_policy::horizon::{Horizon, Pmf};
use restock_policy::strategies::s_s::exact_service;
use restock_policy::textbook::{newsvendor, ss};

#[test]
fn without_lead_time_they_equal_the_stockpyl_ports() {
    for mean in [6.0, 10.0, 25.0, 60.0] {
        let plain = ss::s_s_discrete_exact_poisson(1.0, 9.0, 64.0, mean).unwrap();
        let lead = ss::s_s_discrete_exact_poisson_lead_time(1.0, 9.0, 64.0, mean, 0).unwrap();
        assert_eq!(plain, lead, "λ = {mean}");
        // An explicit pmf of the same Poisson (cut at a 1e-14 tail) gives the same policy.
        let pmf = Pmf::poisson(mean);
        let p = pmf.probabilities();
        let explicit = ss::s_s_discrete_exact_lead_time_pmf(1.0, 9.0, 64.0, p, p).unwrap();
        assert_eq!(
            (explicit.reorder_point, explicit.order_up_to_level),
            (plain.reorder_point, plain.order_up_to_level)
        );
        assert!((explicit.cost - plain.cost).abs() < 1e-9 * plain.cost);
    }
    let approximation = ss::s_s_power_approximation(0.18, 0.7, 2.5, 50.0, 8.0).unwrap();
    let lead = ss::s_s_power_approximation_lead_time(0.18, 0.7, 2.5, 50.0, 8.0, 0.0).unwrap();
    assert_eq!(approximation, lead);
}

#[test]
fn with_lead_time_the_search_finds_the_exhaustive_optimum() {
    for lead_time in [1u32, 2, 4] {
        let found =
            ss::s_s_discrete_exact_poisson_lead_time(1.0, 4.0, 5.0, 6.0, lead_time).unwrap();
        let mut best = (0, 0, f64::INFINITY);
        for s in -5..60 {
            for big_s in s + 1..=80 {
                let g = ss::s_s_cost_poisson_lead_time(s, big_s, 1.0, 4.0, 5.0, 6.0, lead_time)
                    .unwrap();
                if g < best.2 {
                    best = (s, big_s, g);
                }
            }
        }
        assert_eq!(
            (found.reorder_point, found.order_up_to_level),
            (best.0, best.1),
            "L = {lead_time}"
        );
        assert!((found.cost - best.2).abs() <= 1e-12 * best.2);
    }
}

#[test]
fn the_cost_equals_the_markov_chain_of_the_inventory_position() {
    // Position after ordering y ∈ {s+1 … S}; a period's demand d takes it to y − d, and an
    // order lifts anything ≤ s back to S. Cost per period: E_π[G_{L+1}(y)] + K·P(order).
    let (h, p, k, mean, lead_time) = (1.0, 4.0, 5.0, 6.0, 2u32);
    let (s, big_s) = (9i64, 17i64);
    let f = |d: i64| {
        Pmf::poisson(mean)
            .probabilities()
            .get(d as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let states: Vec<i64> = (s + 1..=big_s).collect();
    let index = |y: i64| (y - s - 1) as usize;
    let mut pi = vec![1.0 / states.len() as f64; states.len()];
    let mut order_rate = 0.0;
    for _ in 0..5000 {
        let mut next = vec![0.0; states.len()];
        order_rate = 0.0;
        for (&y, &w) in states.iter().zip(&pi) {
            let mut stay = 0.0;
            for d in 0..=(y - s - 1) {
                next[index(y - d)] += w * f(d);
                stay += f(d);
            }
            next[index(big_s)] += w * (1.0 - stay);
            order_rate += w * (1.0 - stay);
        }
        pi = next;
    }
    let protection = mean * f64::from(lead_time + 1);
    let expected: f64 = states
        .iter()
        .zip(&pi)
        .map(|(&y, &w)| w * newsvendor::newsvendor_poisson_cost(y, h, p, protection).unwrap())
        .sum::<f64>()
        + k * order_rate;
    let g = ss::s_s_cost_poisson_lead_time(s, big_s, h, p, k, mean, lead_time).unwrap();
    assert!((g - expected).abs() < 1e-9 * expected, "{g} vs {expected}");
}

/// A small deterministic generator (SplitMix64) for the simulation.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Poisson by inversion of the cdf.
    fn poisson(&mut self, cdf: &[f64]) -> i64 {
        let u = self.uniform();
        cdf.iter().position(|&c| u <= c).unwrap_or(cdf.len() - 1) as i64
    }
}

#[test]
fn the_exact_service_figures_match_a_simulation() {
    // Periodic review: at the start of a period the order placed L periods ago arrives; if the
    // position is ≤ s, order up to S; then the period's demand. A cycle runs from one order's
    // arrival to the next's; it has a stock-out when the inventory level ends a period < 0.
    let (mean, lead_time, s, big_s) = (6.0, 2usize, 14i64, 24i64);
    let period = Pmf::poisson(mean);
    let cdf: Vec<f64> = (0..period.probabilities().len())
        .map(|d| period.cdf(d as f64))
        .collect();
    let mut rng = Rng(20_180_801);
    let (mut level, mut position) = (big_s, big_s);
    let mut pipeline = vec![0i64; lead_time + 1];
    let (mut demand, mut short) = (0i64, 0i64);
    let (mut cycles, mut cycles_short, mut cycle_short) = (0u64, 0u64, false);
    let periods = 400_000;
    for t in 0..periods + 1000 {
        let arriving = pipeline[t % (lead_time + 1)];
        pipeline[t % (lead_time + 1)] = 0;
        if arriving > 0 {
            // A new cycle starts with this arrival.
            if t >= 1000 {
                cycles += 1;
                cycles_short += u64::from(cycle_short);
            }
            cycle_short = false;
        }
        level += arriving;
        if position <= s {
            let q = big_s - position;
            pipeline[(t + lead_time) % (lead_time + 1)] += q;
            position += q;
        }
        let d = rng.poisson(&cdf);
        let before = (-level).max(0);
        level -= d;
        position -= d;
        let after = (-level).max(0);
        if t >= 1000 {
            demand += d;
            short += after - before;
        }
        cycle_short |= level < 0;
    }
    let protection = Horizon::poisson(mean * (lead_time + 1) as f64);
    let lead = Horizon::poisson(mean * lead_time as f64);
    let exact = exact_service(&period, &protection, &lead, s, big_s);
    let fill = 1.0 - short as f64 / demand as f64;
    let csl = 1.0 - cycles_short as f64 / cycles as f64;
    assert!(
        (fill - exact.fill_rate).abs() < 0.003,
        "{fill} vs {}",
        exact.fill_rate
    );
    assert!(
        (csl - exact.cycle_service_level).abs() < 0.01,
        "{csl} vs {}",
        exact.cycle_service_level
    );
}
