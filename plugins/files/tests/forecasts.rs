//! The `forecasts` record kind: a planner's demand plan, one distribution per item and period.

mod common;

use chrono::NaiveDate;
use common::{build, collect, error_paths, write};
use restock_core::{DemandDistribution, Period, Severity};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

/// (line, reason) of each quarantined row.
fn quarantined(got: &common::Collected) -> Vec<(u64, String)> {
    got.quarantined
        .iter()
        .map(|q| (q.location.line.unwrap_or_default(), q.reason.clone()))
        .collect()
}

#[tokio::test]
async fn a_csv_plan_with_each_distribution() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 2024-01-01 and 2024-01-08 are Mondays. A list in one cell is `;`-separated; quoted when
    // the file's delimiter is `;` too (not here).
    write(
        dir.path(),
        "plan.csv",
        "sku,week,distribution,mean,std_dev,values,probabilities\n\
         a,2024-01-01,normal,50,8,,\n\
         a,2024-01-08,,52.5,8,,\n\
         b,2024-01-01,poisson,6,,,\n\
         c,2024-01-01,Negative_Binomial,4,2.5,,\n\
         d,2024-01-01,empirical,,,0;1;2;5,0.4;0.3;0.2;0.1\n\
         e,2024-01-01,empirical,,,\" 0 ; 3 \",\n",
    );
    let config = r#"
        records = "forecasts"
        path = "plan.csv"
        columns = { product_id = "sku", period = "week" }
    "#;
    let got = collect("csv", config, dir.path()).await;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    let forecasts = &got.dataset().forecasts;
    let read: Vec<_> = forecasts
        .iter()
        .map(|f| {
            (
                f.product_id.as_str(),
                f.period,
                f.start,
                f.provenance.line,
                &f.distribution,
            )
        })
        .collect();
    let week = Period::Week;
    assert_eq!(
        read,
        [
            (
                "a",
                week,
                day("2024-01-01"),
                Some(2),
                &DemandDistribution::Normal {
                    mean: 50.0,
                    std_dev: 8.0
                }
            ),
            (
                "a",
                week,
                day("2024-01-08"),
                Some(3),
                // An empty distribution cell takes the collector's default, normal.
                &DemandDistribution::Normal {
                    mean: 52.5,
                    std_dev: 8.0
                }
            ),
            (
                "b",
                week,
                day("2024-01-01"),
                Some(4),
                &DemandDistribution::Poisson { mean: 6.0 }
            ),
            (
                "c",
                week,
                day("2024-01-01"),
                Some(5),
                &DemandDistribution::NegativeBinomial {
                    mean: 4.0,
                    std_dev: 2.5
                }
            ),
            (
                "d",
                week,
                day("2024-01-01"),
                Some(6),
                &DemandDistribution::Empirical {
                    values: vec![0.0, 1.0, 2.0, 5.0],
                    probabilities: vec![0.4, 0.3, 0.2, 0.1]
                }
            ),
            (
                "e",
                week,
                day("2024-01-01"),
                Some(7),
                // No probabilities: equal weights.
                &DemandDistribution::Empirical {
                    values: vec![0.0, 3.0],
                    probabilities: vec![0.5, 0.5]
                }
            ),
        ]
    );
    assert_eq!(
        got.diagnostics[0].message,
        "read 6 records, quarantined 0 rows"
    );
}

#[tokio::test]
async fn monthly_poisson_plan_without_a_distribution_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "plan.csv",
        "product_id,period,mean\np1,2024-02-01,3\np1,20240301,0\n",
    );
    let config = r#"
        records = "forecasts"
        path = "plan.csv"
        period = "month"
        distribution = "poisson"
    "#;
    let got = collect("csv", config, dir.path()).await;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    let forecasts = &got.dataset().forecasts;
    assert_eq!(forecasts.len(), 2);
    assert_eq!(
        (forecasts[1].period, forecasts[1].start),
        (Period::Month, day("2024-03-01"))
    );
    assert_eq!(
        forecasts[0].distribution,
        DemandDistribution::Poisson { mean: 3.0 }
    );
}

