//! Reading CSV files: header, quoting, field counts, encodings, gzip and bad values.

mod common;

use chrono::{DateTime, Utc};
use common::{collect, gzip, write};
use std::sync::{Arc, OnceLock};

use restock_core::{Context, DocumentKind, MemorySink, Progress, ProgressFactory, Severity};

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("test timestamp")
}

#[tokio::test]
async fn bom_and_quoted_header_names_are_exact() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.csv",
        "\u{FEFF}\"review_id\",\"sku\",\"rating\",\"text\",\"created_at\"\n\
         r1,p1,5,Great,2018-06-01\n\
         r2,p2,3,\"So, so\",2018-06-02\n",
    );
    let config = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { id = "review_id", product_id = "sku" }
    "#;
    let got = collect("csv", config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].id, "r1");
    assert_eq!(docs[0].product_id.as_deref(), Some("p1"));
    assert_eq!(docs[0].rating, Some(5.0));
    assert_eq!(docs[0].text, "Great");
    assert_eq!(docs[0].kind, DocumentKind::Review);
    assert_eq!(docs[0].created_at, utc("2018-06-01T00:00:00Z"));
    assert_eq!(docs[1].id, "r2");
    assert_eq!(docs[1].product_id.as_deref(), Some("p2"));
    assert_eq!(docs[1].rating, Some(3.0));
    assert_eq!(docs[1].text, "So, so");
    assert_eq!(docs[1].provenance.line, Some(3));
    assert!(docs[1].provenance.source.ends_with("reviews.csv"));
}

#[tokio::test]
async fn quoted_field_with_newlines_and_doubled_quote_is_one_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.csv",
        "id,created_at,text\n\
         r1,2018-06-01,\"line one\nline two\nsaid \"\"wow\"\" twice\"\n\
         r2,2018-06-02,after\n",
    );
    let config = r#"
        records = "documents"
        path = "reviews.csv"
    "#;
    let got = collect("csv", config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].text, "line one\nline two\nsaid \"wow\" twice");
    assert_eq!(docs[0].provenance.line, Some(2));
    assert_eq!(docs[1].text, "after");
    assert_eq!(docs[1].provenance.line, Some(5));
}

#[tokio::test]
async fn a_short_row_is_quarantined_and_the_others_are_unaffected() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.csv",
        "id,created_at,rating,text\n\
         r1,2018-06-01,4,first\n\
         r2,2018-06-02,second\n\
         r3,2018-06-03,2,third\n",
    );
    let config = r#"
        records = "documents"
        path = "reviews.csv"
    "#;
    let got = collect("csv", config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert_eq!(docs.len(), 2);
    assert_eq!(
        (docs[0].id.as_str(), docs[0].rating, docs[0].text.as_str()),
        ("r1", Some(4.0), "first")
    );
    assert_eq!(
        (docs[1].id.as_str(), docs[1].rating, docs[1].text.as_str()),
        ("r3", Some(2.0), "third")
    );
    assert_eq!(docs[1].provenance.line, Some(4));
    assert_eq!(got.quarantined.len(), 1);
    let q = &got.quarantined[0];
    assert_eq!(q.location.line, Some(3));
    assert!(
        q.reason.contains("expected 4 fields, found 3"),
        "{}",
        q.reason
    );
    assert_eq!(q.raw, "r2,2018-06-02,second");
    assert_eq!(q.component, "test");
    // The invariant: records read + quarantined = data rows.
    assert_eq!(docs.len() + got.quarantined.len(), 3);
    let info: Vec<_> = got
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Info)
        .collect();
    assert_eq!(info.len(), 1);
    assert_eq!(info[0].message, "read 2 records, quarantined 1 rows");
}

#[tokio::test]
async fn a_long_row_is_quarantined_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "p.csv",
        "id,title\np1,Soap\np2,Shampoo,extra\n\np3,Brush\n",
    );
    let got = collect(
        "csv",
        "records = \"products\"\npath = \"p.csv\"",
        dir.path(),
    )
    .await;
    let products = &got.dataset().products;
    let ids: Vec<_> = products.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p1", "p3"]);
    assert_eq!(products[1].provenance.line, Some(5));
    assert_eq!(got.reasons(), ["expected 2 fields, found 3"]);
    assert_eq!(got.quarantined[0].location.line, Some(3));
}

