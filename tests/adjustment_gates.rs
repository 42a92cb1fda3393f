//! Text-signal gating (issue 4, item 6): the reorder-point strategy's sales / sentiment trend
//! adjustment applies only to items where `restock backtest` on the same data showed it
//! lowering the demand rate's error, and each decision says which.

use std::path::Path;
use std::sync::Arc;

use restock_backtest::{BacktestOptions, backtest};
use restock_core::AdjustmentGates;
use restock_core::context::NoProgress;
use restock_runner::{RunOptions, load, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trend_adjustments_apply_only_where_the_backtest_showed_them_lowering_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let registry = restock::builtin_registry();
    let manifest = Path::new("examples/olist/pipeline.toml");
    let fresh = || {
        let mut p = load(manifest, &registry, &|_| None).unwrap_or_else(|e| panic!("{e}"));
        p.manifest.pipeline.cache_dir = dir.path().join("cache");
        p
    };
    let options = || RunOptions {
        out_dir: Some(dir.path().join("out")),
        progress: Arc::new(NoProgress),
        secrets: Arc::new(|_| None),
    };

    // Before any backtest: proposed, never applied.
    let before = run(fresh(), options()).await.unwrap();
    let proposed: Vec<_> = before
        .report
        .decisions
        .iter()
        .filter_map(|d| d.demand_adjustment.as_ref().map(|a| (d, a)))
        .collect();
    assert!(!proposed.is_empty(), "the example proposes adjustments");
    for (d, a) in &proposed {
        assert!(!a.applied, "{}: applied without evidence", d.product_id);
        assert!(a.reason.contains("no backtest evidence"), "{}", a.reason);
    }

    let report = backtest(
        &fresh(),
        BacktestOptions {
            progress: Arc::new(NoProgress),
            secrets: Arc::new(|_| None),
        },
    )
    .await
    .unwrap();
    let summary = report.adjustments.expect("adjustments were evaluated");
    let gates: AdjustmentGates = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("cache").join(AdjustmentGates::FILE)).unwrap(),
    )
    .unwrap();
    assert_eq!(gates.items.len(), summary.items);
    assert_eq!(
        gates.items.values().filter(|e| e.lowers_error).count(),
        summary.lowers_error
    );
    for e in gates.items.values() {
        assert_eq!(e.lowers_error, e.mae_adjusted < e.mae_unadjusted);
    }

    // After: applied exactly where the evidence says it lowers the error.
    let after = run(fresh(), options()).await.unwrap();
    let (mut applied, mut withheld) = (0, 0);
    for d in &after.report.decisions {
        let Some(a) = &d.demand_adjustment else {
            continue;
        };
        let expected = gates
            .items
            .get(&d.product_id)
            .is_some_and(|e| e.lowers_error && e.factors.contains(&a.factor));
        assert_eq!(a.applied, expected, "{}: {}", d.product_id, a.reason);
        if a.applied {
            applied += 1;
            assert!(
                a.reason.starts_with("applied: in the backtest"),
                "{}",
                a.reason
            );
            assert!(d.rationale.contains(&a.reason));
        } else {
            withheld += 1;
        }
    }
    assert!(
        applied > 0 && withheld > 0,
        "{applied} applied, {withheld} withheld"
    );

    // A run dated before the backtest must not use its evidence (it saw later weeks).
    let mut earlier = fresh();
    earlier.manifest.pipeline.as_of = "2018-08-01".parse().unwrap();
    let earlier = run(earlier, options()).await.unwrap();
    assert!(
        earlier
            .report
            .decisions
            .iter()
            .filter_map(|d| d.demand_adjustment.as_ref())
            .all(|a| !a.applied)
    );
    assert!(
        earlier
            .report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("would use the future")),
        "a warning says why"
    );
}
