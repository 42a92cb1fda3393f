//! The forecasting models on awkward series, each run through the `Model` as a manifest builds
//! it (TOML → registry → `assess` on a small dataset): all zeros, a single demand, unknown
//! quantities under each missing-value policy, leading zeros trimmed or kept, seasonal naive
//! with less than a season, negative quantities, stock without sales.

mod models_support;

use models_support::*;
use restock_core::{DemandDistribution, Severity};
use restock_forecast::methods;

#[test]
fn all_zeros_forecast_zero_with_every_model() {
    let d = dataset(weekly("p", &[0.0; 10]));
    for type_name in ALL_TYPES {
        for leading in ["trim", "keep"] {
            let run = run(
                type_name,
                &format!("horizon = 3\nleading_zeros = \"{leading}\"\n"),
                &d,
                after_weeks(10),
            );
            let f = run.forecast("p");
            assert_eq!(f.history_periods, 10, "{type_name} {leading}");
            for point in &f.points {
                assert_eq!(point.mean, 0.0, "{type_name} {leading}");
                assert!(
                    point.quantiles.iter().all(|q| q.value == 0.0),
                    "{type_name} {leading}: {:?}",
                    point.quantiles
                );
            }
        }
    }
}

#[test]
fn single_demand_croston_half_sba_0_475_when_leading_zeros_are_kept() {
    let d = dataset(weekly("p", &[0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0]));
    let keep = "leading_zeros = \"keep\"\nhorizon = 2\n";
    let croston = run("croston", keep, &d, after_weeks(7));
    let f = croston.forecast("p");
    assert_eq!(f.history_periods, 7);
    assert_eq!(
        f.points.iter().map(|p| p.mean).collect::<Vec<_>>(),
        [0.5, 0.5]
    );
    assert_eq!(f.params["demand_level"], 3.0);
    assert_eq!(f.params["interval_level"], 6.0);
    assert_eq!(f.params["alpha"], 0.1);
    assert!(f.notes.is_empty(), "{:?}", f.notes);
    let sba = run("sba", keep, &d, after_weeks(7));
    assert!(close(sba.mean("p"), 0.475));
    assert_eq!(sba.forecast("p").params["factor"], 0.95);

    // Count demand: one-step errors 0, 0, 0, 0, 3, −0.5 → σ² = 9.25 / 6 > 0.5, so negative
    // binomial with that spread.
    match &f.points[0].distribution {
        DemandDistribution::NegativeBinomial { mean, std_dev } => {
            assert_eq!(*mean, 0.5);
            assert!(close(*std_dev, (9.25f64 / 6.0).sqrt()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(f.params["one_step_errors"], 6.0);

    // Trimmed (the default), the history starts at the demand: [3, 0], one demand after an
    // interval of 1, so Croston forecasts 3 and SBA 2.85; the notes say what was trimmed.
    let trimmed = run("croston", "", &d, after_weeks(7));
    let f = trimmed.forecast("p");
    assert_eq!(f.history_periods, 2);
    assert_eq!(f.points[0].mean, 3.0);
    assert!(
        f.notes[0].starts_with("trimmed 5 leading weeks before the first sale (2018-02-07)"),
        "{:?}",
        f.notes
    );
    assert!(close(run("sba", "", &d, after_weeks(7)).mean("p"), 2.85));
}

/// `[2, ?, 4, 0, 6]`: one week of unknown demand.
fn with_unknown_week() -> restock_core::Dataset {
    let mut sales = weekly("p", &[2.0, f64::NAN, 4.0, 0.0, 6.0]);
    sales.extend(weekly("q", &[1.0, 1.0, 1.0, 1.0, 1.0]));
    dataset(sales)
}

#[test]
fn missing_zero_reads_unknown_weeks_as_zero_and_says_so() {
    let run = run(
        "moving_average",
        "window_size = 10\nmissing = \"zero\"\n",
        &with_unknown_week(),
        after_weeks(5),
    );
    let f = run.forecast("p");
    assert_eq!(f.history_periods, 5);
    assert!(close(f.points[0].mean, 12.0 / 5.0));
    assert_eq!(
        f.notes,
        [
            "1 of 5 weeks had unknown demand (a sale without a quantity; the first in the week of 2018-01-08): read as 0 (missing = \"zero\")",
            "history of 5 weeks is shorter than window_size (10): all of it is averaged",
        ]
    );
    let warnings = run.said("of unknown demand");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert!(
        warnings[0].message.starts_with(
            "1 week of unknown demand (sales without a quantity) in 1 item: read as 0"
        )
    );
}

#[test]
fn missing_drop_is_the_default_and_leaves_unknown_weeks_out() {
    for config in [
        "window_size = 10\n",
        "window_size = 10\nmissing = \"drop\"\n",
    ] {
        let run = run(
            "moving_average",
            config,
            &with_unknown_week(),
            after_weeks(5),
        );
        let f = run.forecast("p");
        assert_eq!(f.history_periods, 4);
        assert_eq!(f.points[0].mean, 3.0); // (2 + 4 + 0 + 6) / 4
        assert!(
            f.notes[0]
                .ends_with("left out, the method saw the other 4 in order (missing = \"drop\")"),
            "{:?}",
            f.notes
        );
        assert_eq!(run.said("left out of their histories").len(), 1);
        assert_eq!(run.forecast("q").history_periods, 5);
    }
}

#[test]
fn missing_error_fails_the_item_and_the_others_go_on() {
    let run = run(
        "naive",
        "missing = \"error\"\n",
        &with_unknown_week(),
        after_weeks(5),
    );
    assert!(run.outlook.items["p"].forecasts.is_empty());
    assert_eq!(run.errors("p").len(), 1);
    assert!(
        run.errors("p")[0].starts_with("naive: 1 of 5 weeks had unknown demand")
            && run.errors("p")[0].ends_with("no forecast (missing = \"error\")"),
        "{:?}",
        run.errors("p")
    );
    let errors: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].item.as_deref(), Some("p"));
    // The other item is forecast.
    assert_eq!(run.mean("q"), 1.0);
}

#[test]
fn missing_drop_of_every_week_is_an_item_error() {
    let d = dataset(weekly("p", &[f64::NAN, f64::NAN]));
    let run = run("ses", "", &d, after_weeks(2));
    assert!(run.errors("p")[0].contains("nothing left to forecast from"));
    // Nothing is wrong with the data: a warning, not an error.
    assert_eq!(run.said("nothing left")[0].severity, Severity::Warning);
}

#[test]
fn a_first_sale_in_the_current_week_has_no_history_yet() {
    let mut sales = weekly("old", &[1.0, 2.0, 3.0]);
    // Wednesday of week 3, and as_of is the Friday of that week.
    sales.push(sale("new", week(3) + chrono::Days::new(2), 5.0));
    let run = run(
        "croston",
        "",
        &dataset(sales),
        week(3) + chrono::Days::new(4),
    );
    assert_eq!(
        run.errors("new"),
        [
            "croston: the first sale (2018-01-24) is in the current week: no complete week before as_of 2018-01-26"
        ]
    );
    let said = run.said("current week");
    assert_eq!(said.len(), 1);
    assert_eq!(said[0].severity, Severity::Warning);
    assert_eq!(run.forecast("old").history_periods, 3);
}

/// Product `a` sells every week from week 0; product `b` first sells in week 5.
fn late_starter() -> restock_core::Dataset {
    let mut sales = weekly("a", &[1.0; 8]);
    sales.push(sale("b", week(5) + chrono::Days::new(2), 4.0));
    sales.push(sale("b", week(7) + chrono::Days::new(2), 2.0));
    dataset(sales)
}

#[test]
fn leading_zeros_trim_starts_at_the_first_sale_and_keep_at_the_dataset_or_start() {
    let d = late_starter();
    let ma = |config: &str| {
        run(
            "moving_average",
            &format!("window_size = 20\n{config}"),
            &d,
            after_weeks(8),
        )
    };

    // trim (the default): b's history is weeks 5–7, [4, 0, 2].
    let trim = ma("");
    let f = trim.forecast("b");
    assert_eq!(f.history_periods, 3);
    assert_eq!(f.points[0].mean, 2.0);
    assert!(f.notes[0].starts_with("trimmed 5 leading weeks before the first sale (2018-02-07)"));
    assert!(
        trim.forecast("a")
            .notes
            .iter()
            .all(|n| !n.starts_with("trimmed"))
    );

    // keep: from the dataset's first sale (week 0): [0, 0, 0, 0, 0, 4, 0, 2].
    let keep = ma("leading_zeros = \"keep\"\n");
    let f = keep.forecast("b");
    assert_eq!(f.history_periods, 8);
    assert_eq!(f.points[0].mean, 0.75);
    assert!(
        f.notes.iter().all(|n| !n.starts_with("trimmed")),
        "{:?}",
        f.notes
    );

    // keep from `start` (a Wednesday: its week, from Monday 2018-01-22): [0, 0, 4, 0, 2].
    let keep = ma("leading_zeros = \"keep\"\nstart = 2018-01-24\n");
    let f = keep.forecast("b");
    assert_eq!(f.history_periods, 5);
    assert_eq!(f.points[0].mean, 1.2);

    // A start after a sale leaves it out, and says so: [0, 2].
    let keep = ma("leading_zeros = \"keep\"\nstart = \"2018-02-12\"\n");
    let f = keep.forecast("b");
    assert_eq!(f.history_periods, 2);
    assert_eq!(f.points[0].mean, 1.0);
    assert!(
        f.notes.contains(
            &"1 sale before the history's start (2018-02-12, from `start`) left out".to_owned()
        ),
        "{:?}",
        f.notes
    );

    // window cuts either to the most recent periods; nothing is trimmed inside it.
    let f = ma("window = 2\n");
    assert_eq!(f.forecast("b").history_periods, 2);
    assert!(
        f.forecast("b")
            .notes
            .iter()
            .all(|n| !n.starts_with("trimmed"))
    );
    let f = ma("window = 4\n");
    assert!(f.forecast("b").notes[0].starts_with("trimmed 1 leading week before"));
}

#[test]
fn seasonal_naive_shorter_than_the_season_warns_and_falls_back_to_naive() {
    let d = dataset(weekly("p", &[3.0, 5.0]));
    let run = run(
        "seasonal_naive",
        "season_length = 4\nhorizon = 6\n",
        &d,
        after_weeks(2),
    );
    let f = run.forecast("p");
    // Positions 2 and 3 of the season hold 3 and 5; positions 0 and 1 have no observation and
    // forecast the last value.
    assert_eq!(
        f.points.iter().map(|p| p.mean).collect::<Vec<_>>(),
        [5.0, 5.0, 3.0, 5.0, 5.0, 5.0]
    );
    let note = "history of 2 weeks is shorter than the season (4): the seasonal positions without an observation forecast the last value (the naive method)";
    assert!(f.notes.contains(&note.to_owned()), "{:?}", f.notes);
    let warnings = run.said("shorter than the season");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(warnings[0].item.as_deref(), Some("p"));
    assert_eq!(f.params["season_length"], 4.0);

    // The default season of weekly data is a year.
    let run = models_support::run("seasonal_naive", "", &d, after_weeks(2));
    assert_eq!(run.forecast("p").params["season_length"], 52.0);
}

#[test]
fn forecasts_and_quantiles_are_never_negative() {
    // Returns booked as negative quantities.
    let d = dataset(weekly("p", &[5.0, -10.0, 3.0, -8.0, 1.0, -9.0]));
    for type_name in ALL_TYPES {
        let run = run(
            type_name,
            "quantiles = [0.05, 0.5, 0.95]\n",
            &d,
            after_weeks(6),
        );
        for point in &run.forecast("p").points {
            assert!(point.mean >= 0.0, "{type_name}: {}", point.mean);
            for q in &point.quantiles {
                assert!(q.value >= 0.0, "{type_name}: {q:?}");
            }
        }
    }
    // naive: the last value, −9, clamped; a normal quantile below 0 reads 0.
    let run = run("naive", "quantiles = [0.05, 0.95]\n", &d, after_weeks(6));
    let point = &run.forecast("p").points[0];
    assert_eq!(point.mean, 0.0);
    assert_eq!(point.quantiles[0].value, 0.0);
    assert!(point.quantiles[1].value > 0.0);
}

#[test]
fn stock_without_sales_has_no_history_when_trimmed_and_forecasts_zero_when_kept() {
    let d = with_stock(dataset(weekly("a", &[2.0, 3.0, 4.0])), "z");
    let run = run("sba", "", &d, after_weeks(3));
    assert!(run.errors("z")[0].starts_with("sba: no sales before as_of"));
    let warnings = run.said("with stock but no sales");
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]
            .message
            .starts_with("1 item with stock but no sales")
    );
    assert!(
        run.diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error)
    );

    let run = models_support::run("sba", "leading_zeros = \"keep\"\n", &d, after_weeks(3));
    assert_eq!(run.forecast("z").history_periods, 3);
    assert_eq!(run.mean("z"), 0.0);
}

