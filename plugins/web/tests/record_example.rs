//! Re-records `examples/web-reviews/snapshots/` from the loopback site serving the two saved
//! Amazon pages (tests/fixtures, see PROVENANCE.md there) on 127.0.0.1:8731, with the example
//! manifest's own `html` collectors (`offline` turned off). Not run by default:
//!
//!   cargo test -p restock-web --test record_example -- --ignored

mod support;

use std::path::Path;
use std::sync::Arc;

use restock_core::{Context, MemorySink};
use support::{Reply, Site};

const EN_PAGE: &[u8] = include_bytes!("fixtures/amazon_com_customer_reviews_B0BBPNPZTC.html");
const IT_PAGE: &[u8] = include_bytes!("fixtures/amazon_product-reviews-B07747FR44-1.html");

#[tokio::test]
#[ignore = "rewrites examples/web-reviews/snapshots/"]
async fn record_the_web_reviews_example() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/web-reviews");
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(example.join("pipeline.toml")).unwrap()).unwrap();
    let snapshots = example.join("snapshots");
    let _ = std::fs::remove_dir_all(&snapshots);

    let site = Site::start_on(8731).await;
    site.route(
        "/robots.txt",
        vec![Reply::status(200, "User-agent: *\nAllow: /\n")],
    )
    .route("/product-reviews/B0BBPNPZTC/", vec![Reply::html(EN_PAGE)])
    .route("/product-reviews/B07747FR44/", vec![Reply::html(IT_PAGE)]);

    let mut documents = 0;
    for collect in manifest["collect"].as_array().unwrap() {
        let mut table = collect.as_table().unwrap().clone();
        assert_eq!(table.remove("type").unwrap().as_str(), Some("html"));
        table.remove("name");
        table.insert("offline".into(), false.into());
        table.insert(
            "snapshot_dir".into(),
            snapshots.to_str().unwrap().to_owned().into(),
        );
        let config: restock_web::HtmlConfig = table.try_into().unwrap();
        let collector = restock_web::html_collector(config).unwrap();
        let sink = Arc::new(MemorySink::default());
        let ctx = Context::new(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), sink);
        documents += collector.collect(&ctx).await.unwrap().documents.len();
    }
    assert_eq!(documents, 20);
    site.stop().await;
}
