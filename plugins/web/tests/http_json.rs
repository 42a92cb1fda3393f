//! The `http_json` collector against the loopback site: cursor paging, page-number paging ending
//! on an empty page, a bad record quarantined, a page that is not JSON, and snapshot replay.

mod support;

use std::sync::Arc;

use restock_core::{Context, DocumentKind, MemorySink};
use support::{Collected, Reply, Site};

async fn read(toml_config: &str) -> restock_core::Result<Collected> {
    let config: restock_web::HttpJsonConfig = toml::from_str(toml_config).expect("config");
    let collector = restock_web::http_json_collector(config).expect("builds");
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        sink.clone(),
    );
    let dataset = collector.collect(&ctx).await?;
    let (diagnostics, quarantined) = sink.take();
    Ok(Collected {
        dataset,
        diagnostics,
        quarantined,
    })
}

fn json(body: &str) -> Reply {
    Reply::status(200, body).header("Content-Type", "application/json")
}

const FIELDS: &str = r#"fields = { id = "review_id", text = "body", rating = "stars", created_at = "date", product_id = "asin", title = "meta.headline" }"#;

async fn site() -> Site {
    let site = Site::start().await;
    site.route(
        "/robots.txt",
        vec![Reply::status(200, "User-agent: *\nDisallow: /private/\n")],
    )
    // Cursor paging: page 1 points at "c2", page 2 has no cursor.
    .route(
        "/api/reviews",
        vec![json(
            r#"{"data": {"reviews": [
                {"review_id": "r1", "body": "Great shampoo", "stars": 5, "date": "2024-03-05", "asin": "B0BBPNPZTC", "meta": {"headline": "Love it"}},
                {"review_id": 2, "body": "Ok", "stars": "3,5", "date": 1710000000, "asin": "B0BBPNPZTC"}
            ]}, "meta": {"next_cursor": "c2"}}"#,
        )],
    )
    .route(
        "/api/reviews?cursor=c2",
        vec![json(
            r#"{"data": {"reviews": [
                {"review_id": "r3", "body": "Leaks", "stars": 1, "date": "March 24, 2024", "asin": "B0BBPNPZTC"},
                {"body": "no id here", "stars": 4, "date": "2024-03-25"},
                {"review_id": "r5", "body": "bad stars", "stars": 9, "date": "2024-03-25"}
            ]}, "meta": {"next_cursor": null}}"#,
        )],
    )
    // Page-number paging: two pages, then an empty one.
    .route(
        "/v2/reviews?page=1",
        vec![json(r#"[{"review_id": "p1", "body": "one", "date": "2024-01-01"}]"#)],
    )
    .route(
        "/v2/reviews?page=2",
        vec![json(r#"[{"review_id": "p2", "body": "two", "date": "2024-01-02"}]"#)],
    )
    .route("/v2/reviews?page=3", vec![json("[]")])
    // Not JSON: a login page.
    .route(
        "/html/reviews",
        vec![Reply::html("<html><body>Please log in</body></html>")],
    )
    .route("/private/reviews", vec![json(r#"{"data": {"reviews": []}}"#)]);
    site
}

#[tokio::test]
async fn two_pages_by_cursor_with_bad_records_quarantined() {
    let site = site().await;
    let url = site.url("/api/reviews");
    let collected = read(&format!(
        "urls = [{url:?}]\nrecords = \"data.reviews[]\"\ncursor_path = \"meta.next_cursor\"\nrequests_per_second = 50.0\nlang = \"en\"\n{FIELDS}\n"
    ))
    .await
    .unwrap();
    let docs = &collected.dataset.documents;
    let summary: Vec<_> = docs
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.text.as_str(),
                d.rating,
                d.created_at.to_rfc3339(),
                d.product_id.as_deref(),
                d.title.as_deref(),
                d.provenance.line,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "r1",
                "Great shampoo",
                Some(5.0),
                "2024-03-05T00:00:00+00:00".to_owned(),
                Some("B0BBPNPZTC"),
                Some("Love it"),
                Some(1)
            ),
            (
                "2",
                "Ok",
                Some(3.5),
                "2024-03-09T16:00:00+00:00".to_owned(),
                Some("B0BBPNPZTC"),
                None,
                Some(2)
            ),
            (
                "r3",
                "Leaks",
                Some(1.0),
                "2024-03-24T00:00:00+00:00".to_owned(),
                Some("B0BBPNPZTC"),
                None,
                Some(1)
            ),
        ],
        "{:?}",
        collected.diagnostics
    );
    for d in docs {
        assert_eq!(d.kind, DocumentKind::Review);
        assert_eq!(d.lang.as_deref(), Some("en"));
    }
    assert_eq!(docs[0].provenance.source.as_ref(), url);
    let page2 = format!("{url}?cursor=c2");
    assert_eq!(docs[2].provenance.source.as_ref(), page2);
    assert_eq!(
        site.targets(),
        ["/robots.txt", "/api/reviews", "/api/reviews?cursor=c2"]
    );

    let q: Vec<_> = collected
        .quarantined
        .iter()
        .map(|q| {
            (
                q.location.source.as_ref(),
                q.location.line,
                q.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(q.len(), 2, "{q:?}");
    assert_eq!(q[0].0, page2);
    assert_eq!(q[0].1, Some(2));
    assert!(q[0].2.contains("id: missing"), "{}", q[0].2);
    assert_eq!(q[1].1, Some(3));
    assert!(q[1].2.contains("rating"), "{}", q[1].2);
    assert!(collected.quarantined[0].raw.contains("no id here"));
}

#[tokio::test]
async fn page_numbers_until_an_empty_page() {
    let site = site().await;
    let url = site.url("/v2/reviews");
    let collected = read(&format!(
        "urls = [{url:?}]\nrecords = \"[]\"\npage_param = \"page\"\nkind = \"post\"\nrequests_per_second = 50.0\nfields = {{ id = \"review_id\", text = \"body\", created_at = \"date\" }}\n"
    ))
    .await
    .unwrap();
    let ids: Vec<_> = collected
        .dataset
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.text.as_str(), d.kind))
        .collect();
    assert_eq!(
        ids,
        [
            ("p1", "one", DocumentKind::Post),
            ("p2", "two", DocumentKind::Post)
        ]
    );
    assert_eq!(
        site.targets(),
        [
            "/robots.txt",
            "/v2/reviews?page=1",
            "/v2/reviews?page=2",
            "/v2/reviews?page=3"
        ]
    );
    assert!(collected.quarantined.is_empty());

    // max_pages stops earlier, saying so.
    let collected = read(&format!(
        "urls = [{url:?}]\nrecords = \"[]\"\npage_param = \"page\"\nmax_pages = 1\nrequests_per_second = 50.0\nfields = {{ id = \"review_id\", created_at = \"date\" }}\n"
    ))
    .await
    .unwrap();
    assert_eq!(collected.dataset.documents.len(), 1);
    assert!(
        collected
            .diagnostics
            .iter()
            .any(|d| d.message.contains("max_pages (1)")),
        "{:?}",
        collected.diagnostics
    );
}

#[tokio::test]
async fn a_page_that_is_not_json_fails_naming_its_url() {
    let site = site().await;
    let url = site.url("/html/reviews");
    let error = read(&format!(
        "urls = [{url:?}]\nrecords = \"data.reviews[]\"\nrequests_per_second = 50.0\n{FIELDS}\n"
    ))
    .await
    .err()
    .expect("fails");
    let message = error.to_string();
    assert!(
        message.contains(&url) && message.contains("not JSON"),
        "{message}"
    );
}

#[tokio::test]
async fn robots_txt_is_obeyed() {
    let site = site().await;
    let url = site.url("/private/reviews");
    let collected = read(&format!(
        "urls = [{url:?}]\nrecords = \"data.reviews[]\"\nrequests_per_second = 50.0\n{FIELDS}\n"
    ))
    .await
    .unwrap();
    assert!(collected.dataset.documents.is_empty());
    assert!(!site.targets().contains(&"/private/reviews".to_owned()));
    assert!(
        collected
            .diagnostics
            .iter()
            .any(|d| d.message.contains(&url) && d.message.contains("robots.txt")),
        "{:?}",
        collected.diagnostics
    );
}

#[tokio::test]
async fn pages_replay_from_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let site = site().await;
    let cursor = site.url("/api/reviews");
    let paged = site.url("/v2/reviews");
    let cursor_config = |offline: bool| {
        format!(
            "urls = [{cursor:?}]\nrecords = \"data.reviews[]\"\ncursor_path = \"meta.next_cursor\"\nrequests_per_second = 50.0\nsnapshot_dir = {:?}\noffline = {offline}\n{FIELDS}\n",
            dir.path()
        )
    };
    let page_config = |url: &str, offline: bool| {
        format!(
            "urls = [{url:?}]\nrecords = \"[]\"\npage_param = \"page\"\nrequests_per_second = 50.0\nsnapshot_dir = {:?}\noffline = {offline}\nfields = {{ id = \"review_id\", created_at = \"date\" }}\n",
            dir.path()
        )
    };
    let live_cursor = read(&cursor_config(false)).await.unwrap();
    let live_pages = read(&page_config(&paged, false)).await.unwrap();
    assert_eq!(live_cursor.dataset.documents.len(), 3);
    assert_eq!(live_pages.dataset.documents.len(), 2);
    site.stop().await;
    let replayed = read(&cursor_config(true)).await.unwrap();
    assert_eq!(replayed.dataset.documents, live_cursor.dataset.documents);
    assert_eq!(replayed.quarantined.len(), 2);
    let replayed = read(&page_config(&paged, true)).await.unwrap();
    assert_eq!(replayed.dataset.documents, live_pages.dataset.documents);

    // A page never recorded fails at once, naming it.
    let other = paged.replace("/v2/", "/v3/");
    let error = read(&page_config(&other, true))
        .await
        .err()
        .expect("not saved");
    assert!(error.to_string().contains("/v3/reviews?page=1"), "{error}");
}

#[test]
fn config_errors_are_reported() {
    let config: restock_web::HttpJsonConfig = toml::from_str(
        "urls = [\"ftp://x\"]\nrecords = \"a..b\"\ncursor_path = \"next\"\npage_param = \"page\"\nfields = { text = \"body[]\", colour = \"c\" }\n",
    )
    .unwrap();
    let errors = restock_web::http_json_collector(config)
        .err()
        .unwrap()
        .to_string();
    for needle in [
        "ftp://x",
        "a..b",
        "not both",
        "colour",
        "[] is for records",
        "required",
    ] {
        assert!(errors.contains(needle), "{needle}: {errors}");
    }
}
