//! Mistakes caught when the collector is built, each at the key at fault.

mod common;

use common::{build, error_paths, write};
use restock_core::ConfigErrors;

fn build_errors(type_name: &str, config: &str, base: &std::path::Path) -> ConfigErrors {
    match build(type_name, config, base) {
        Ok(_) => panic!("expected build errors for:\n{config}"),
        Err(errors) => errors,
    }
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.csv",
        "review_id,order_id,review_score,created_at\nr1,o1,5,2018-06-01\n",
    );
    write(dir.path(), "items.csv", "order_id,product_id\no1,pA\n");
    dir
}

#[test]
fn an_unknown_field_in_columns_names_the_allowed_fields() {
    let dir = fixture();
    let config = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { id = "review_id", rattng = "review_score" }
    "#;
    let errors = build_errors("csv", config, dir.path());
    assert_eq!(error_paths(&errors), ["columns.rattng"]);
    assert_eq!(
        errors.0[0].message,
        "unknown field \"rattng\" for records = \"documents\"; the fields are: id, product_id, \
         kind, title, text, rating, created_at, lang"
    );
    assert!(errors.0[0].span.is_some());
}

#[test]
fn a_missing_file_and_an_unknown_encoding() {
    let dir = fixture();
    let config = r#"
        records = "documents"
        path = "nope.csv"
        encoding = "klingon"
        delimiter = ";;"
    "#;
    let errors = build_errors("csv", config, dir.path());
    assert_eq!(error_paths(&errors), ["encoding", "delimiter", "path"]);
    assert!(
        errors.0[0]
            .message
            .starts_with("unknown encoding \"klingon\""),
        "{}",
        errors.0[0]
    );
    assert!(
        errors.0[2].message.starts_with("file not found: "),
        "{}",
        errors.0[2]
    );
    assert!(errors.0[2].message.ends_with("nope.csv"), "{}", errors.0[2]);
}

#[test]
fn join_paths_are_reported_inside_the_join() {
    let dir = fixture();
    let one = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { id = "review_id" }
        join = { path = "missing.csv", on = "order_id", columns = { product_id = "product_id" } }
    "#;
    assert_eq!(
        error_paths(&build_errors("csv", one, dir.path())),
        ["join.path"]
    );
    let many = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { id = "review_id" }
        join = [
            { path = "items.csv", on = "order_id", columns = { product_id = "product_id" } },
            { path = "missing.csv", on = "order_id", columns = { lang = "language", colour = "c" }, encoding = "nope" },
        ]
    "#;
    assert_eq!(
        error_paths(&build_errors("csv", many, dir.path())),
        ["join[1].encoding", "join[1].path", "join[1].columns.colour"]
    );
}

#[test]
fn columns_missing_from_the_header() {
    let dir = fixture();
    // A mapped column that is not in the header is reported at its key; a required field with
    // no mapping and no column of its name is reported at `records`.
    let config = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { rating = "score" }
        extra = ["order_id", "channel"]
    "#;
    let errors = build_errors("csv", config, dir.path());
    assert_eq!(
        error_paths(&errors),
        ["records", "columns.rating", "extra[1]"]
    );
    assert!(
        errors.0[0].message.contains("needs a value for field id"),
        "{}",
        errors.0[0]
    );
    assert!(
        errors.0[0]
            .message
            .contains("\"review_id\", \"order_id\", \"review_score\", \"created_at\""),
        "{}",
        errors.0[0]
    );
    assert!(
        errors.0[1]
            .message
            .starts_with("reviews.csv has no column \"score\""),
        "{}",
        errors.0[1]
    );

    let join = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { id = "review_id" }
        join = { path = "items.csv", on = "order", columns = { product_id = "sku" } }
    "#;
    assert_eq!(
        error_paths(&build_errors("csv", join, dir.path())),
        ["join.on", "join.on", "join.columns.product_id"]
    );
}

#[test]
fn keys_that_do_not_fit_the_record_kind_or_format() {
    let dir = fixture();
    write(
        dir.path(),
        "stock.csv",
        "product_id,on_hand,lead_time_days\na,1,2\n",
    );
    let config = r#"
        records = "stock"
        path = "stock.csv"
        kind = "review"
        extra = ["x"]
        date_format = "%d/%m/%Y"
    "#;
    assert_eq!(
        error_paths(&build_errors("csv", config, dir.path())),
        ["extra", "kind", "date_format"]
    );
    write(dir.path(), "r.jsonl", "{}\n");
    let jsonl = r#"
        records = "documents"
        path = "r.jsonl"
        delimiter = ","
        date_format = "%Q"
    "#;
    assert_eq!(
        error_paths(&build_errors("jsonl", jsonl, dir.path())),
        ["delimiter", "date_format"]
    );
}

#[test]
fn shape_errors_come_from_deserialisation() {
    let dir = fixture();
    let config = r#"
        records = "reviews"
        path = "reviews.csv"
        colums = { id = "review_id" }
    "#;
    let errors = build_errors("csv", config, dir.path());
    let paths = error_paths(&errors);
    assert!(paths.contains(&"colums".to_owned()), "{paths:?}");
    assert!(paths.contains(&"records".to_owned()), "{paths:?}");
    let join = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { id = "review_id" }
        join = { path = "items.csv", columns = { product_id = "product_id" }, how = "left" }
    "#;
    let paths = error_paths(&build_errors("csv", join, dir.path()));
    assert_eq!(paths, ["join.how", "join"], "{paths:?}");
}

#[test]
fn an_empty_csv_file_is_reported_at_path() {
    let dir = fixture();
    write(dir.path(), "empty.csv", "");
    let errors = build_errors(
        "csv",
        "records = \"products\"\npath = \"empty.csv\"",
        dir.path(),
    );
    assert_eq!(error_paths(&errors), ["path"]);
    assert!(
        errors.0[0].message.contains("the file is empty"),
        "{}",
        errors.0[0]
    );
}