#[test]
fn auto_records_the_class_and_uses_its_method() {
    let mut sales = weekly("smooth", &[5.0, 6.0, 5.0, 4.0, 6.0, 5.0, 5.0, 6.0]);
    sales.extend(weekly(
        "erratic",
        &[1.0, 20.0, 2.0, 15.0, 1.0, 18.0, 2.0, 1.0],
    ));
    sales.extend(weekly(
        "intermittent",
        &[5.0, 0.0, 0.0, 6.0, 0.0, 5.0, 0.0, 0.0],
    ));
    sales.extend(weekly("lumpy", &[1.0, 0.0, 0.0, 20.0, 0.0, 2.0, 0.0, 15.0]));
    let d = dataset(sales);
    let run = run("auto", "", &d, after_weeks(8));
    for (item, method) in [
        ("smooth", "ets("),
        ("erratic", "sba"),
        ("intermittent", "sba"),
        ("lumpy", "sba"),
    ] {
        let f = run.forecast(item);
        assert_eq!(f.class.as_deref(), Some(item));
        assert!(f.method.starts_with(method), "{item}: {}", f.method);
        assert_eq!(f.params["adi_cutoff"], 1.32);
        assert_eq!(f.params["cv2_cutoff"], 0.49);
        assert!(
            f.notes
                .iter()
                .any(|n| n.starts_with(&format!("Syntetos–Boylan class {item}"))),
            "{:?}",
            f.notes
        );
    }
    assert_eq!(run.forecast("smooth").params["adi"], 1.0);
    assert_eq!(run.forecast("intermittent").params["adi"], 8.0 / 3.0);
    // The smooth item's forecast is AutoETS's (no season), with its normal spread.
    let f = run.forecast("smooth");
    let y = [5.0, 6.0, 5.0, 4.0, 6.0, 5.0, 5.0, 6.0];
    let expected = methods::ets(&y, 1, 1, methods::EtsSpec::AUTO).unwrap();
    assert_eq!(f.points[0].mean, expected.mean[0]);
    assert_eq!(f.params["aicc"], expected.params.aicc);
    assert!(matches!(
        f.points[0].distribution,
        DemandDistribution::Normal { .. }
    ));

    // Cut-offs are configurable: with ADI cut-off 3, the intermittent item reads as smooth.
    let run = models_support::run("auto", "adi_cutoff = 3.0\n", &d, after_weeks(8));
    assert_eq!(
        run.forecast("intermittent").class.as_deref(),
        Some("smooth")
    );
}

