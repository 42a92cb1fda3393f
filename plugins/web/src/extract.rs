//! The `html` collector's checked plan (selectors and regexes compiled, URLs parsed) and what it
//! reads from one page: the reviews, each a document or a reason, and the next page's URL.

use std::time::Duration;

use regex::Regex;
use restock_core::{ConfigError, ConfigErrors, Document, DocumentKind, Provenance};
use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use crate::config::{FieldConfig, HtmlConfig, Scope};
use crate::dates::parse_date;
use crate::fetch::FetchConfig;

/// The document fields a review's block can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Id,
    ProductId,
    Title,
    Text,
    Rating,
    Date,
}

const FIELDS: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("product_id", Field::ProductId),
    ("title", Field::Title),
    ("text", Field::Text),
    ("rating", Field::Rating),
    ("date", Field::Date),
];

struct Extractor {
    field: Field,
    name: &'static str,
    selector: Option<Selector>,
    attr: Option<String>,
    regex: Option<Regex>,
    from: Scope,
}

/// Everything the collector needs, checked at build time.
pub(crate) struct Plan {
    pub(crate) start_urls: Vec<Url>,
    review: Selector,
    fields: Vec<Extractor>,
    next: Option<Selector>,
    pub(crate) max_pages: usize,
    kind: DocumentKind,
    lang: Option<String>,
    date_format: Option<String>,
    pub(crate) fetch: FetchConfig,
}