#[tokio::test]
async fn gzip_csv_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "product_id,date,quantity\np1,2018-06-01,2\np2,2018-06-02,\n";
    write(dir.path(), "sales.csv.gz", gzip(text.as_bytes()));
    // Magic bytes alone are enough.
    write(dir.path(), "sales-gz-unnamed.csv", gzip(text.as_bytes()));
    for path in ["sales.csv.gz", "sales-gz-unnamed.csv"] {
        let config = format!("records = \"sales\"\npath = \"{path}\"");
        let got = collect("csv", &config, dir.path()).await;
        let sales = &got.dataset().sales;
        assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
        assert_eq!(sales.len(), 2);
        assert_eq!(sales[0].product_id, "p1");
        assert_eq!(sales[0].date.to_string(), "2018-06-01");
        assert_eq!(sales[0].quantity, 2.0);
        // An empty quantity cell takes the default, like a missing column.
        assert_eq!(sales[1].quantity, 1.0);
    }
}

#[tokio::test]
async fn latin1_text_is_decoded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = b"id;created_at;title;text\nr1;2018-06-01;P".to_vec();
    bytes.push(0xE3); // ã
    bytes.extend_from_slice(b"o;caf");
    bytes.push(0xE9); // é
    bytes.extend_from_slice(b" com a");
    bytes.push(0xE7); // ç
    bytes.extend_from_slice(b"\xFAcar\n"); // ú
    write(dir.path(), "latin1.csv", bytes);
    let config = r#"
        records = "documents"
        path = "latin1.csv"
        delimiter = ";"
        encoding = "latin-1"
    "#;
    let got = collect("csv", config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    assert_eq!(docs[0].title.as_deref(), Some("Pão"));
    assert_eq!(docs[0].text, "café com açúcar");
}

#[tokio::test]
async fn invalid_utf8_quarantines_the_row_naming_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = b"id,created_at,text,unused\nr1,2018-06-01,caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b",x\nr2,2018-06-02,fine,");
    bytes.push(0xFF); // in a column no field reads: harmless
    bytes.extend_from_slice(b"\n");
    write(dir.path(), "bad.csv", bytes);
    let got = collect(
        "csv",
        "records = \"documents\"\npath = \"bad.csv\"",
        dir.path(),
    )
    .await;
    let docs = &got.dataset().documents;
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, "r2");
    assert_eq!(
        got.reasons(),
        [
            "field text (column text): not valid UTF-8 (if the file is Latin-1 or Windows-1252, set `encoding`)"
        ]
    );
    assert_eq!(got.quarantined[0].location.line, Some(2));
    assert_eq!(got.quarantined[0].raw, "r1,2018-06-01,caf\u{FFFD},x");
}

#[tokio::test]
async fn bad_values_are_quarantined_with_field_column_and_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.csv",
        "review_id,review_score,when,body\n\
         r1,five,2018-06-01,a\n\
         r2,7,2018-06-01,b\n\
         r3,,2018-06-01,\n\
         ,4,2018-06-01,d\n\
         r5,4.5,2018-06-01,e\n",
    );
    let config = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { id = "review_id", rating = "review_score", created_at = "when", text = "body" }
    "#;
    let got = collect("csv", config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert_eq!(
        got.reasons(),
        [
            "field rating (column review_score): \"five\" is not a number",
            "field rating (column review_score): \"7\" is outside 1–5",
            "field id (column review_id): required, but the cell is empty",
        ]
    );
    let lines: Vec<_> = got.quarantined.iter().map(|q| q.location.line).collect();
    assert_eq!(lines, [Some(2), Some(3), Some(5)]);
    // A rating-only review (here: neither) is a valid document with empty text.
    assert_eq!(docs.len(), 2);
    assert_eq!((docs[0].id.as_str(), docs[0].rating), ("r3", None));
    assert_eq!(docs[0].text, "");
    assert_eq!(docs[1].rating, Some(4.5));
    assert_eq!(docs.len() + got.quarantined.len(), 5);
}

