//! Date forms: RFC 3339, YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, unix seconds, and `date_format`.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use common::{collect, write};

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("test timestamp")
}

#[tokio::test]
async fn the_default_date_forms_are_accepted_and_a_bad_date_is_quarantined() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.csv",
        "id,created_at\n\
         rfc,2018-06-12T10:15:00-03:00\n\
         rfcz,2018-06-12T10:15:00.5Z\n\
         day,2018-06-12\n\
         datetime,2018-06-12 08:30:05\n\
         unix,1528761600\n\
         basic,20180612\n\
         bad,2018-02-30\n\
         badbasic,20181345\n\
         words,last tuesday\n\
         empty,\n",
    );
    let got = collect(
        "csv",
        "records = \"documents\"\npath = \"reviews.csv\"",
        dir.path(),
    )
    .await;
    let docs = &got.dataset().documents;
    let got_dates: Vec<_> = docs.iter().map(|d| (d.id.as_str(), d.created_at)).collect();
    assert_eq!(
        got_dates,
        [
            ("rfc", utc("2018-06-12T13:15:00Z")),
            ("rfcz", utc("2018-06-12T10:15:00.5Z")),
            ("day", utc("2018-06-12T00:00:00Z")),
            ("datetime", utc("2018-06-12T08:30:05Z")),
            ("unix", utc("2018-06-12T00:00:00Z")),
            // Eight digits are a basic-form date, not seconds in 1970.
            ("basic", utc("2018-06-12T00:00:00Z")),
        ]
    );
    let expected_tail = " is not a date (expected RFC 3339, YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, \
                         YYYYMMDD or unix seconds; set date_format for other forms)";
    assert_eq!(
        got.reasons(),
        [
            format!("field created_at (column created_at): \"2018-02-30\"{expected_tail}"),
            format!("field created_at (column created_at): \"20181345\"{expected_tail}"),
            format!("field created_at (column created_at): \"last tuesday\"{expected_tail}"),
            "field created_at (column created_at): required, but the cell is empty".to_owned(),
        ]
    );
    let lines: Vec<_> = got.quarantined.iter().map(|q| q.location.line).collect();
    assert_eq!(lines, [Some(8), Some(9), Some(10), Some(11)]);
}

#[tokio::test]
async fn a_configured_date_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "sales.csv",
        "sku,day\na,12/06/2018\nb,2018-06-12\n",
    );
    let config = r#"
        records = "sales"
        path = "sales.csv"
        columns = { product_id = "sku", date = "day" }
        date_format = "%d/%m/%Y"
    "#;
    let got = collect("csv", config, dir.path()).await;
    let sales = &got.dataset().sales;
    assert_eq!(sales.len(), 1);
    assert_eq!(
        sales[0].date,
        NaiveDate::from_ymd_opt(2018, 6, 12).expect("date")
    );
    assert_eq!(
        got.reasons(),
        ["field date (column day): \"2018-06-12\" does not match date_format \"%d/%m/%Y\""]
    );
}
