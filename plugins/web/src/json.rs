//! The `http_json` collector: a JSON API read through the polite fetcher, paged by cursor or by
//! page number, records found by a small path expression and their fields mapped to documents.
//!
//! Path grammar (records and fields): `segment ('.' segment)*`, where a segment is an optional
//! object key (any characters but `.`, `[` and `]`) followed by any number of `[]` (every
//! element of an array) or `[N]` (element N, from 0). `data.reviews[]`, `[]` (the response is an
//! array), `items[].reviews[]`, `author.name`, `tags[0]`. Field paths may not use `[]`.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use restock_core::{
    Collector, ConfigError, ConfigErrors, Context, Dataset, Document, DocumentKind, Error,
    Provenance, Severity,
};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::dates::parse_date;
use crate::extract::canonical;
use crate::fetch::{FetchConfig, FetchError, Fetcher};

/// The `http_json` collector's configuration.
///
/// ```toml
/// urls = ["https://api.shop.example/v1/reviews"]
/// records = "data.reviews[]"
/// cursor_path = "meta.next_cursor"
/// fields = { id = "review_id", text = "body", rating = "stars", created_at = "date", product_id = "asin" }
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpJsonConfig {
    /// The API URLs (each paged on its own).
    pub urls: Vec<String>,
    /// Where the records are in a response (path grammar in the module docs).
    pub records: String,
    /// Document field -> path inside a record: `id` and `created_at` required; `product_id`,
    /// `title`, `text`, `rating` optional.
    pub fields: BTreeMap<String, String>,
    /// Cursor paging: where the next cursor is in a response (null, absent or "" ends).
    #[serde(default)]
    pub cursor_path: Option<String>,
    /// The query parameter the cursor is sent in (default `cursor`).
    #[serde(default = "default_cursor_param")]
    pub cursor_param: String,
    /// Page-number paging: the query parameter, counted from 1 until an empty page.
    #[serde(default)]
    pub page_param: Option<String>,
    /// Pages read per URL, at most (default 10).
    #[serde(default = "default_max_pages")]
    pub max_pages: usize,
    /// The documents' kind (default `review`).
    #[serde(default)]
    pub kind: Option<DocumentKind>,
    /// The documents' language (BCP 47), when the API is in one.
    #[serde(default)]
    pub lang: Option<String>,
    /// A chrono format for `created_at` strings (unset: as for `html`).
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
    /// A folder (relative to the manifest) every page fetched is saved to (see `html`).
    #[serde(default)]
    pub snapshot_dir: Option<PathBuf>,
    /// Replay from `snapshot_dir` only; a page not saved fails at once (see `html`).
    #[serde(default)]
    pub offline: bool,
}

fn default_cursor_param() -> String {
    "cursor".to_owned()
}
fn default_max_pages() -> usize {
    10
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

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Each,
}

/// A parsed path expression.
#[derive(Debug, Clone, PartialEq)]
struct Path(Vec<Step>);

impl Path {
    fn parse(text: &str) -> Result<Path, String> {
        let mut steps = Vec::new();
        if text.is_empty() {
            return Err("empty path".to_owned());
        }
        for segment in text.split('.') {
            let (key, mut rest) = match segment.find('[') {
                Some(i) => (&segment[..i], &segment[i..]),
                None => (segment, ""),
            };
            if key.contains(']') {
                return Err(format!("{text:?}: stray ']' in {segment:?}"));
            }
            if key.is_empty() && (rest.is_empty() || !steps.is_empty()) {
                return Err(format!("{text:?}: empty key in {segment:?}"));
            }
            if !key.is_empty() {
                steps.push(Step::Key(key.to_owned()));
            }
            while !rest.is_empty() {
                let close = rest
                    .find(']')
                    .filter(|_| rest.starts_with('['))
                    .ok_or_else(|| format!("{text:?}: expected [] or [N] in {segment:?}"))?;
                let inside = &rest[1..close];
                steps.push(if inside.is_empty() {
                    Step::Each
                } else {
                    Step::Index(inside.parse().map_err(|_| {
                        format!("{text:?}: {inside:?} is not an array index in {segment:?}")
                    })?)
                });
                rest = &rest[close + 1..];
            }
        }
        Ok(Path(steps))
    }