#[tokio::test]
async fn a_jsonl_plan_with_arrays_and_each_distribution() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "plan.jsonl",
        r#"{"product_id":"a","period":"2024-01-01","mean":50,"std_dev":8}
{"product_id":"b","period":"2024-01-01","distribution":"poisson","mean":6,"std_dev":null}
{"product_id":"c","period":"2024-01-01","distribution":"negative_binomial","mean":4,"std_dev":2.5}
{"product_id":"d","period":"2024-01-01","distribution":"empirical","values":[0,1,2,5],"probabilities":[0.4,0.3,0.2,0.1]}
{"product_id":"e","period":"2024-01-01","distribution":"empirical","values":"0;3"}
{"product_id":"f","period":"2024-01-01","distribution":"empirical","values":[0,"x"]}
{"product_id":"g","period":"2024-01-01","mean":[1]}
"#,
    );
    let got = collect(
        "jsonl",
        "records = \"forecasts\"\npath = \"plan.jsonl\"",
        dir.path(),
    )
    .await;
    let forecasts = &got.dataset().forecasts;
    let ids: Vec<_> = forecasts.iter().map(|f| f.product_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        forecasts[0].distribution,
        DemandDistribution::Normal {
            mean: 50.0,
            std_dev: 8.0
        }
    );
    assert_eq!(
        forecasts[3].distribution,
        DemandDistribution::Empirical {
            values: vec![0.0, 1.0, 2.0, 5.0],
            probabilities: vec![0.4, 0.3, 0.2, 0.1]
        }
    );
    assert_eq!(
        forecasts[4].distribution,
        DemandDistribution::Empirical {
            values: vec![0.0, 3.0],
            probabilities: vec![0.5, 0.5]
        }
    );
    assert_eq!(
        quarantined(&got),
        [
            (
                6,
                "field values (key values): item 2: \"x\" is not a number".to_owned()
            ),
            (
                7,
                "field mean (key mean): is a JSON array, expected a string or a number".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn each_kind_of_bad_row_is_quarantined_with_its_line_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "plan.csv",
        "product_id,period,distribution,mean,std_dev,values,probabilities\n\
         a,2024-01-01,normal,10,2,,\n\
         b,2024-01-01,gamma,10,2,,\n\
         c,2024-01-01,normal,10,,,\n\
         d,2024-01-01,negative_binomial,4,2,,\n\
         e,2024-01-01,empirical,,,0;1;2,0.5;0.3;0.1\n\
         a,2024-01-01,poisson,3,,,\n\
         f,2024-01-03,normal,10,2,,\n\
         g,2024-01-01,poisson,3,1,,\n\
         h,2024-01-01,empirical,,,0;2;1,\n\
         i,2024-01-01,empirical,,,0;1,1\n\
         j,2024-01-01,normal,-1,2,,\n\
         k,someday,normal,1,2,,\n\
         ,2024-01-01,normal,1,2,,\n\
         l,2024-01-01,empirical,,,0;1,0.5;1.5\n\
         m,2024-01-01,negative_binomial,0,2,,\n\
         a,2024-01-08,normal,11,2,,\n",
    );
    let got = collect(
        "csv",
        "records = \"forecasts\"\npath = \"plan.csv\"",
        dir.path(),
    )
    .await;
    let kept: Vec<_> = got
        .dataset()
        .forecasts
        .iter()
        .map(|f| (f.product_id.as_str(), f.provenance.line))
        .collect();
    assert_eq!(kept, [("a", Some(2)), ("a", Some(17))]);
    let expected = [
        (
            3,
            "field distribution (column distribution): \"gamma\" is not a distribution (expected \
             normal, poisson, negative_binomial or empirical)",
        ),
        (
            4,
            "field std_dev (column std_dev): required for a normal forecast, but there is no value",
        ),
        (
            5,
            "field std_dev (column std_dev): 2 is not above √mean = 2 (mean 4): a negative \
             binomial's variance must exceed its mean (use poisson when they are equal)",
        ),
        (
            6,
            "field probabilities (column probabilities): the probabilities sum to 0.9, not 1 \
             (tolerance 1e-9)",
        ),
        (
            7,
            "field period (column period): product \"a\" already has a forecast for the week \
             starting 2024-01-01 (line 2); each product and period may appear once",
        ),
        (
            8,
            "field period (column period): \"2024-01-03\" is not the first day of a week \
             (period = \"week\": ISO weeks start on Monday); the week containing it starts on \
             2024-01-01",
        ),
        (
            9,
            "field std_dev (column std_dev): a poisson forecast has no such parameter (its \
             standard deviation is √mean); leave it empty",
        ),
        (
            10,
            "field values (column values): item 3 (1) is not above the one before it: values \
             must be strictly ascending",
        ),
        (
            11,
            "field probabilities (column probabilities): 1 probabilities for 2 values",
        ),
        (12, "field mean (column mean): \"-1\" is negative"),
        (
            13,
            "field period (column period): \"someday\" is not a date (expected RFC 3339, \
             YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, YYYYMMDD or unix seconds; set date_format for \
             other forms)",
        ),
        (
            14,
            "field product_id (column product_id): required, but the cell is empty",
        ),
        (
            15,
            "field probabilities (column probabilities): item 2: \"1.5\" is outside 0–1",
        ),
        (
            16,
            "field mean (column mean): \"0\" is not above 0: a negative binomial needs a positive \
             mean (use poisson with mean 0 for no demand)",
        ),
    ];
    let expected: Vec<(u64, String)> = expected
        .iter()
        .map(|(line, reason)| (*line, (*reason).to_owned()))
        .collect();
    assert_eq!(quarantined(&got), expected);
    assert_eq!(got.quarantined[4].raw, "a,2024-01-01,poisson,3,,,");
    // Rows read + rows quarantined = rows in the file.
    assert_eq!(kept.len() + got.quarantined.len(), 16);
}

#[tokio::test]
async fn a_month_period_date_must_be_the_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "plan.csv",
        "product_id,period,mean,std_dev\np,2024-03-31,1,1\np,2024-03-01,1,1\n",
    );
    let got = collect(
        "csv",
        "records = \"forecasts\"\npath = \"plan.csv\"\nperiod = \"month\"",
        dir.path(),
    )
    .await;
    assert_eq!(got.dataset().forecasts.len(), 1);
    assert_eq!(
        quarantined(&got),
        [(
            2,
            "field period (column period): \"2024-03-31\" is not the first day of a month \
             (period = \"month\"); the month containing it starts on 2024-03-01"
                .to_owned()
        )]
    );
}

