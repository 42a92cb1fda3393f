//! Throughput of the exact (s, S) search (`textbook::ss::s_s_discrete_exact_poisson`):
//! optimisations per second, single thread.
//!
//! Each iteration solves the 24 Zheng–Federgruen (1991) instances (h = 1, p = 9, K = 64,
//! Poisson demand with mean 10, 15, …, 75 and 21–24, 51, 52, 59, 61, 63, 64), read from the
//! stockpyl parity reference (`tests/data/stockpyl/reference.json`), whose answers are checked
//! before timing. `benches/ss_reference.py` times stockpyl 1.0.2's `ss.s_s_discrete_exact` on
//! the same instances; `benches/compare.sh` runs both one after the other and prints the ratio.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restock_policy::textbook::ss::{SsSolution, s_s_discrete_exact_poisson};
use serde_json::Value;

/// One Zheng–Federgruen instance: (h, p, K, mean) and stockpyl's (s, S).
struct Instance {
    costs: [f64; 4],
    expected: (i64, i64),
}

fn zheng_federgruen() -> Vec<Instance> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/stockpyl/reference.json");
    let reference: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let instances: Vec<Instance> = reference["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["function"] == "s_s_discrete_exact_poisson" && c["source"] == "Zheng-Federgruen 1991"
        })
        .map(|c| {
            let arg = |k: &str| c["args"][k].as_f64().unwrap();
            Instance {
                costs: [
                    arg("holding_cost"),
                    arg("stockout_cost"),
                    arg("fixed_cost"),
                    arg("demand_mean"),
                ],
                expected: (
                    c["expected"]["reorder_point"].as_i64().unwrap(),
                    c["expected"]["order_up_to_level"].as_i64().unwrap(),
                ),
            }
        })
        .collect();
    assert_eq!(instances.len(), 24);
    instances
}

fn solve(instance: &Instance) -> SsSolution {
    let [h, p, k, mean] = instance.costs;
    s_s_discrete_exact_poisson(h, p, k, mean).unwrap()
}

fn bench(c: &mut Criterion) {
    let instances = zheng_federgruen();
    for instance in &instances {
        let found = solve(instance);
        assert_eq!(
            (found.reorder_point, found.order_up_to_level),
            instance.expected,
            "mean {}",
            instance.costs[3]
        );
    }
    let mut group = c.benchmark_group("ss");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(instances.len() as u64));
    group.bench_function("zheng_federgruen", |b| {
        b.iter(|| {
            for instance in &instances {
                black_box(solve(black_box(instance)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