    fn has_each(&self) -> bool {
        self.0.contains(&Step::Each)
    }

    /// Every value the path reaches (`[]` fans out; a missing key or index gives nothing).
    fn select<'a>(&self, value: &'a Value) -> Result<Vec<&'a Value>, String> {
        let mut current = vec![value];
        for step in &self.0 {
            let mut next = Vec::new();
            for v in current {
                match step {
                    Step::Key(k) => next.extend(v.get(k.as_str())),
                    Step::Index(i) => next.extend(v.get(*i)),
                    Step::Each => match v {
                        Value::Array(items) => next.extend(items.iter()),
                        Value::Null => {}
                        other => {
                            return Err(format!("[] applied to {}", type_name(other)));
                        }
                    },
                }
            }
            current = next;
        }
        Ok(current)
    }

    /// The one value a path without `[]` reaches (null counts as absent).
    fn get<'a>(&self, value: &'a Value) -> Option<&'a Value> {
        self.select(value)
            .ok()?
            .into_iter()
            .next()
            .filter(|v| !v.is_null())
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

const FIELDS: &[&str] = &["id", "product_id", "title", "text", "rating", "created_at"];

enum Paging {
    None,
    Cursor { path: Path, param: String },
    Page { param: String },
}

/// An `http_json` collector built from a checked configuration. Building it opens no socket.
pub(crate) struct HttpJsonCollector {
    urls: Vec<Url>,
    records: Path,
    fields: BTreeMap<String, Path>,
    paging: Paging,
    max_pages: usize,
    kind: DocumentKind,
    lang: Option<String>,
    date_format: Option<String>,
    fetch: FetchConfig,
}

impl HttpJsonCollector {
    pub(crate) fn new(config: HttpJsonConfig) -> Result<Self, ConfigErrors> {
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
        let records = match Path::parse(&config.records) {
            Ok(path) => path,
            Err(e) => {
                errors.push(ConfigError::at_key(&["records"], e));
                Path(Vec::new())
            }
        };
        let mut fields = BTreeMap::new();
        for (field, raw) in &config.fields {
            if !FIELDS.contains(&field.as_str()) {
                errors.push(ConfigError::at_key(
                    &["fields", field],
                    format!("unknown field; known: {}", FIELDS.join(", ")),
                ));
                continue;
            }
            match Path::parse(raw) {
                Ok(path) if path.has_each() => errors.push(ConfigError::at_key(
                    &["fields", field],
                    format!("{raw:?}: a field path reaches one value; [] is for records"),
                )),
                Ok(path) => {
                    fields.insert(field.clone(), path);
                }
                Err(e) => errors.push(ConfigError::at_key(&["fields", field], e)),
            }
        }
        for required in ["id", "created_at"] {
            if !config.fields.contains_key(required) {
                errors.push(ConfigError::at_key(
                    &["fields", required],
                    "required: the path of this field in a record",
                ));
            }
        }
        let paging = match (&config.cursor_path, &config.page_param) {
            (Some(_), Some(_)) => {
                errors.push(ConfigError::at_key(
                    &["page_param"],
                    "give cursor_path or page_param, not both",
                ));
                Paging::None
            }
            (Some(raw), None) => match Path::parse(raw) {
                Ok(path) => Paging::Cursor {
                    path,
                    param: config.cursor_param.clone(),
                },
                Err(e) => {
                    errors.push(ConfigError::at_key(&["cursor_path"], e));
                    Paging::None
                }
            },
            (None, Some(param)) => Paging::Page {
                param: param.clone(),
            },
            (None, None) => Paging::None,
        };
        if config.max_pages == 0 {
            errors.push(ConfigError::at_key(&["max_pages"], "must be at least 1"));
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
            records,
            fields,
            paging,
            max_pages: config.max_pages,
            kind: config.kind.unwrap_or(DocumentKind::Review),
            lang: config.lang,
            date_format: config.date_format,
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

    fn field<'a>(&self, record: &'a Value, name: &str) -> Option<&'a Value> {
        self.fields.get(name).and_then(|path| path.get(record))
    }