#[test]
fn the_models_forecast_what_the_methods_do() {
    let y = [3.0, 0.0, 0.0, 5.0, 1.0, 0.0, 0.0, 0.0, 7.0, 2.0, 0.0, 4.0];
    let d = dataset(weekly("p", &y));
    let h = 2;
    let expect = [
        ("naive", "", methods::naive(&y, h).unwrap().mean),
        (
            "seasonal_naive",
            "season_length = 5\n",
            methods::seasonal_naive(&y, h, 5).unwrap().mean,
        ),
        (
            "moving_average",
            "window_size = 3\n",
            methods::window_average(&y, h, 3).unwrap().mean,
        ),
        (
            "ses",
            "alpha = 0.3\n",
            methods::ses(&y, h, 0.3).unwrap().mean,
        ),
        ("croston", "", methods::croston(&y, h).unwrap().mean),
        ("sba", "", methods::sba(&y, h).unwrap().mean),
        (
            "tsb",
            "alpha_d = 0.2\nalpha_p = 0.1\n",
            methods::tsb(&y, h, 0.2, 0.1).unwrap().mean,
        ),
        ("adida", "", methods::adida(&y, h).unwrap().mean),
        ("imapa", "", methods::imapa(&y, h).unwrap().mean),
        (
            "ets",
            "model = \"ANN\"\n",
            methods::ets(&y, h, 1, "ANN".parse().unwrap()).unwrap().mean,
        ),
    ];
    for (type_name, config, mean) in expect {
        let run = run(
            type_name,
            &format!("horizon = 2\n{config}"),
            &d,
            after_weeks(12),
        );
        let f = run.forecast("p");
        assert!(f.method.starts_with(type_name), "{}", f.method);
        assert_eq!(f.history_periods, 12);
        let got: Vec<f64> = f.points.iter().map(|p| p.mean).collect();
        assert_eq!(got, mean, "{type_name}");
    }
}

