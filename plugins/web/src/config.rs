//! The typed configuration of the `html` collector, as written in a `[[collect]]` table.

use std::collections::BTreeMap;
use std::path::PathBuf;

use restock_core::DocumentKind;
use serde::Deserialize;

/// The `html` collector's configuration.
///
/// ```toml
/// start_urls = ["https://shop.example/product-reviews/B0BBPNPZTC/"]
/// review = "div[data-hook=review]"
/// next = "li.a-last a"
/// fields.id = { attr = "id" }
/// fields.text = { selector = "span[data-hook=review-body]" }
/// fields.date = { selector = "span[data-hook=review-date]" }
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HtmlConfig {
    /// Pages the walk starts from (each followed by its "next" links).
    pub start_urls: Vec<String>,
    /// CSS selector of one review's block.
    pub review: String,
    /// How each document field is read from a review's block: `id`, `product_id`, `title`,
    /// `text`, `rating`, `date` (required: `id`, `date`).
    pub fields: BTreeMap<String, FieldConfig>,
    /// CSS selector of the "next page" link (its `href` is followed); unset: one page per start
    /// URL.
    #[serde(default)]
    pub next: Option<String>,
    /// Pages read per start URL, at most (default 10).
    #[serde(default = "default_max_pages")]
    pub max_pages: usize,
    /// The documents' kind (default `review`).
    #[serde(default)]
    pub kind: Option<DocumentKind>,
    /// The documents' language (BCP 47), when the pages are all in one.
    #[serde(default)]
    pub lang: Option<String>,
    /// A chrono format for dates the built-in reader does not know.
    #[serde(default)]
    pub date_format: Option<String>,
    /// `User-Agent` header; its product token picks the robots.txt group.
    #[serde(default = "default_user_agent")]
    pub user_agent: String,
    /// Requests per second to one host, at most (default 1).
    #[serde(default = "default_requests_per_second")]
    pub requests_per_second: f64,
    /// Seconds one request may take (default 30).
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: f64,
    /// Tries per page, the first included (default 4).
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// The largest body accepted, compressed or not, in bytes (default 10 MiB).
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    /// A folder (relative to the manifest) every page fetched is saved to: one file per URL
    /// plus `index.json` (URL, status, content type, charset). With `offline`, pages are
    /// replayed from it.
    #[serde(default)]
    pub snapshot_dir: Option<PathBuf>,
    /// Never touch the network: read pages from `snapshot_dir`, and fail at once, naming the
    /// URL, when one is not saved there (default false; the environment variable
    /// `RESTOCK_OFFLINE=1` sets it too).
    #[serde(default)]
    pub offline: bool,
}

/// Where one field's value is found and how it is cut out.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldConfig {
    /// CSS selector inside the review's block (the first match is read); unset: the block
    /// itself (or, with `from = "url"`, the page's URL).
    #[serde(default)]
    pub selector: Option<String>,
    /// Attribute to read instead of the element's text.
    #[serde(default)]
    pub attr: Option<String>,
    /// A regular expression applied to the value: its first capture group (or whole match) is
    /// kept; no match means no value.
    #[serde(default)]
    pub regex: Option<String>,
    /// What `selector` applies to (default `review`).
    #[serde(default)]
    pub from: Scope,
}

/// What a field's selector is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The review's block.
    #[default]
    Review,
    /// The whole page (a product id in the page header).
    Page,
    /// The page's URL (no selector; `regex` cuts the value out).
    Url,
}

fn default_max_pages() -> usize {
    10
}
fn default_user_agent() -> String {
    crate::fetch::FetchConfig::default().user_agent
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
