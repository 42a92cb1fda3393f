//! Reading JSON Lines files.

mod common;

use common::{collect, gzip, write};

const CONFIG: &str = r#"
    records = "documents"
    path = "reviews.jsonl"
    columns = { id = "reviewerID", product_id = "asin", rating = "overall", text = "reviewText", created_at = "unixReviewTime" }
"#;

#[tokio::test]
async fn blank_and_whitespace_lines_are_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.jsonl",
        "{\"reviewerID\":\"u1\",\"asin\":\"B01\",\"overall\":5.0,\"reviewText\":\"Great\",\"unixReviewTime\":1528761600}\n\
         \n\
         \x20\x20\t \n\
         {\"reviewerID\":\"u2\",\"asin\":\"B02\",\"overall\":2,\"reviewText\":\"Meh\",\"unixReviewTime\":\"2018-06-13\"}\r\n\
         \r\n\
         {\"reviewerID\":\"u3\",\"asin\":\"B03\",\"overall\":null,\"unixReviewTime\":1528934400}\n\
         \n",
    );
    let got = collect("jsonl", CONFIG, dir.path()).await;
    let docs = &got.dataset().documents;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    assert_eq!(docs.len(), 3);
    let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3"]);
    let lines: Vec<_> = docs.iter().map(|d| d.provenance.line).collect();
    assert_eq!(lines, [Some(1), Some(4), Some(6)]);
    assert_eq!(docs[0].rating, Some(5.0));
    assert_eq!(docs[0].created_at.to_rfc3339(), "2018-06-12T00:00:00+00:00");
    assert_eq!(docs[1].product_id.as_deref(), Some("B02"));
    assert_eq!(docs[1].text, "Meh");
    assert_eq!(docs[1].created_at.to_rfc3339(), "2018-06-13T00:00:00+00:00");
    // null is missing: no rating, no text.
    assert_eq!((docs[2].rating, docs[2].text.as_str()), (None, ""));
    assert_eq!(
        got.diagnostics[0].message,
        "read 3 records, quarantined 0 rows"
    );
}

#[tokio::test]
async fn gzip_jsonl_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "{\"reviewerID\":\"u1\",\"asin\":\"B01\",\"overall\":4,\"reviewText\":\"Olá, ótimo\",\"unixReviewTime\":1528761600}\n";
    write(dir.path(), "reviews.jsonl.gz", gzip(text.as_bytes()));
    let config = CONFIG.replace("reviews.jsonl", "reviews.jsonl.gz");
    let got = collect("jsonl", &config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].text, "Olá, ótimo");
    assert_eq!(docs[0].rating, Some(4.0));
}

#[tokio::test]
async fn invalid_json_and_non_objects_are_quarantined_with_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.jsonl",
        "{\"reviewerID\":\"u1\",\"unixReviewTime\":1528761600}\n\
         {\"reviewerID\":\"u2\",\n\
         [1,2]\n\
         {\"reviewerID\":\"u4\",\"unixReviewTime\":1528761600,\"reviewText\":[\"a\"]}\n\
         {\"reviewerID\":7,\"unixReviewTime\":1528761600,\"overall\":\"4\"}\n\
         {\"unixReviewTime\":1528761600}\n",
    );
    let got = collect("jsonl", CONFIG, dir.path()).await;
    let docs = &got.dataset().documents;
    assert_eq!(docs.len(), 2);
    // Numbers become text for text fields, and text becomes a number for number fields.
    assert_eq!((docs[1].id.as_str(), docs[1].rating), ("7", Some(4.0)));
    let lines: Vec<_> = got.quarantined.iter().map(|q| q.location.line).collect();
    assert_eq!(lines, [Some(2), Some(3), Some(4), Some(6)]);
    let reasons = got.reasons();
    assert!(
        reasons[0].starts_with("invalid JSON at column"),
        "{}",
        reasons[0]
    );
    assert!(!reasons[0].contains("at line"), "{}", reasons[0]);
    assert_eq!(reasons[1], "expected a JSON object, found an array");
    assert_eq!(
        reasons[2],
        "field text (key reviewText): is a JSON array, expected a string or a number"
    );
    assert_eq!(
        reasons[3],
        "field id (key reviewerID): required, but absent from the row"
    );
    assert_eq!(got.quarantined[1].raw, "[1,2]");
    assert_eq!(docs.len() + got.quarantined.len(), 6);
}

#[tokio::test]
async fn unmapped_fields_read_keys_named_like_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "sales.ndjson",
        "{\"product_id\":\"p1\",\"date\":\"2018-06-01T23:30:00-03:00\",\"quantity\":3,\"unit_price\":9.5}\n\
         {\"product_id\":\"p2\",\"date\":1528761600}\n",
    );
    let got = collect(
        "jsonl",
        "records = \"sales\"\npath = \"sales.ndjson\"",
        dir.path(),
    )
    .await;
    let sales = &got.dataset().sales;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    assert_eq!(sales.len(), 2);
    // The date as written (local to its offset), not converted to UTC.
    assert_eq!(sales[0].date.to_string(), "2018-06-01");
    assert_eq!((sales[0].quantity, sales[0].unit_price), (3.0, Some(9.5)));
    assert_eq!((sales[1].quantity, sales[1].unit_price), (1.0, None));
    assert_eq!(sales[1].date.to_string(), "2018-06-12");
}
