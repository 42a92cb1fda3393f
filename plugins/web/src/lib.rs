//! Restock's web collectors. `html` scrapes review pages with CSS selectors: a block per review,
//! and inside it each document field (id, product id, title, text, rating, date), each read from
//! an element's text or attribute and cut with an optional regex; "next" links are followed up
//! to `max_pages`, and a page already visited ends the walk. Every review keeps its page's URL
//! and its position on the page as provenance; a block that lacks a required field or has an
//! unreadable one is quarantined with both, never dropped.
//!
//! Everything goes through [`fetch::Fetcher`], which a careful engineer would let loose on
//! someone else's site: robots.txt fetched once per host and obeyed (RFC 9309, by
//! `texting_robots`), `Crawl-delay` honoured, a per-host rate limit (`governor`), retries with
//! backoff on 429 and 5xx (`Retry-After` honoured), a per-request timeout, a cap on response size
//! before and after decompression; bodies decompressed by header or magic bytes and decoded by
//! the header's charset, the page's `<meta>`, or detection (`chardetng`). See `docs/web.md`.
//!
//! What it deliberately is not: not a browser (no JavaScript: pages that build their reviews in
//! script give nothing), not a crawler (it follows only the configured "next" links), and no
//! cleanup of the text beyond white space: that is for preprocessors. `feed` reads RSS and Atom
//! (`feed-rs`) through the same fetcher, one `post` per entry. `http_json` reads a JSON API
//! through it too, paged by cursor or page number, records found by a dotted path (`data.reviews[]`)
//! and fields mapped like the CSV collector's `columns`.
//!
//! Offline-first: with `snapshot_dir` every page fetched is saved to a folder, and with
//! `offline = true` (or `RESTOCK_OFFLINE=1`) pages are replayed from it and a page not saved
//! fails the collector at once, naming the URL; the network is never touched
//! ([`fetch::snapshot`]).
#![deny(missing_docs)]

mod collector;
mod config;
mod dates;
mod extract;
mod feed;
pub mod fetch;
mod info;
mod json;

use restock_core::{BuildContext, Collector, ConfigErrors, Registry};

pub use config::{FieldConfig, HtmlConfig, Scope};
pub use feed::FeedConfig;
pub use json::HttpJsonConfig;

use collector::HtmlCollector;
use extract::Plan;

/// An `html` collector for `config`, checked as the registry would (for tests and embedders).
pub fn html_collector(config: HtmlConfig) -> Result<Box<dyn Collector>, ConfigErrors> {
    Ok(Box::new(HtmlCollector::new(Plan::build(config)?)))
}

/// A `feed` collector for `config`, checked as the registry would.
pub fn feed_collector(config: FeedConfig) -> Result<Box<dyn Collector>, ConfigErrors> {
    Ok(Box::new(feed::FeedCollector::new(config)?))
}

/// An `http_json` collector for `config`, checked as the registry would.
pub fn http_json_collector(config: HttpJsonConfig) -> Result<Box<dyn Collector>, ConfigErrors> {
    Ok(Box::new(json::HttpJsonCollector::new(config)?))
}

/// Registers the `html`, `feed` and `http_json` collector types. Building it checks the URLs, selectors and regexes and
/// opens no socket.
pub fn register(registry: &mut Registry) {
    registry.add_collector(info::HTML, |mut config: HtmlConfig, ctx: &BuildContext| {
        config.snapshot_dir = config.snapshot_dir.map(|dir| ctx.resolve(&dir));
        html_collector(config)
    });
    registry.add_collector(info::FEED, |mut config: FeedConfig, ctx: &BuildContext| {
        config.snapshot_dir = config.snapshot_dir.map(|dir| ctx.resolve(&dir));
        feed_collector(config)
    });
    registry.add_collector(
        info::HTTP_JSON,
        |mut config: HttpJsonConfig, ctx: &BuildContext| {
            config.snapshot_dir = config.snapshot_dir.map(|dir| ctx.resolve(&dir));
            http_json_collector(config)
        },
    );
}