#[tokio::test]
async fn kind_column_extra_columns_and_default_kind() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "docs.tsv",
        "id\tkind\tcreated_at\ttext\tchannel\tlang\n\
         q1\tQuestion\t2018-06-01\tDoes it fit?\tapp\ten\n\
         p1\t\t2018-06-02\tLove it\t\t\n\
         x1\tcomplaint\t2018-06-03\tbad\tweb\t\n",
    );
    let config = r#"
        records = "documents"
        path = "docs.tsv"
        delimiter = "\t"
        kind = "post"
        extra = ["channel"]
    "#;
    let got = collect("csv", config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].kind, DocumentKind::Question);
    assert_eq!(
        docs[0].extra.get("channel").map(String::as_str),
        Some("app")
    );
    assert_eq!(docs[0].lang.as_deref(), Some("en"));
    assert_eq!(docs[1].kind, DocumentKind::Post);
    assert!(docs[1].extra.is_empty());
    assert_eq!(docs[1].lang, None);
    assert_eq!(
        got.reasons(),
        [
            "field kind (column kind): \"complaint\" is not a document kind (expected review, question or post)"
        ]
    );
}

#[tokio::test]
async fn stock_and_products_with_defaults_and_ranges() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "stock.csv",
        "sku,on_hand,lead_time_days,on_order,service_level,case_pack,unit_cost\n\
         a,10,7,,0.95,6,2.5\n\
         b,3,14,5,,,\n\
         c,-1,7,,,,\n\
         d,1,7,,1.5,,\n\
         e,1,7,,,0,\n",
    );
    let config = r#"
        records = "stock"
        path = "stock.csv"
        columns = { product_id = "sku" }
    "#;
    let got = collect("csv", config, dir.path()).await;
    let stock = &got.dataset().stock;
    assert_eq!(stock.len(), 2);
    let a = &stock[0];
    assert_eq!(
        (
            a.product_id.as_str(),
            a.on_hand,
            a.lead_time_days,
            a.on_order
        ),
        ("a", 10.0, 7.0, 0.0)
    );
    assert_eq!((a.backorders, a.lead_time_std_days), (0.0, 0.0));
    assert_eq!(
        (a.service_level, a.case_pack, a.unit_cost),
        (Some(0.95), Some(6.0), Some(2.5))
    );
    assert_eq!((stock[1].on_order, stock[1].service_level), (5.0, None));
    assert_eq!(
        got.reasons(),
        [
            "field on_hand (column on_hand): \"-1\" is negative",
            "field service_level (column service_level): \"1.5\" is not strictly between 0 and 1",
            "field case_pack (column case_pack): \"0\" is not above 0",
        ]
    );

    write(
        dir.path(),
        "products.csv",
        "product_id,product_category_name,price\nx,beleza_saude,19.9\ny,,\n",
    );
    let config = r#"
        records = "products"
        path = "products.csv"
        columns = { id = "product_id", category = "product_category_name" }
    "#;
    let got = collect("csv", config, dir.path()).await;
    let products = &got.dataset().products;
    assert_eq!(products.len(), 2);
    assert_eq!(products[0].category.as_deref(), Some("beleza_saude"));
    assert_eq!(products[0].price, Some(19.9));
    assert_eq!(
        (products[1].category.as_deref(), products[1].price),
        (None, None)
    );
    assert_eq!(products[1].title, None);
}

