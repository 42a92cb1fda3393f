//! Joins: one record per distinct combination of joined values; no match for a required field
//! quarantines the row; no match for optional fields keeps the row.

mod common;

use common::{collect, write};
use restock_core::Severity;

const REVIEWS: &str = "review_id,order_id,review_score,review_creation_date,review_comment_message
r1,o1,5,2018-06-01 00:00:00,one product three units
r2,o2,4,2018-06-02 00:00:00,two products
r3,o3,2,2018-06-03 00:00:00,no items
r4,,3,2018-06-04 00:00:00,no order id
";

const ITEMS: &str = "order_id,order_item_id,product_id,price
o1,1,pA,10
o1,2,pA,10
o1,3,pA,10
o2,1,pB,5
o2,2,pC,7
o2,3,pB,5
";

const REVIEWS_CONFIG: &str = r#"
    records = "documents"
    path = "reviews.csv"
    columns = { id = "review_id", rating = "review_score", created_at = "review_creation_date", text = "review_comment_message" }
    join = { path = "items.csv", on = "order_id", columns = { product_id = "product_id" } }
"#;

#[tokio::test]
async fn one_document_per_distinct_joined_product() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "reviews.csv", REVIEWS);
    write(dir.path(), "items.csv", ITEMS);
    let got = collect("csv", REVIEWS_CONFIG, dir.path()).await;
    let docs = &got.dataset().documents;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    let pairs: Vec<_> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.product_id.as_deref()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("r1", Some("pA")),
            ("r2", Some("pB")),
            ("r2", Some("pC")),
            ("r3", None),
            ("r4", None),
        ]
    );
    // Both documents of r2 point at the review's line and carry its values.
    assert_eq!(docs[1].provenance, docs[2].provenance);
    assert_eq!(docs[2].provenance.line, Some(3));
    assert_eq!(
        (docs[2].rating, docs[2].text.as_str()),
        (Some(4.0), "two products")
    );
    let info = &got.diagnostics[0];
    assert_eq!(info.severity, Severity::Info);
    assert!(
        info.message
            .starts_with("read 5 records, quarantined 0 rows"),
        "{}",
        info.message
    );
    assert!(
        info.message.contains("4 rows of reviews.csv"),
        "{}",
        info.message
    );
    let warning = &got.diagnostics[1];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(
        warning.message,
        "2 rows of reviews.csv have no match in items.csv on order_id; for them, product_id \
         left empty"
    );
}

#[tokio::test]
async fn no_match_for_a_required_field_quarantines_the_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "order_items.csv",
        "order_id,order_item_id,product_id,price\n\
         o1,1,pA,10.5\n\
         o1,2,pA,10.5\n\
         o9,1,pZ,3\n\
         o2,1,pB,5\n\
         o3,1,pC,1\n\
         ,1,pD,1\n",
    );
    write(
        dir.path(),
        "olist_orders_dataset.csv",
        "order_id,order_purchase_timestamp\n\
         o1,2018-05-30 10:00:00\n\
         o2,2018-05-31 11:00:00\n\
         o3,yesterday\n\
         o4,2018-05-31,extra\n",
    );
    let config = r#"
        records = "sales"
        path = "order_items.csv"
        columns = { unit_price = "price" }
        join = [{ path = "olist_orders_dataset.csv", on = "order_id", columns = { date = "order_purchase_timestamp" } }]
    "#;
    let got = collect("csv", config, dir.path()).await;
    let sales = &got.dataset().sales;
    // One sale per item row: the join adds one date per order, so nothing fans out or merges.
    let got_sales: Vec<_> = sales
        .iter()
        .map(|s| {
            (
                s.product_id.as_str(),
                s.date.to_string(),
                s.order_id.as_deref(),
                s.quantity,
                s.unit_price,
            )
        })
        .collect();
    assert_eq!(
        got_sales,
        [
            ("pA", "2018-05-30".to_owned(), Some("o1"), 1.0, Some(10.5)),
            ("pA", "2018-05-30".to_owned(), Some("o1"), 1.0, Some(10.5)),
            ("pB", "2018-05-31".to_owned(), Some("o2"), 1.0, Some(5.0)),
        ]
    );
    let found: Vec<_> = got
        .quarantined
        .iter()
        .map(|q| {
            let file = q.location.source.rsplit('/').next().unwrap_or_default();
            (file.to_owned(), q.location.line, q.reason.clone())
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "olist_orders_dataset.csv".to_owned(),
                Some(5),
                "expected 2 fields, found 3 (joined file)".to_owned()
            ),
            (
                "order_items.csv".to_owned(),
                Some(4),
                "no row with order_id = \"o9\" in olist_orders_dataset.csv (join), needed for \
                 required field date"
                    .to_owned()
            ),
            (
                "order_items.csv".to_owned(),
                Some(6),
                "field date (column order_purchase_timestamp of olist_orders_dataset.csv line 4, \
                 joined): \"yesterday\" is not a date (expected RFC 3339, YYYY-MM-DD, \
                 YYYY-MM-DD HH:MM:SS, YYYYMMDD or unix seconds; set date_format for other forms)"
                    .to_owned()
            ),
            (
                "order_items.csv".to_owned(),
                Some(7),
                "join key (column order_id) is empty, so no row of olist_orders_dataset.csv \
                 (join) can fill required field date"
                    .to_owned()
            ),
        ]
    );
    let main_quarantined = got
        .quarantined
        .iter()
        .filter(|q| q.location.source.ends_with("order_items.csv"))
        .count();
    assert_eq!(sales.len() + main_quarantined, 6);
}

