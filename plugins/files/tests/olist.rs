//! The real Olist sample (examples/olist/data): reviews joined with order items become one
//! document per product of the order, and nothing is quarantined. Skipped, with a message, when
//! the data is not there.

mod common;

use std::path::{Path, PathBuf};

use common::collect;
use restock_core::Severity;

fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/olist/data");
    let needed = [
        "olist_order_reviews_dataset.csv",
        "olist_order_items_dataset.csv",
        "olist_orders_dataset.csv",
        "olist_products_dataset.csv",
    ];
    if needed.iter().all(|f| dir.join(f).is_file()) {
        Some(dir)
    } else {
        println!(
            "skipped: the Olist sample is not in {} (see examples/olist/data/PROVENANCE.md)",
            dir.display()
        );
        None
    }
}

#[tokio::test]
async fn olist_reviews_joined_with_items() {
    let Some(dir) = data_dir() else { return };
    let config = r#"
        records = "documents"
        path = "olist_order_reviews_dataset.csv"
        columns = { id = "review_id", rating = "review_score", title = "review_comment_title", text = "review_comment_message", created_at = "review_creation_date" }
        extra = ["order_id"]
        join = { path = "olist_order_items_dataset.csv", on = "order_id", columns = { product_id = "product_id" } }
    "#;
    let got = collect("csv", config, &dir).await;
    let docs = &got.dataset().documents;
    assert!(
        got.quarantined.is_empty(),
        "quarantined: {:?}",
        &got.quarantined[..got.quarantined.len().min(5)]
    );
    // 3,986 reviews; 119 of them are of orders with several distinct products and 23 of orders
    // without items: 3,986 - 119 + (documents of the 119) = 4,122 documents.
    assert_eq!(docs.len(), 4122);
    let mut review_ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    review_ids.dedup();
    assert_eq!(review_ids.len(), 3986);
    assert_eq!(docs.iter().filter(|d| d.product_id.is_none()).count(), 23);
    let with_text: std::collections::BTreeSet<&str> = docs
        .iter()
        .filter(|d| !d.text.is_empty())
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(with_text.len(), 1656);

    let first = &docs[0];
    assert_eq!(first.id, "7b00d98bac04a404375e12b9ff15b749");
    assert_eq!(first.rating, Some(3.0));
    assert_eq!(first.title.as_deref(), Some("Não vale muito apena "));
    assert_eq!(first.created_at.to_rfc3339(), "2018-06-12T00:00:00+00:00");
    assert_eq!(
        first.extra.get("order_id").map(String::as_str),
        Some("cb1d3422684cab64f603f1b70a68e2ef")
    );
    assert_eq!(first.provenance.line, Some(2));

    // A message with a line break inside quotes is one document, text intact, on its line.
    let multi = docs
        .iter()
        .find(|d| d.id == "3b4189089996e8f0036b1666c2abd040")
        .expect("review present");
    assert_eq!(
        multi.text,
        "Muito obrigada pelo atendimento\r\nDeu tudo certo"
    );
    assert_eq!(multi.provenance.line, Some(52));

    let info = &got.diagnostics[0];
    assert_eq!(info.severity, Severity::Info);
    assert!(
        info.message
            .starts_with("read 4122 records, quarantined 0 rows"),
        "{}",
        info.message
    );
}

#[tokio::test]
async fn olist_sales_from_items_dated_by_orders_and_products() {
    let Some(dir) = data_dir() else { return };
    let sales = r#"
        records = "sales"
        path = "olist_order_items_dataset.csv"
        columns = { unit_price = "price" }
        join = { path = "olist_orders_dataset.csv", on = "order_id", columns = { date = "order_purchase_timestamp" } }
    "#;
    let got = collect("csv", sales, &dir).await;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined.first());
    let sales = &got.dataset().sales;
    assert_eq!(sales.len(), 4519);
    assert!(
        sales
            .iter()
            .all(|s| s.quantity == 1.0 && s.unit_price.is_some())
    );
    let first = &sales[0];
    assert_eq!(first.product_id, "110adb18eeba9a0984478ee3c9302e16");
    assert_eq!(first.unit_price, Some(179.49));

    let products = r#"
        records = "products"
        path = "olist_products_dataset.csv"
        columns = { id = "product_id", category = "product_category_name" }
    "#;
    let got = collect("csv", products, &dir).await;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined.first());
    let products = &got.dataset().products;
    assert_eq!(products.len(), 3132);
    assert_eq!(products.iter().filter(|p| p.category.is_none()).count(), 49);
}