#[tokio::test]
async fn a_forecast_file_that_cannot_give_the_default_distribution_fails_to_build() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "plan.csv",
        "product_id,period,mean\np,2024-01-01,1\n",
    );
    // Normal (the default) needs std_dev, and there is neither such a column nor a
    // distribution column to say otherwise.
    let errors = build(
        "csv",
        "records = \"forecasts\"\npath = \"plan.csv\"",
        dir.path(),
    )
    .err()
    .expect("a build error");
    assert_eq!(error_paths(&errors), ["records"]);
    assert!(
        errors.0[0]
            .message
            .contains("need a value for field std_dev"),
        "{}",
        errors.0[0].message
    );
    // With a distribution column, rows decide; with distribution = "poisson", mean suffices.
    assert!(
        build(
            "csv",
            "records = \"forecasts\"\npath = \"plan.csv\"\ndistribution = \"poisson\"",
            dir.path()
        )
        .is_ok()
    );
}

#[tokio::test]
async fn forecast_keys_on_other_kinds_and_missing_values_off_sales_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "s.csv", "product_id,date\np,2024-01-01\n");
    let config = r#"
        records = "sales"
        path = "s.csv"
        period = "month"
        distribution = "poisson"
        missing_values = ["NA"]
    "#;
    let errors = build("csv", config, dir.path())
        .err()
        .expect("build errors");
    assert_eq!(
        error_paths(&errors),
        ["period", "distribution", "missing_values"]
    );
    assert!(
        errors.0[2].message.contains("no quantity column"),
        "{}",
        errors.0[2].message
    );

    write(
        dir.path(),
        "plan.csv",
        "product_id,period,mean\np,2024-01-01,1\n",
    );
    let config = r#"
        records = "forecasts"
        path = "plan.csv"
        distribution = "poisson"
        missing_values = ["NA"]
        columns = { wibble = "mean" }
    "#;
    let errors = build("csv", config, dir.path())
        .err()
        .expect("build errors");
    assert_eq!(error_paths(&errors), ["columns.wibble", "missing_values"]);
    assert!(
        errors.0[0].message.contains(
            "the fields are: product_id, period, distribution, mean, std_dev, values, probabilities"
        ),
        "{}",
        errors.0[0].message
    );
}

