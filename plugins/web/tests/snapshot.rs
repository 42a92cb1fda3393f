//! Offline-first: pages saved to `snapshot_dir` while scraping the loopback site, then replayed
//! with `offline = true` after the site is gone; a page not saved fails at once, naming its URL.

mod support;

use std::io::Write;
use std::path::Path;

use support::{Reply, Site, collect, try_collect};

const EN_PAGE: &[u8] = include_bytes!("fixtures/amazon_com_customer_reviews_B0BBPNPZTC.html");
const IT_PAGE: &[u8] = include_bytes!("fixtures/amazon_product-reviews-B07747FR44-1.html");

fn config(start_urls: &[String], dir: &Path, offline: bool) -> String {
    format!(
        r#"start_urls = {start_urls:?}
review = "div[data-hook=review]"
next = "a.next"
requests_per_second = 50.0
snapshot_dir = {dir:?}
offline = {offline}
fields.id = {{ attr = "id" }}
fields.product_id = {{ from = "url", regex = "product-reviews/([A-Z0-9]{{10}})" }}
fields.title = {{ selector = "[data-hook=review-title] > span:not(.a-letter-space)" }}
fields.text = {{ selector = "[data-hook=review-body]" }}
fields.rating = {{ selector = "[data-hook=review-star-rating]", regex = "^([0-9]+[.,]?[0-9]*)" }}
fields.date = {{ selector = "[data-hook=review-date]", regex = "(?:.* on )?(.+)$" }}
"#
    )
}

/// A GBK page whose only hint is its `<meta http-equiv>`, linking to a second page.
fn gbk_page(id: &str, next: Option<&str>) -> Vec<u8> {
    let link = next.map_or(String::new(), |n| {
        format!("<a class=next href=\"{n}\">下一页</a>")
    });
    let html = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head><body>\
         <div data-hook=review id=\"{id}\"><span data-hook=review-date>2024年3月5日</span>\
         <span data-hook=review-body>质量很好，物流很快</span></div>{link}</body></html>"
    );
    encoding_rs::GBK.encode(&html).0.into_owned()
}

async fn site() -> Site {
    let site = Site::start().await;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(IT_PAGE).unwrap();
    site.route(
        "/robots.txt",
        vec![Reply::status(200, "User-agent: *\nAllow: /\n")],
    )
    .route(
        "/en/product-reviews/B0BBPNPZTC/",
        vec![Reply::html(EN_PAGE)],
    )
    .route(
        "/it/product-reviews/B07747FR44/",
        vec![Reply::html(gzip.finish().unwrap()).header("Content-Encoding", "gzip")],
    )
    .route(
        "/zh/product-reviews/B000000001/?page=1",
        vec![Reply::status(200, gbk_page("zh-1", Some("?page=2")))],
    )
    .route(
        "/zh/product-reviews/B000000001/?page=2",
        vec![Reply::status(200, gbk_page("zh-2", None))],
    );
    site
}

#[tokio::test]
async fn saved_pages_replay_without_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = site().await;
    let starts = vec![
        site.url("/en/product-reviews/B0BBPNPZTC/"),
        site.url("/it/product-reviews/B07747FR44/"),
        site.url("/zh/product-reviews/B000000001/?page=1"),
    ];
    let live = collect(&config(&starts, dir.path(), false)).await;
    assert_eq!(live.dataset.documents.len(), 22, "{:?}", live.diagnostics);
    assert!(live.quarantined.is_empty(), "{:?}", live.quarantined);

    // The index lists every page with its status, content type and charset; files by hash.
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("index.json")).unwrap())
            .unwrap();
    let index = index.as_object().unwrap();
    assert_eq!(index.len(), 4, "{index:?}");
    let en = &index[&starts[0]];
    assert_eq!(en["status"], 200);
    assert_eq!(en["content_type"], "text/html");
    assert_eq!(en["charset"], "utf-8");
    let zh = &index[&site.url("/zh/product-reviews/B000000001/?page=2")];
    assert_eq!(zh["charset"], "gbk");
    assert_eq!(zh["content_type"], serde_json::Value::Null);
    for (url, entry) in index {
        let file = entry["file"].as_str().unwrap();
        assert_eq!(file, restock_web::fetch::snapshot::file_name(url));
        assert!(dir.path().join(file).is_file(), "{file}");
    }

    site.stop().await;
    let replayed = collect(&config(&starts, dir.path(), true)).await;
    assert_eq!(replayed.dataset.documents, live.dataset.documents);
    let zh = replayed.dataset.documents.last().unwrap();
    assert_eq!(
        (zh.id.as_str(), zh.text.as_str()),
        ("zh-2", "质量很好，物流很快")
    );
}

#[tokio::test]
async fn a_page_not_saved_fails_at_once_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = site().await;
    let saved = site.url("/en/product-reviews/B0BBPNPZTC/");
    collect(&config(std::slice::from_ref(&saved), dir.path(), false)).await;
    let asked = site.targets().len();

    let missing = site.url("/it/product-reviews/B07747FR44/");
    let error = try_collect(&config(&[saved, missing.clone()], dir.path(), true))
        .await
        .err()
        .expect("fails");
    let message = error.to_string();
    assert!(message.contains(&missing), "{message}");
    assert!(message.contains("is not saved in"), "{message}");
    assert_eq!(site.targets().len(), asked, "offline touched the network");
}

#[tokio::test]
async fn offline_without_snapshots_fails_without_a_request() {
    let site = site().await;
    let url = site.url("/en/product-reviews/B0BBPNPZTC/");
    // `offline` without a folder to replay from is a configuration mistake, caught when the
    // collector is built (restock validate), before any request.
    let without_dir = config(std::slice::from_ref(&url), Path::new("unused"), true)
        .replace("snapshot_dir = \"unused\"\n", "");
    let parsed: restock_web::HtmlConfig = toml::from_str(&without_dir).expect("config");
    let errors = restock_web::html_collector(parsed).err().expect("refused");
    assert!(
        format!("{errors:?}").contains("needs snapshot_dir"),
        "{errors:?}"
    );

    let empty = tempfile::tempdir().unwrap();
    let error = try_collect(&config(&[url], empty.path(), true))
        .await
        .err()
        .expect("fails");
    assert!(error.to_string().contains("index.json"), "{error}");
    assert!(site.targets().is_empty(), "{:?}", site.targets());
}
