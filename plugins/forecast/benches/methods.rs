//! Throughput of the point-forecast methods (`restock_forecast::methods`, naive to IMAPA):
//! carparts series per second, single thread.
//!
//! Each iteration forecasts (h = 12) every one of the 2,509 complete carparts series with one
//! method, with the settings of the parity test (`tests/methods_parity.rs`): season length 12,
//! window 6, SES alpha 0.1, TSB alpha_d 0.2 and alpha_p 0.1. `benches/methods_reference.py`
//! times statsforecast 2.1.1's same models on the same series; `benches/compare_methods.sh`
//! runs both one after the other and prints the ratios.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restock_forecast::methods;

/// Forecast horizon in periods (months), as the Python reference.
const H: usize = 12;

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

/// Forecasts every series with `method` and keeps the result from being optimised away.
fn forecast_all<T>(series: &[Vec<f64>], method: impl Fn(&[f64]) -> T) {
    for y in series {
        black_box(method(black_box(y)));
    }
}

fn bench(c: &mut Criterion) {
    let series = carparts();
    let mut group = c.benchmark_group("methods");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(series.len() as u64));
    // Names as in methods_reference.py, so compare_methods.sh can pair them.
    group.bench_function("naive", |b| {
        b.iter(|| forecast_all(&series, |y| methods::naive(y, H).unwrap()))
    });
    group.bench_function("seasonal_naive", |b| {
        b.iter(|| forecast_all(&series, |y| methods::seasonal_naive(y, H, 12).unwrap()))
    });
    group.bench_function("window_average", |b| {
        b.iter(|| forecast_all(&series, |y| methods::window_average(y, H, 6).unwrap()))
    });
    group.bench_function("ses", |b| {
        b.iter(|| forecast_all(&series, |y| methods::ses(y, H, 0.1).unwrap()))
    });
    group.bench_function("croston", |b| {
        b.iter(|| forecast_all(&series, |y| methods::croston(y, H).unwrap()))
    });
    group.bench_function("sba", |b| {
        b.iter(|| forecast_all(&series, |y| methods::sba(y, H).unwrap()))
    });
    group.bench_function("tsb", |b| {
        b.iter(|| forecast_all(&series, |y| methods::tsb(y, H, 0.2, 0.1).unwrap()))
    });
    group.bench_function("adida", |b| {
        b.iter(|| forecast_all(&series, |y| methods::adida(y, H).unwrap()))
    });
    group.bench_function("imapa", |b| {
        b.iter(|| forecast_all(&series, |y| methods::imapa(y, H).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
