//! Throughput of AutoETS (`methods::ets`, spec `ZZZ`): carparts series per second, single
//! thread, for season length 1 and 12.
//!
//! Each iteration fits and forecasts (h = 12) every one of the 2,509 complete carparts series
//! (the series `benches/reference_throughput.py` times statsforecast 2.1.1's `AutoETS` on;
//! `benches/compare.sh` runs both and prints the ratios). Sample counts are kept at criterion's
//! minimum so that `cargo bench -p restock-forecast --bench ets` takes a few minutes.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restock_forecast::methods::{EtsSpec, ets};

/// The complete series of carparts.csv (rows with an empty cell are skipped).
fn carparts() -> Vec<Vec<f64>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/carparts/carparts.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let series: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').skip(1).collect();
            if cells.iter().any(|c| c.is_empty()) {
                return None;
            }
            Some(cells.iter().map(|c| c.parse().unwrap()).collect())
        })
        .collect();
    assert_eq!(series.len(), 2509);
    series
}

fn fit_all(series: &[Vec<f64>], season_length: usize) {
    for y in series {
        black_box(ets(black_box(y), 12, season_length, EtsSpec::AUTO).unwrap());
    }
}

fn bench(c: &mut Criterion) {
    let series = carparts();
    let mut group = c.benchmark_group("ets");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(series.len() as u64));
    for m in [1usize, 12] {
        group.bench_function(format!("carparts_m{m}"), |b| b.iter(|| fit_all(&series, m)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