#[tokio::test]
async fn several_joins_and_differently_named_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "reviews.csv", REVIEWS);
    write(dir.path(), "items.csv", ITEMS);
    write(
        dir.path(),
        "orders.jsonl",
        "{\"id\":\"o1\",\"language\":\"pt-BR\"}\n{\"id\":\"o2\",\"language\":\"en\"}\n{\"id\":\"o2\",\"language\":\"es\"}\n",
    );
    let config = r#"
        records = "documents"
        path = "reviews.csv"
        columns = { id = "review_id", rating = "review_score", created_at = "review_creation_date" }
        join = [
            { path = "items.csv", on = "order_id", columns = { product_id = "product_id" } },
            { path = "orders.jsonl", on = { left = "order_id", right = "id" }, columns = { lang = "language" } },
        ]
    "#;
    let got = collect("csv", config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    let got_docs: Vec<_> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.product_id.as_deref(), d.lang.as_deref()))
        .collect();
    assert_eq!(
        got_docs,
        [
            ("r1", Some("pA"), Some("pt-BR")),
            ("r2", Some("pB"), Some("en")),
            ("r2", Some("pB"), Some("es")),
            ("r2", Some("pC"), Some("en")),
            ("r2", Some("pC"), Some("es")),
            ("r3", None, None),
            ("r4", None, None),
        ]
    );
}

#[tokio::test]
async fn a_joined_field_overrides_the_main_files_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "reviews.csv",
        "id,order_id,product_id,created_at\nr1,o1,stale,2018-06-01\n",
    );
    write(dir.path(), "items.csv", ITEMS);
    let config = r#"
        records = "documents"
        path = "reviews.csv"
        join = { path = "items.csv", on = "order_id", columns = { product_id = "product_id" } }
    "#;
    let got = collect("csv", config, dir.path()).await;
    let docs = &got.dataset().documents;
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].product_id.as_deref(), Some("pA"));
}

#[tokio::test]
async fn a_field_also_in_columns_falls_back_to_it_without_a_match() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "products.csv",
        "product_id,product_category_name\np1,beleza_saude\np2,pc_gamer\np3,\n",
    );
    write(
        dir.path(),
        "translation.csv",
        "product_category_name,product_category_name_english\nbeleza_saude,health_beauty\n",
    );
    let config = r#"
        records = "products"
        path = "products.csv"
        columns = { id = "product_id", category = "product_category_name" }
        join = { path = "translation.csv", on = "product_category_name", columns = { category = "product_category_name_english" } }
    "#;
    let got = collect("csv", config, dir.path()).await;
    let categories: Vec<_> = got
        .dataset()
        .products
        .iter()
        .map(|p| (p.id.as_str(), p.category.as_deref()))
        .collect();
    assert_eq!(
        categories,
        [
            ("p1", Some("health_beauty")),
            ("p2", Some("pc_gamer")),
            ("p3", None)
        ]
    );
    assert_eq!(
        got.diagnostics[1].message,
        "2 rows of products.csv have no match in translation.csv on product_category_name; for \
         them, category read from column product_category_name instead"
    );
}

#[tokio::test]
async fn a_sale_matching_two_different_orders_is_quarantined_not_counted_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "items.csv",
        "order_id,product_id\no1,pA\no3,pB\no1,pC\n",
    );
    // o3 appears twice with different dates: a data error, not two sales.
    write(
        dir.path(),
        "orders.csv",
        "order_id,order_purchase_timestamp\no1,2018-06-01 10:00:00\no3,2018-06-02 10:00:00\no3,2018-06-09 10:00:00\no1,2018-06-01 10:00:00\n",
    );
    let config = r#"
        records = "sales"
        path = "items.csv"
        join = { path = "orders.csv", on = "order_id", columns = { date = "order_purchase_timestamp" } }
    "#;
    let got = collect("csv", config, dir.path()).await;
    let sales: Vec<_> = got
        .dataset()
        .sales
        .iter()
        .map(|s| (s.product_id.as_str(), s.date.to_string()))
        .collect();
    // o1's duplicate row has the same values: one distinct match, not ambiguous.
    assert_eq!(
        sales,
        [
            ("pA", "2018-06-01".to_owned()),
            ("pC", "2018-06-01".to_owned())
        ]
    );
    assert_eq!(
        got.reasons(),
        [
            "order_id = \"o3\" matches 2 different rows of orders.csv (lines 3, 4); sales need \
          exactly one (only documents may join one-to-many)"
        ]
    );
}
