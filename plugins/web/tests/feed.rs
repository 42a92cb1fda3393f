//! The `feed` collector against the loopback site: an RSS 2.0 and an Atom feed (written for
//! these tests, in tests/fixtures), robots.txt obeyed, and snapshot replay.

mod support;

use std::sync::Arc;

use restock_core::{Context, DocumentKind, MemorySink};
use support::{Collected, Reply, Site};

const RSS: &[u8] = include_bytes!("fixtures/shop_feed.rss");
const ATOM: &[u8] = include_bytes!("fixtures/shop_feed.atom");

async fn read(toml_config: &str) -> restock_core::Result<Collected> {
    let config: restock_web::FeedConfig = toml::from_str(toml_config).expect("config");
    let collector = restock_web::feed_collector(config).expect("builds");
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

async fn site() -> Site {
    let site = Site::start().await;
    site.route(
        "/robots.txt",
        vec![Reply::status(200, "User-agent: *\nDisallow: /private/\n")],
    )
    .route(
        "/blog/feed.rss",
        vec![Reply::status(200, RSS).header("Content-Type", "application/rss+xml")],
    )
    .route(
        "/blog/atom.xml",
        vec![Reply::status(200, ATOM).header("Content-Type", "application/atom+xml")],
    )
    .route("/private/feed.rss", vec![Reply::status(200, RSS)]);
    site
}

#[tokio::test]
async fn rss_and_atom_entries_become_posts() {
    let site = site().await;
    let rss = site.url("/blog/feed.rss");
    let atom = site.url("/blog/atom.xml");
    let private = site.url("/private/feed.rss");
    let collected = read(&format!(
        "urls = [{rss:?}, {atom:?}, {private:?}]\nproduct_id = \"B0BBPNPZTC\"\nrequests_per_second = 50.0\n"
    ))
    .await
    .unwrap();
    let docs = &collected.dataset.documents;
    let summary: Vec<_> = docs
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.title.as_deref().unwrap(),
                d.text.as_str(),
                d.created_at.to_rfc3339(),
                d.lang.as_deref(),
                d.provenance.line,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "http://shop.example/blog/back-in-stock",
                "Back in stock: the 38 oz bottle",
                "The 38 oz bottle is back.\nOrder before Friday.",
                "2024-03-05T09:30:00+00:00".to_owned(),
                Some("en-us"),
                Some(1)
            ),
            (
                "post-2",
                "Customers love the new scent & the price",
                "Plain text, no markup.",
                "2024-03-24T17:00:00+00:00".to_owned(),
                Some("en-us"),
                Some(2)
            ),
            (
                "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
                "Chegou o estoque",
                "Ótimo produto, entrega rápida.",
                "2024-03-06T10:00:00+00:00".to_owned(),
                Some("pt-BR"),
                Some(1)
            ),
        ],
        "{:?}",
        collected.diagnostics
    );
    for d in docs {
        assert_eq!(d.kind, DocumentKind::Post);
        assert_eq!(d.product_id.as_deref(), Some("B0BBPNPZTC"));
        assert_eq!(d.rating, None);
    }
    assert_eq!(
        docs[0].extra["link"],
        "http://shop.example/blog/back-in-stock"
    );
    assert_eq!(docs[0].provenance.source.as_ref(), rss);
    assert_eq!(docs[2].provenance.source.as_ref(), atom);

    // The undated entry is set aside with its place; the private feed is never requested.
    assert_eq!(
        collected.quarantined.len(),
        1,
        "{:?}",
        collected.quarantined
    );
    let q = &collected.quarantined[0];
    assert_eq!(q.location.line, Some(3));
    assert!(
        q.reason.contains("no published or updated date"),
        "{}",
        q.reason
    );
    assert!(!site.targets().contains(&"/private/feed.rss".to_owned()));
    assert!(
        collected
            .diagnostics
            .iter()
            .any(|d| d.message.contains(&private) && d.message.contains("robots.txt")),
        "{:?}",
        collected.diagnostics
    );
}

#[tokio::test]
async fn feeds_replay_from_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let site = site().await;
    let rss = site.url("/blog/feed.rss");
    let config = |offline: bool| {
        format!(
            "urls = [{rss:?}]\nrequests_per_second = 50.0\nsnapshot_dir = {:?}\noffline = {offline}\n",
            dir.path()
        )
    };
    let live = read(&config(false)).await.unwrap();
    assert_eq!(live.dataset.documents.len(), 2);
    site.stop().await;
    let replayed = read(&config(true)).await.unwrap();
    assert_eq!(replayed.dataset.documents, live.dataset.documents);
}
