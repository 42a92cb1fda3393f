//! The `feed` collector: RSS 0.9x/1.0/2.0, Atom and JSON Feed (by `feed-rs`) fetched through the
//! polite fetcher, one document of kind `post` per entry.

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use restock_core::{
    Collector, ConfigError, ConfigErrors, Context, Dataset, Document, DocumentKind, Error,
    Provenance, Severity,
};
use scraper::Html;
use serde::Deserialize;
use url::Url;

use crate::extract::{canonical, text_of};
use crate::fetch::{FetchConfig, FetchError, Fetcher};

/// The `feed` collector's configuration.
///
/// ```toml
/// urls = ["https://shop.example/blog/feed.xml"]
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// The feeds (RSS or Atom) to read.
    pub urls: Vec<String>,
    /// The product every entry is about, when the feed is one product's (unset: none).
    #[serde(default)]
    pub product_id: Option<String>,
    /// The documents' kind (default `post`).
    #[serde(default)]
    pub kind: Option<DocumentKind>,
    /// The documents' language (BCP 47); unset: the entry's, else the feed's, when declared.
    #[serde(default)]
    pub lang: Option<String>,
    /// `User-Agent` header; its product token picks the robots.txt group.
    #[serde(default = "default_user_agent")]
    pub user_agent: String,
    /// Requests per second to one host, at most (default 1).
    #[serde(default = "default_requests_per_second")]
    pub requests_per_second: f64,
    /// Seconds one request may take (default 30).
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: f64,
    /// Tries per feed, the first included (default 4).
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// The largest body accepted, compressed or not, in bytes (default 10 MiB).
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    /// A folder (relative to the manifest) every feed fetched is saved to (see `html`).
    #[serde(default)]
    pub snapshot_dir: Option<PathBuf>,
    /// Replay from `snapshot_dir` only; a feed not saved fails at once (see `html`).
    #[serde(default)]
    pub offline: bool,
}

fn default_user_agent() -> String {
    FetchConfig::default().user_agent
}
fn default_requests_per_second() -> f64 {
    1.0
}
fn default_timeout_secs() -> f64 {
    30.0
}
fn default_max_attempts() -> u32 {
    4
}
fn default_max_bytes() -> u64 {
    10 * 1024 * 1024
}

/// A `feed` collector built from a checked configuration.
pub(crate) struct FeedCollector {
    urls: Vec<Url>,
    product_id: Option<String>,
    kind: DocumentKind,
    lang: Option<String>,
    fetch: FetchConfig,
}

impl FeedCollector {
    pub(crate) fn new(config: FeedConfig) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        if config.urls.is_empty() {
            errors.push(ConfigError::at_key(&["urls"], "give at least one URL"));
        }
        let mut urls = Vec::new();
        for (i, raw) in config.urls.iter().enumerate() {
            match Url::parse(raw) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                    urls.push(canonical(url))
                }
                _ => errors.push(ConfigError::at_key(
                    &["urls", &i.to_string()],
                    format!("{raw:?} is not an http(s) URL"),
                )),
            }
        }
        crate::fetch::check_politeness(
            &crate::fetch::PolitenessKeys {
                user_agent: &config.user_agent,
                requests_per_second: config.requests_per_second,
                timeout_secs: config.timeout_secs,
                max_attempts: config.max_attempts,
                max_bytes: config.max_bytes,
                offline: config.offline,
                has_snapshot_dir: config.snapshot_dir.is_some(),
            },
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        Ok(Self {
            urls,
            product_id: config.product_id,
            kind: config.kind.unwrap_or(DocumentKind::Post),
            lang: config.lang,
            fetch: FetchConfig {
                user_agent: config.user_agent,
                requests_per_second: config.requests_per_second,
                timeout: Duration::from_secs_f64(config.timeout_secs),
                max_attempts: config.max_attempts,
                max_bytes: config.max_bytes,
                snapshot_dir: config.snapshot_dir,
                offline: config.offline,
                ..FetchConfig::default()
            },
        })
    }

    fn document(
        &self,
        url: &Url,
        index: usize,
        feed_lang: Option<&str>,
        entry: feed_rs::model::Entry,
    ) -> Result<Document, String> {
        let created_at = entry
            .published
            .or(entry.updated)
            .ok_or("no published or updated date")?;
        let title = entry
            .title
            .map(|t| plain(&t.content, t.content_type.as_ref()));
        let text = match (entry.content.and_then(|c| c.body), entry.summary) {
            (Some(body), _) => plain(&body, "text/html"),
            (None, Some(summary)) => plain(&summary.content, summary.content_type.as_ref()),
            (None, None) => String::new(),
        };
        let mut extra = std::collections::BTreeMap::new();
        if let Some(link) = entry.links.first() {
            extra.insert("link".to_owned(), link.href.clone());
        }
        Ok(Document {
            id: entry.id,
            product_id: self.product_id.clone(),
            kind: self.kind,
            title: title.filter(|t| !t.is_empty()),
            text,
            rating: None,
            created_at,
            lang: self
                .lang
                .clone()
                .or(entry.language)
                .or(feed_lang.map(str::to_owned)),
            extra,
            provenance: Provenance::at(url.as_str(), index as u64),
        })
    }
}

/// Visible text of an HTML fragment (or the text itself, white space collapsed).
fn plain(content: &str, content_type: &str) -> String {
    if content_type.contains("html") || content.contains('<') || content.contains('&') {
        let fragment = Html::parse_fragment(content);
        text_of(fragment.root_element())
    } else {
        content.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

#[async_trait]
impl Collector for FeedCollector {
    async fn collect(&self, ctx: &Context) -> restock_core::Result<Dataset> {
        let mut config = self.fetch.clone();
        config.offline |= crate::collector::offline_from_env();
        let fetcher = Fetcher::new(config).map_err(Error::Other)?;
        let mut dataset = Dataset::default();
        let (mut feeds, mut failed, mut quarantined) = (0, 0, 0);
        for url in &self.urls {
            if ctx.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let page = match fetcher.get(url).await {
                Ok(page) => page,
                Err(error @ FetchError::Offline { .. }) => {
                    return Err(Error::Other(error.to_string()));
                }
                Err(error) => {
                    failed += 1;
                    ctx.report(
                        Severity::Warning,
                        None,
                        Some(Provenance::of(url.as_str())),
                        error.to_string(),
                    );
                    continue;
                }
            };
            let feed = match feed_rs::parser::parse(page.text.as_bytes()) {
                Ok(feed) => feed,
                Err(error) => {
                    failed += 1;
                    ctx.report(
                        Severity::Warning,
                        None,
                        Some(Provenance::of(page.url.as_str())),
                        format!("not a feed (RSS, Atom or JSON Feed): {error}"),
                    );
                    continue;
                }
            };
            feeds += 1;
            let feed_lang = feed.language.clone();
            for (i, entry) in feed.entries.into_iter().enumerate() {
                let raw = entry.id.clone();
                match self.document(&page.url, i + 1, feed_lang.as_deref(), entry) {
                    Ok(document) => dataset.documents.push(document),
                    Err(reason) => {
                        quarantined += 1;
                        ctx.quarantine(
                            Provenance::at(page.url.as_str(), i as u64 + 1),
                            reason,
                            raw,
                        );
                    }
                }
            }
        }
        let mut message = format!(
            "read {} documents from {feeds} feeds, quarantined {quarantined} entries",
            dataset.documents.len()
        );
        if failed > 0 {
            message.push_str(&format!("; {failed} feeds failed"));
        }
        ctx.report(Severity::Info, None, None, message);
        Ok(dataset)
    }
}
