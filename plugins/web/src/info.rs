//! What the `html` collector says about itself: one line, every key, and an example (tested to
//! deserialise and build, which opens no socket).

use restock_core::{ConfigKeyDoc, PluginInfo};

const fn key(
    name: &'static str,
    ty: &'static str,
    default: Option<&'static str>,
    doc: &'static str,
) -> ConfigKeyDoc {
    ConfigKeyDoc {
        name,
        ty,
        default,
        doc,
    }
}

const NOT_SET: Option<&str> = Some("(not set)");

const HTML_KEYS: &[ConfigKeyDoc] = &[
    key(
        "start_urls",
        "array of strings (http/https URLs)",
        None,
        "pages the walk starts from; each is followed by its next links",
    ),
    key(
        "review",
        "string (CSS selector)",
        None,
        "one review's block; each match becomes one document or one quarantined row",
    ),
    key(
        "fields",
        "table of field = { selector, attr, regex, from }",
        None,
        "id and date (required), product_id, title, text, rating: where each is read; author is not read",
    ),
    key(
        "fields.<field>.selector",
        "string (CSS selector)",
        NOT_SET,
        "the first match inside the review's block; unset: the block itself",
    ),
    key(
        "fields.<field>.attr",
        "string",
        NOT_SET,
        "read this attribute instead of the element's text",
    ),
    key(
        "fields.<field>.regex",
        "string (regex)",
        NOT_SET,
        "keep the first capture group (or the whole match), e.g. \"^([0-9]+[.,]?[0-9]*)\" for \"4,0 su 5 stelle\"; no match: no value",
    ),
    key(
        "fields.<field>.from",
        "\"review\" | \"page\" | \"url\"",
        Some("\"review\""),
        "what the selector applies to: the block, the whole page, or (with regex only) the page URL",
    ),
    key(
        "next",
        "string (CSS selector)",
        NOT_SET,
        "the next-page link; its href is resolved, unescaped and canonicalised; a page already visited ends the walk",
    ),
    key(
        "max_pages",
        "integer",
        Some("10"),
        "pages read per start URL, at most",
    ),
    key(
        "kind",
        "\"review\" | \"question\" | \"post\"",
        Some("\"review\""),
        "the documents' kind",
    ),
    key(
        "lang",
        "string (BCP 47)",
        NOT_SET,
        "the documents' language, when the pages are in one",
    ),
    key(
        "date_format",
        "string (chrono strftime format)",
        NOT_SET,
        "unset reads month names in English, Portuguese and Italian, YYYY年M月D日, YYYY-MM-DD and RFC 3339",
    ),
    key(
        "user_agent",
        "string",
        Some("\"RestockBot/0.1.0\""),
        "sent as User-Agent; its name before '/' picks the robots.txt group",
    ),
    key(
        "requests_per_second",
        "number",
        Some("1.0"),
        "requests to one host per second, at most (robots.txt Crawl-delay slows it further)",
    ),
    key(
        "timeout_secs",
        "number",
        Some("30.0"),
        "one request's limit, connection to last byte",
    ),
    key(
        "max_attempts",
        "integer",
        Some("4"),
        "tries per page; 429, 5xx and connection errors are retried with backoff, Retry-After honoured",
    ),
    key(
        "max_bytes",
        "integer",
        Some("10485760"),
        "the largest body accepted, compressed and decompressed",
    ),
    key(
        "snapshot_dir",
        "string (folder, relative to the manifest)",
        NOT_SET,
        "every page fetched is saved here (one file per URL by a stable hash, and index.json with URL, status, content type, charset)",
    ),
    key(
        "offline",
        "boolean",
        Some("false"),
        "no network: pages are replayed from snapshot_dir and one not saved fails the collector, naming the URL; RESTOCK_OFFLINE=1 sets it too",
    ),
];

/// The `html` collector.
pub(crate) const HTML: PluginInfo = PluginInfo {
    type_name: "html",
    doc: "Scrapes review pages with CSS selectors, politely (robots.txt, per-host rate limit, retries, size caps), following next links; unreadable review blocks are quarantined with their URL.",
    keys: HTML_KEYS,
    example: r#"start_urls = ["https://www.amazon.com/product-reviews/B0BBPNPZTC/"]
review = "div[data-hook=review]"
next = "li.a-last a"
max_pages = 5
lang = "en"
user_agent = "RestockBot/0.1 (+https://shop.example/bot)"
requests_per_second = 0.5
fields = {
    id = { attr = "id" },
    product_id = { from = "url", regex = "product-reviews/([A-Z0-9]{10})" },
    title = { selector = "[data-hook=review-title] > span:not(.a-letter-space)" },
    text = { selector = "[data-hook=review-body]" },
    rating = { selector = "[data-hook=review-star-rating]", regex = "^([0-9]+[.,]?[0-9]*)" },
    date = { selector = "[data-hook=review-date]", regex = " on (.+)$" },
}
"#,
};