#[test]
fn points_cover_the_horizon_from_the_period_holding_as_of() {
    let d = dataset(weekly("p", &[1.0, 2.0, 3.0, 4.0]));
    // as_of Wednesday of week 4: weeks 0–3 are complete; week 4 is the first forecast period.
    let as_of = week(4) + chrono::Days::new(2);
    let run = run("naive", "horizon = 3\nquantiles = [0.95, 0.5]\n", &d, as_of);
    let f = run.forecast("p");
    assert_eq!(
        f.points.iter().map(|p| p.start).collect::<Vec<_>>(),
        [week(4), week(5), week(6)]
    );
    // Quantile levels ascending; naive's spread grows with √h: σ = RMSE of errors 1, 1, 1.
    let levels: Vec<f64> = f.points[0].quantiles.iter().map(|q| q.level).collect();
    assert_eq!(levels, [0.5, 0.95]);
    assert_eq!(f.params["one_step_rmse"], 1.0);
    assert_eq!(f.points[0].distribution.std_dev(), 1.0);
    assert_eq!(f.points[2].distribution.std_dev(), 3f64.sqrt());
    assert!(close(f.points[0].quantiles[0].value, 4.0));
}

#[test]
fn one_period_of_history_is_poisson_and_noted() {
    let d = dataset(weekly("p", &[3.0]));
    let run = run("ses", "", &d, after_weeks(1));
    let f = run.forecast("p");
    assert_eq!(
        f.points[0].distribution,
        DemandDistribution::Poisson { mean: 3.0 }
    );
    assert!(
        f.notes.iter().any(|n| n.starts_with("one week of history")),
        "{:?}",
        f.notes
    );
}