#[tokio::test]
async fn a_file_removed_after_build_is_an_io_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "p.csv", "id\np1\n");
    let collector = common::build(
        "csv",
        "records = \"products\"\npath = \"p.csv\"",
        dir.path(),
    )
    .expect("builds");
    std::fs::remove_file(dir.path().join("p.csv")).expect("remove");
    let got = common::run(collector.as_ref()).await;
    match got.result {
        Err(restock_core::Error::Io { source_name, .. }) => {
            assert!(source_name.ends_with("p.csv"), "{source_name}")
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[tokio::test]
async fn record_count_invariant_on_a_messy_file() {
    // 12 data rows: good ones, short and long rows, bad values, invalid UTF-8, a multi-line
    // quoted field, CRLF line ends and blank lines (which are not rows).
    let mut bytes = b"id,created_at,rating,text\r\n\
        r1,2018-06-01,5,ok\r\n\
        r2,2018-06-01,5\r\n\
        r3,2018-06-01,5,ok,extra\r\n\
        \r\n\
        r4,2018-06-01,x,ok\r\n\
        r5,not a date,5,ok\r\n\
        r6,2018-06-01,,\"multi\r\nline\"\r\n\
        r7,2018-06-01,0,ok\r\n\
        r8,2018-06-01,4,caf"
        .to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(
        b"\r\n\
        ,2018-06-01,4,no id\r\n\
        r10,2018-06-01,4,\"unterminated\r\n\
        r11,2018-06-01,1,last\r\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "messy.csv", &bytes);
    let got = collect(
        "csv",
        "records = \"documents\"\npath = \"messy.csv\"",
        dir.path(),
    )
    .await;
    let docs = &got.dataset().documents;
    let read: Vec<_> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.provenance.line))
        .collect();
    assert_eq!(read, [("r1", Some(2)), ("r6", Some(8))]);
    assert_eq!(docs[1].text, "multi\r\nline");
    let quarantined: Vec<_> = got.quarantined.iter().map(|q| q.location.line).collect();
    // r10's quote is never closed: the CSV grammar reads the rest of the file into its text
    // (one row of 4 fields), which is caught and quarantined instead of read.
    assert_eq!(
        quarantined,
        [
            Some(3),
            Some(4),
            Some(6),
            Some(7),
            Some(10),
            Some(11),
            Some(12),
            Some(13)
        ]
    );
    // Rows as the CSV grammar sees them: 10 (r10 and r11 are one row).
    assert_eq!(docs.len() + got.quarantined.len(), 10);
    let info = &got.diagnostics[0];
    assert_eq!(info.message, "read 2 records, quarantined 8 rows");
}

/// Cancels the run the first time progress is reported (after the first 10,000 rows).
struct CancelOnProgress(Arc<OnceLock<Context>>);

impl ProgressFactory for CancelOnProgress {
    fn start(&self, _label: &str, _len: Option<u64>) -> Box<dyn Progress> {
        Box::new(CancelOnProgress(self.0.clone()))
    }
}

impl Progress for CancelOnProgress {
    fn inc(&self, _n: u64) {
        if let Some(ctx) = self.0.get() {
            ctx.cancel();
        }
    }
}

#[tokio::test]
async fn a_cancelled_run_stops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("id\n");
    for i in 0..25_000 {
        text.push_str(&format!("p{i}\n"));
    }
    write(dir.path(), "p.csv", text);
    let collector = common::build(
        "csv",
        "records = \"products\"\npath = \"p.csv\"",
        dir.path(),
    )
    .expect("builds");

    // Cancelled before it starts.
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new("2018-08-01".parse().expect("date"), sink);
    ctx.cancel();
    assert!(matches!(
        collector.collect(&ctx).await,
        Err(restock_core::Error::Cancelled)
    ));

    // Cancelled while reading: stops at the next check, after 10,000 rows.
    let cell = Arc::new(OnceLock::new());
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new("2018-08-01".parse().expect("date"), sink.clone()).with_services(
        Arc::new(CancelOnProgress(cell.clone())),
        dir.path().join("cache"),
        Arc::new(|_| None),
    );
    cell.set(ctx.clone()).expect("set once");
    assert!(matches!(
        collector.collect(&ctx).await,
        Err(restock_core::Error::Cancelled)
    ));
    assert!(sink.take().0.is_empty(), "no summary for a cancelled run");
}