    fn string(&self, record: &Value, name: &str) -> Result<Option<String>, String> {
        match self.field(record, name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(format!("{name}: {} is not text", type_name(other))),
        }
    }

    fn document(&self, url: &Url, index: usize, record: &Value) -> Result<Document, String> {
        let id = self
            .string(record, "id")?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("id: missing at {:?}", self.path_text("id")))?;
        let created_at = match self.field(record, "created_at") {
            None => {
                return Err(format!(
                    "created_at: missing at {:?}",
                    self.path_text("created_at")
                ));
            }
            Some(value) => self.date(value)?,
        };
        let rating = match self.field(record, "rating") {
            None => None,
            Some(value) => {
                let number = match value {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().replace(',', ".").parse().ok(),
                    _ => None,
                };
                match number {
                    Some(r) if (1.0..=5.0).contains(&r) => Some(r),
                    _ => return Err(format!("rating: {value} is not a number from 1 to 5")),
                }
            }
        };
        Ok(Document {
            id,
            product_id: self.string(record, "product_id")?,
            kind: self.kind,
            title: self.string(record, "title")?.filter(|t| !t.is_empty()),
            text: self.string(record, "text")?.unwrap_or_default(),
            rating,
            created_at,
            lang: self.lang.clone(),
            extra: BTreeMap::new(),
            provenance: Provenance::at(url.as_str(), index as u64),
        })
    }

    fn path_text(&self, field: &str) -> String {
        self.fields
            .get(field)
            .map(|p| {
                p.0.iter()
                    .map(|s| match s {
                        Step::Key(k) => format!(".{k}"),
                        Step::Index(i) => format!("[{i}]"),
                        Step::Each => "[]".to_owned(),
                    })
                    .collect::<String>()
                    .trim_start_matches('.')
                    .to_owned()
            })
            .unwrap_or_default()
    }

    /// A string date (as `html` reads them, or `date_format`) or a number of Unix seconds.
    fn date(&self, value: &Value) -> Result<DateTime<Utc>, String> {
        match value {
            Value::String(s) => {
                parse_date(s, self.date_format.as_deref()).map_err(|e| format!("created_at: {e}"))
            }
            Value::Number(n) => n
                .as_i64()
                .and_then(|secs| DateTime::from_timestamp(secs, 0))
                .ok_or_else(|| format!("created_at: {n} is not a Unix time in seconds")),
            other => Err(format!("created_at: {} is not a date", type_name(other))),
        }
    }
}

/// `url` with `param` set to `value` (replacing any earlier value).
fn with_param(url: &Url, param: &str, value: &str) -> Url {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != param)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out = url.clone();
    out.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(param, value);
    out
}