const FEED_KEYS: &[ConfigKeyDoc] = &[
    key(
        "urls",
        "array of strings (http/https URLs)",
        None,
        "the feeds to read: RSS 0.9x, 1.0 and 2.0, Atom or JSON Feed (feed-rs)",
    ),
    key(
        "product_id",
        "string",
        NOT_SET,
        "the product every entry is about, when the feed is one product's",
    ),
    key(
        "kind",
        "\"review\" | \"question\" | \"post\"",
        Some("\"post\""),
        "the documents' kind",
    ),
    key(
        "lang",
        "string (BCP 47)",
        NOT_SET,
        "the documents' language; unset: the entry's, else the feed's, when declared",
    ),
    key(
        "user_agent",
        "string",
        Some("\"RestockBot/0.1.0\""),
        "as for html",
    ),
    key("requests_per_second", "number", Some("1.0"), "as for html"),
    key("timeout_secs", "number", Some("30.0"), "as for html"),
    key("max_attempts", "integer", Some("4"), "as for html"),
    key("max_bytes", "integer", Some("10485760"), "as for html"),
    key(
        "snapshot_dir",
        "string (folder, relative to the manifest)",
        NOT_SET,
        "as for html: every feed fetched is saved here",
    ),
    key(
        "offline",
        "boolean",
        Some("false"),
        "as for html: replay from snapshot_dir only; a feed not saved fails the collector",
    ),
];

/// The `feed` collector.
pub(crate) const FEED: PluginInfo = PluginInfo {
    type_name: "feed",
    doc: "Reads RSS and Atom feeds through the polite fetcher (robots.txt, rate limit, retries, snapshots): one document of kind post per entry, dated by published (else updated), its HTML reduced to text; an entry without a date is quarantined.",
    keys: FEED_KEYS,
    example: r#"urls = ["https://shop.example/blog/feed.xml"]
product_id = "B0BBPNPZTC"
lang = "en"
requests_per_second = 0.5
"#,
};

const HTTP_JSON_KEYS: &[ConfigKeyDoc] = &[
    key(
        "urls",
        "array of strings (http/https URLs)",
        None,
        "the API endpoints; each is paged on its own",
    ),
    key(
        "records",
        "string (path)",
        None,
        "where the records are in a response: keys joined by '.', [] for every element of an array, [N] for one (\"data.reviews[]\", \"[]\")",
    ),
    key(
        "fields",
        "table of field = path",
        None,
        "id and created_at (required), product_id, title, text, rating: the path inside a record (no []); created_at a date string or Unix seconds",
    ),
    key(
        "cursor_path",
        "string (path)",
        NOT_SET,
        "cursor paging: the next cursor in a response, sent as cursor_param; null, absent, \"\" or a cursor seen before ends",
    ),
    key(
        "cursor_param",
        "string",
        Some("\"cursor\""),
        "the query parameter the cursor is sent in",
    ),
    key(
        "page_param",
        "string",
        NOT_SET,
        "page-number paging: this query parameter from 1 until a page with no records (not with cursor_path)",
    ),
    key(
        "max_pages",
        "integer",
        Some("10"),
        "pages read per URL, at most",
    ),
    key(
        "kind",
        "\"review\" | \"question\" | \"post\"",
        Some("\"review\""),
        "the documents' kind",
    ),
    key(
        "lang",
        "string (BCP 47)",
        NOT_SET,
        "the documents' language, when the API is in one",
    ),
    key(
        "date_format",
        "string (chrono strftime format)",
        NOT_SET,
        "as for html: unset reads the formats html reads",
    ),
    key(
        "user_agent",
        "string",
        Some("\"RestockBot/0.1.0\""),
        "as for html",
    ),
    key("requests_per_second", "number", Some("1.0"), "as for html"),
    key("timeout_secs", "number", Some("30.0"), "as for html"),
    key("max_attempts", "integer", Some("4"), "as for html"),
    key("max_bytes", "integer", Some("10485760"), "as for html"),
    key(
        "snapshot_dir",
        "string (folder, relative to the manifest)",
        NOT_SET,
        "as for html: every page fetched is saved here",
    ),
    key(
        "offline",
        "boolean",
        Some("false"),
        "as for html: replay from snapshot_dir only; a page not saved fails the collector",
    ),
];

/// The `http_json` collector.
pub(crate) const HTTP_JSON: PluginInfo = PluginInfo {
    type_name: "http_json",
    doc: "Reads a JSON API through the polite fetcher (robots.txt, rate limit, retries, snapshots), paged by cursor or page number; records found by a dotted path, fields mapped like csv columns; a record without id or created_at is quarantined, a page that is not JSON fails the collector naming its URL.",
    keys: HTTP_JSON_KEYS,
    example: r#"urls = ["https://api.shop.example/v1/products/B0BBPNPZTC/reviews"]
records = "data.reviews[]"
cursor_path = "meta.next_cursor"
max_pages = 20
lang = "en"
requests_per_second = 0.5
fields = { id = "review_id", text = "body", rating = "stars", created_at = "date", product_id = "asin" }
"#,
};