#[test]
fn group_by_category_forecasts_the_category_total() {
    let mut sales = weekly("p1", &[1.0, 1.0, 1.0]);
    sales.extend(weekly("p2", &[2.0, 2.0, 2.0]));
    let d = dataset(sales);
    let run = run("naive", "group_by = \"category\"\n", &d, after_weeks(3));
    assert_eq!(run.mean("c"), 3.0);
    assert_eq!(run.outlook.items["c"].category.as_deref(), Some("c"));
}

#[test]
fn ets_on_a_constant_series_is_flat_not_a_crash() {
    let d = dataset(weekly("p", &[60.0, 60.0, 60.0]));
    let run = run("ets", "horizon = 4\n", &d, after_weeks(3));
    let f = run.forecast("p");
    assert!(f.method.starts_with("ets("), "{}", f.method);
    for point in &f.points {
        assert!(close(point.mean, 60.0), "{}", point.mean);
        assert!(
            point
                .quantiles
                .iter()
                .all(|q| q.value.is_finite() && q.value >= 0.0)
        );
    }
    // No parameter is infinite or NaN (the report is JSON).
    assert!(f.params.values().all(|v| v.is_finite()), "{:?}", f.params);
}

#[test]
fn ets_reports_its_model_and_fit_and_counts_fallbacks() {
    let y = [
        12.0, 15.0, 11.0, 14.0, 16.0, 13.0, 15.0, 17.0, 14.0, 16.0, 18.0, 15.0,
    ];
    let mut sales = weekly("p", &y);
    sales.extend(weekly(
        "short",
        &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0, 7.0, 5.0],
    ));
    let d = dataset(sales);
    let run = run("ets", "horizon = 3\n", &d, after_weeks(12));
    let f = run.forecast("p");
    let expected = methods::ets(&y, 3, 1, methods::EtsSpec::AUTO).unwrap();
    assert_eq!(
        f.points.iter().map(|p| p.mean).collect::<Vec<_>>(),
        expected.mean
    );
    assert_eq!(
        f.method,
        format!(
            "ets{}",
            expected.params.model.to_string().trim_start_matches("ETS")
        )
    );
    for key in ["alpha", "aicc", "aic", "bic", "sigma2", "season_length"] {
        assert!(f.params.contains_key(key), "{key}: {:?}", f.params);
    }
    // σ from the fit's own variance, growing with the horizon as Hyndman et al. (2008) Table 6.1.
    let sd: Vec<f64> = f.points.iter().map(|p| p.distribution.std_dev()).collect();
    assert!(close(sd[0], expected.params.sigma2.sqrt()), "{sd:?}");
    assert!(sd[0] <= sd[1] && sd[1] <= sd[2], "{sd:?}");
    // Three trimmed periods are too few for statsforecast: the notes say which fallback, and
    // one warning counts the items.
    let short = run.forecast("short");
    assert_eq!(short.history_periods, 3);
    assert!(
        short.notes.iter().any(|n| n.contains("ETS")),
        "{:?}",
        short.notes
    );
    let warnings: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.message.contains("ETS"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", run.diagnostics);
    assert!(
        warnings[0].message.starts_with("1 item: "),
        "{}",
        warnings[0].message
    );
}