#[tokio::test]
async fn missing_values_become_nan_and_are_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "sales.csv",
        "part,month,units\n\
         p1,1998-01-01,2\n\
         p1,1998-02-01,NA\n\
         p1,1998-03-01,\n\
         p1,1998-04-01, NA \n\
         p1,1998-05-01,n/a\n",
    );
    let base = r#"
        records = "sales"
        path = "sales.csv"
        columns = { product_id = "part", date = "month", quantity = "units" }
    "#;

    // Without missing_values nothing changes: an empty cell is 1 unit, NA is not a number.
    let got = collect("csv", base, dir.path()).await;
    let quantities: Vec<_> = got.dataset().sales.iter().map(|s| s.quantity).collect();
    assert_eq!(quantities, [2.0, 1.0]);
    assert_eq!(got.quarantined.len(), 3);
    assert_eq!(
        got.diagnostics[0].message,
        "read 2 records, quarantined 3 rows"
    );

    let got = collect(
        "csv",
        &format!("{base}\nmissing_values = [\"NA\"]"),
        dir.path(),
    )
    .await;
    let sales = &got.dataset().sales;
    let quantities: Vec<_> = sales.iter().map(|s| s.quantity).collect();
    assert_eq!(quantities[0], 2.0);
    assert!(quantities[1].is_nan() && quantities[3].is_nan());
    assert_eq!(quantities[2], 1.0);
    assert_eq!(sales.len(), 4);
    assert_eq!(
        quarantined(&got),
        [(
            6,
            "field quantity (column units): \"n/a\" is not a number".to_owned()
        )]
    );
    assert_eq!(
        got.diagnostics[0].message,
        "read 4 records, quarantined 1 rows; 2 sales have a quantity recorded as unknown (NaN: a \
         cell \"NA\" in missing_values)"
    );
    assert_eq!(got.diagnostics[0].severity, Severity::Info);

    let got = collect(
        "csv",
        &format!("{base}\nmissing_values = [\"NA\", \"\", \"n/a\"]"),
        dir.path(),
    )
    .await;
    let unknown = got
        .dataset()
        .sales
        .iter()
        .filter(|s| s.quantity.is_nan())
        .count();
    assert_eq!((unknown, got.quarantined.len()), (4, 0));
    assert!(
        got.diagnostics[0]
            .message
            .ends_with("4 sales have a quantity recorded as unknown (NaN: a cell \"NA\" or \"\" or \"n/a\" in missing_values)"),
        "{}",
        got.diagnostics[0].message
    );
}

#[tokio::test]
async fn missing_values_in_jsonl() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "sales.jsonl",
        r#"{"product_id":"p","date":"2024-01-01","quantity":3}
{"product_id":"p","date":"2024-01-02","quantity":"NA"}
{"product_id":"p","date":"2024-01-03","quantity":null}
{"product_id":"p","date":"2024-01-04"}
"#,
    );
    let config = "records = \"sales\"\npath = \"sales.jsonl\"\nmissing_values = [\"NA\"]";
    let got = collect("jsonl", config, dir.path()).await;
    let quantities: Vec<_> = got.dataset().sales.iter().map(|s| s.quantity).collect();
    assert_eq!(quantities[0], 3.0);
    assert!(quantities[1].is_nan());
    // null and an absent key are "no value": 1 unit, unless "" is a marker.
    assert_eq!(quantities[2..], [1.0, 1.0]);

    let config = "records = \"sales\"\npath = \"sales.jsonl\"\nmissing_values = [\"NA\", \"\"]";
    let got = collect("jsonl", config, dir.path()).await;
    let unknown = got
        .dataset()
        .sales
        .iter()
        .filter(|s| s.quantity.is_nan())
        .count();
    assert_eq!(unknown, 3);
}