/// A record as quarantine keeps it: its JSON, cut at 4,000 bytes.
fn raw(record: &Value) -> String {
    let mut text = record.to_string();
    if text.len() > 4000 {
        let mut cut = 4000;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

#[async_trait]
impl Collector for HttpJsonCollector {
    async fn collect(&self, ctx: &Context) -> restock_core::Result<Dataset> {
        let mut config = self.fetch.clone();
        config.offline |= crate::collector::offline_from_env();
        let fetcher = Fetcher::new(config).map_err(Error::Other)?;
        let mut dataset = Dataset::default();
        let (mut pages_read, mut failed, mut quarantined) = (0, 0, 0);
        for start in &self.urls {
            let mut url = match &self.paging {
                Paging::Page { param } => with_param(start, param, "1"),
                _ => start.clone(),
            };
            let mut cursors = HashSet::new();
            let mut pages = 0;
            loop {
                if ctx.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                let page = match fetcher.get(&url).await {
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
                        break;
                    }
                };
                let body: Value = serde_json::from_str(&page.text)
                    .map_err(|e| Error::Other(format!("{}: not JSON: {e}", page.url)))?;
                pages += 1;
                pages_read += 1;
                let records = self
                    .records
                    .select(&body)
                    .map_err(|e| Error::Other(format!("{}: records: {e}", page.url)))?;
                let count = records.len();
                for (i, record) in records.into_iter().enumerate() {
                    match self.document(&page.url, i + 1, record) {
                        Ok(document) => dataset.documents.push(document),
                        Err(reason) => {
                            quarantined += 1;
                            ctx.quarantine(
                                Provenance::at(page.url.as_str(), i as u64 + 1),
                                reason,
                                raw(record),
                            );
                        }
                    }
                }
                let next = match &self.paging {
                    Paging::None => None,
                    Paging::Page { param } => {
                        (count > 0).then(|| with_param(start, param, &(pages + 1).to_string()))
                    }
                    Paging::Cursor { path, param } => {
                        let cursor = match path.get(&body) {
                            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                            Some(Value::Number(n)) => Some(n.to_string()),
                            _ => None,
                        };
                        match cursor {
                            Some(c) if !cursors.insert(c.clone()) => {
                                ctx.report(
                                    Severity::Info,
                                    None,
                                    Some(Provenance::of(page.url.as_str())),
                                    format!("cursor {c:?} seen before: the walk ends here"),
                                );
                                None
                            }
                            Some(c) => Some(with_param(start, param, &c)),
                            None => None,
                        }
                    }
                };
                match next {
                    Some(next) if pages < self.max_pages => url = next,
                    Some(next) => {
                        ctx.report(
                            Severity::Info,
                            None,
                            Some(Provenance::of(next.as_str())),
                            format!(
                                "not followed: max_pages ({}) reached from {start}",
                                self.max_pages
                            ),
                        );
                        break;
                    }
                    None => break,
                }
            }
        }
        let mut message = format!(
            "read {} documents from {pages_read} pages, quarantined {quarantined} records",
            dataset.documents.len()
        );
        if failed > 0 {
            message.push_str(&format!("; {failed} pages failed"));
        }
        ctx.report(Severity::Info, None, None, message);
        Ok(dataset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_parse_and_select() {
        let doc = json!({"data": {"reviews": [{"a": 1}, {"a": 2}]}, "list": [[1, 2], [3]]});
        let p = Path::parse("data.reviews[]").unwrap();
        assert_eq!(p.select(&doc).unwrap().len(), 2);
        let p = Path::parse("list[][]").unwrap();
        assert_eq!(p.select(&doc).unwrap(), [&json!(1), &json!(2), &json!(3)]);
        assert_eq!(
            Path::parse("data.reviews[1].a").unwrap().get(&doc),
            Some(&json!(2))
        );
        assert_eq!(
            Path::parse("[]")
                .unwrap()
                .select(&json!([1, 2]))
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            Path::parse("data.missing[]")
                .unwrap()
                .select(&doc)
                .unwrap()
                .len(),
            0
        );
        assert!(!Path::parse("data").unwrap().has_each());
        for bad in ["", "a..b", "a[x]", "a[", "a]b", "a.[]"] {
            assert!(Path::parse(bad).is_err(), "{bad}");
        }
        assert!(Path::parse("data[]").unwrap().select(&doc).is_err());
    }

    #[test]
    fn params_replace() {
        let url = Url::parse("http://h/api?x=1&page=3").unwrap();
        assert_eq!(
            with_param(&url, "page", "4").as_str(),
            "http://h/api?x=1&page=4"
        );
    }
}