impl Plan {
    /// Checks `config`, reporting every mistake at its key.
    pub(crate) fn build(config: HtmlConfig) -> Result<Plan, ConfigErrors> {
        let mut errors = Vec::new();
        let mut start_urls = Vec::new();
        if config.start_urls.is_empty() {
            errors.push(ConfigError::at_key(
                &["start_urls"],
                "give at least one URL",
            ));
        }
        for (i, raw) in config.start_urls.iter().enumerate() {
            match Url::parse(raw) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                    start_urls.push(canonical(url));
                }
                Ok(_) => errors.push(ConfigError::at_key(
                    &["start_urls", &i.to_string()],
                    format!("{raw:?} is not an http(s) URL"),
                )),
                Err(e) => errors.push(ConfigError::at_key(
                    &["start_urls", &i.to_string()],
                    format!("{raw:?} is not a URL: {e}"),
                )),
            }
        }
        let review = selector(&config.review, &["review"], &mut errors);
        let next = config
            .next
            .as_deref()
            .and_then(|s| selector(s, &["next"], &mut errors));
        let mut fields = Vec::new();
        for (name, field_config) in &config.fields {
            match FIELDS.iter().find(|(known, _)| known == name) {
                Some(&(known, field)) => {
                    if let Some(extractor) = extractor(known, field, field_config, &mut errors) {
                        fields.push(extractor);
                    }
                }
                None => errors.push(ConfigError::at_key(
                    &["fields", name],
                    format!(
                        "unknown field; expected one of {}",
                        FIELDS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
        for required in ["id", "date"] {
            if !config.fields.contains_key(required) {
                errors.push(ConfigError::at_key(
                    &["fields"],
                    format!("fields.{required} is required"),
                ));
            }
        }
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
        Ok(Plan {
            start_urls,
            review: review.expect("checked"),
            fields,
            next,
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

    /// The reviews on one page and its next page's URL.
    pub(crate) fn extract(&self, url: &Url, html: &str) -> Extracted {
        let document = Html::parse_document(html);
        let page = document.root_element();
        let reviews = document
            .select(&self.review)
            .enumerate()
            .map(|(i, block)| self.review(url, page, block, i + 1))
            .collect();
        let next = self.next.as_ref().and_then(|next| {
            let href = document.select(next).find_map(|a| a.value().attr("href"))?;
            // The parser decodes entities once; a doubly escaped `&amp;amp;` still shows.
            let href = href.trim().replace("&amp;", "&");
            url.join(&href).ok().map(canonical)
        });
        Extracted { reviews, next }
    }

    fn review(
        &self,
        url: &Url,
        page: ElementRef<'_>,
        block: ElementRef<'_>,
        index: usize,
    ) -> Result<Document, Rejected> {
        let reject = |reason: String| Rejected {
            index,
            reason,
            raw: excerpt(&block.html(), 4000),
        };
        let mut document = Document {
            id: String::new(),
            product_id: None,
            kind: self.kind,
            title: None,
            text: String::new(),
            rating: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            lang: self.lang.clone(),
            extra: Default::default(),
            provenance: Provenance::at(url.as_str(), index as u64),
        };
        let mut dated = false;
        for extractor in &self.fields {
            let value = extractor.value(url, page, block);
            let Some(value) = value.filter(|v| !v.is_empty()) else {
                if matches!(extractor.field, Field::Id | Field::Date) {
                    return Err(reject(format!(
                        "{}: no value (selector or regex matched nothing)",
                        extractor.name
                    )));
                }
                continue;
            };
            match extractor.field {
                Field::Id => document.id = value,
                Field::ProductId => document.product_id = Some(value),
                Field::Title => document.title = Some(value),
                Field::Text => document.text = value,
                Field::Rating => {
                    let rating = value
                        .replace(',', ".")
                        .parse::<f64>()
                        .ok()
                        .filter(|r| (1.0..=5.0).contains(r))
                        .ok_or_else(|| {
                            reject(format!("rating: {value:?} is not a number from 1 to 5"))
                        })?;
                    document.rating = Some(rating);
                }
                Field::Date => {
                    document.created_at = parse_date(&value, self.date_format.as_deref())
                        .map_err(|e| reject(format!("date: {e}")))?;
                    dated = true;
                }
            }
        }
        debug_assert!(dated, "date is required at build time");
        Ok(document)
    }
}

impl Extractor {
    fn value(&self, url: &Url, page: ElementRef<'_>, block: ElementRef<'_>) -> Option<String> {
        let raw = match self.from {
            Scope::Url => url.as_str().to_owned(),
            Scope::Review | Scope::Page => {
                let scope = if self.from == Scope::Page {
                    page
                } else {
                    block
                };
                let element = match &self.selector {
                    Some(selector) => scope.select(selector).next()?,
                    None => scope,
                };
                match &self.attr {
                    Some(attr) => element.value().attr(attr)?.trim().to_owned(),
                    None => text_of(element),
                }
            }
        };
        match &self.regex {
            None => Some(raw),
            Some(regex) => {
                let captures = regex.captures(&raw)?;
                let matched = captures.get(1).or_else(|| captures.get(0))?;
                Some(matched.as_str().trim().to_owned())
            }
        }
    }
}

/// What one page gave.
pub(crate) struct Extracted {
    /// Each review block in page order: a document, or why it was set aside.
    pub(crate) reviews: Vec<Result<Document, Rejected>>,
    /// The next page, resolved against this one and canonicalised.
    pub(crate) next: Option<Url>,
}

/// A review block that could not become a document.
pub(crate) struct Rejected {
    /// Its 1-based position among the page's review blocks.
    pub(crate) index: usize,
    /// Which field, and why.
    pub(crate) reason: String,
    /// The block's HTML (cut at 4,000 bytes).
    pub(crate) raw: String,
}

/// The URL as the walk remembers it: the `url` crate's normal form (scheme and host lower case,
/// default port dropped, dot segments resolved, percent-encoding normalised) without the
/// fragment, which never reaches the server.
pub(crate) fn canonical(mut url: Url) -> Url {
    url.set_fragment(None);
    url
}

/// An element's visible text: script and style skipped, `<br>` and block ends as line breaks,
/// runs of white space (non-breaking spaces included) as one space, blank lines dropped.
pub(crate) fn text_of(element: ElementRef<'_>) -> String {
    let mut raw = String::new();
    collect_text(element, &mut raw);
    raw.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn collect_text(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        if let Node::Text(text) = child.value() {
            out.push_str(text);
        }
        if let Some(child) = ElementRef::wrap(child) {
            match child.value().name() {
                "script" | "style" | "noscript" | "template" => {}
                "br" => out.push('\n'),
                name => {
                    collect_text(child, out);
                    if matches!(
                        name,
                        "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                    ) {
                        out.push('\n');
                    }
                }
            }
        }
    }
}

fn selector(css: &str, path: &[&str], errors: &mut Vec<ConfigError>) -> Option<Selector> {
    Selector::parse(css)
        .map_err(|e| {
            errors.push(ConfigError::at_key(
                path,
                format!("{css:?} is not a CSS selector: {e}"),
            ))
        })
        .ok()
}

fn extractor(
    name: &'static str,
    field: Field,
    config: &FieldConfig,
    errors: &mut Vec<ConfigError>,
) -> Option<Extractor> {
    let before = errors.len();
    let selector = config
        .selector
        .as_deref()
        .and_then(|s| selector(s, &["fields", name, "selector"], errors));
    let regex = config.regex.as_deref().and_then(|r| {
        Regex::new(r)
            .map_err(|e| {
                errors.push(ConfigError::at_key(
                    &["fields", name, "regex"],
                    format!("not a regular expression: {e}"),
                ))
            })
            .ok()
    });
    if config.from == Scope::Url && (config.selector.is_some() || config.attr.is_some()) {
        errors.push(ConfigError::at_key(
            &["fields", name, "from"],
            "from = \"url\" reads the page URL: give a regex, not a selector or attr",
        ));
    }
    if config.from == Scope::Page && config.selector.is_none() {
        errors.push(ConfigError::at_key(
            &["fields", name, "selector"],
            "from = \"page\" needs a selector",
        ));
    }
    (errors.len() == before).then(|| Extractor {
        field,
        name,
        selector,
        attr: config.attr.clone(),
        regex,
        from: config.from,
    })
}

fn excerpt(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
