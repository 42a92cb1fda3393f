//! What the `csv` and `jsonl` collectors say about themselves: one line each, every key, and a
//! complete example (tested to deserialise and build).

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

/// Shown as the default of an optional key that has no default value.
const NOT_SET: Option<&str> = Some("(not set)");

const RECORDS: ConfigKeyDoc = key(
    "records",
    "\"documents\" | \"sales\" | \"stock\" | \"products\" | \"forecasts\"",
    None,
    "which records each row becomes",
);
const PATH: ConfigKeyDoc = key(
    "path",
    "string",
    None,
    "the file, relative to the manifest's folder; plain or gzip (.gz name or gzip magic bytes)",
);
const COLUMNS: ConfigKeyDoc = key(
    "columns",
    "table of field = \"column\"",
    Some("{}"),
    "record field -> source column; an unmapped field reads the column named like the field, if any",
);
const EXTRA: ConfigKeyDoc = key(
    "extra",
    "array of strings",
    Some("[]"),
    "documents only: columns copied verbatim into the document's extra map",
);
const KIND: ConfigKeyDoc = key(
    "kind",
    "\"review\" | \"question\" | \"post\"",
    Some("\"review\""),
    "documents only: the kind when no kind column gives one",
);
const DELIMITER: ConfigKeyDoc = key(
    "delimiter",
    "string (one ASCII character)",
    Some("\",\""),
    "the field separator, e.g. \";\" or \"\\t\"",
);
const ENCODING: ConfigKeyDoc = key(
    "encoding",
    "string (WHATWG label)",
    Some("\"utf-8\""),
    "text encoding: utf-8 (byte-order mark optional), latin-1, windows-1252, utf-16le, ...",
);
const DATE_FORMAT: ConfigKeyDoc = key(
    "date_format",
    "string (chrono strftime format)",
    NOT_SET,
    "date format of created_at / date / period; unset accepts RFC 3339, YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (UTC), YYYYMMDD and unix seconds",
);
const PERIOD: ConfigKeyDoc = key(
    "period",
    "\"day\" | \"week\" | \"month\"",
    Some("\"week\""),
    "forecasts only: the period length; a row's period date must be its first day (ISO weeks start on Monday), else the row is quarantined",
);
const DISTRIBUTION: ConfigKeyDoc = key(
    "distribution",
    "\"normal\" | \"poisson\" | \"negative_binomial\" | \"empirical\"",
    Some("\"normal\""),
    "forecasts only: the distribution of rows with no distribution value",
);
const MISSING_VALUES: ConfigKeyDoc = key(
    "missing_values",
    "array of strings",
    Some("[]"),
    "sales only: quantity cells that mean recorded as unknown (quantity NaN, counted), e.g. [\"NA\", \"\"]; \"\" matches an empty cell, else 1 unit",
);
const JOIN: ConfigKeyDoc = key(
    "join",
    "table | array of tables",
    NOT_SET,
    "other files whose columns fill fields, matched on a key column; one record per distinct match",
);
const JOIN_PATH: ConfigKeyDoc = key(
    "join.path",
    "string",
    None,
    "the joined file (read whole into memory); .jsonl/.ndjson names are JSONL, others like the main file",
);
const JOIN_ON: ConfigKeyDoc = key(
    "join.on",
    "string | { left = string, right = string }",
    None,
    "the key column, in both files, or left (main file) and right (joined file)",
);
const JOIN_COLUMNS: ConfigKeyDoc = key(
    "join.columns",
    "table of field = \"column\"",
    None,
    "record field -> column of the joined file; a field also in columns reads that column when a row has no match",
);
const JOIN_DELIMITER: ConfigKeyDoc = key(
    "join.delimiter",
    "string (one ASCII character)",
    Some("the main file's"),
    "the joined file's field separator",
);
const JOIN_ENCODING: ConfigKeyDoc = key(
    "join.encoding",
    "string (WHATWG label)",
    Some("the main file's"),
    "the joined file's text encoding",
);

const CSV_KEYS: &[ConfigKeyDoc] = &[
    RECORDS,
    PATH,
    COLUMNS,
    EXTRA,
    KIND,
    DELIMITER,
    ENCODING,
    DATE_FORMAT,
    PERIOD,
    DISTRIBUTION,
    MISSING_VALUES,
    JOIN,
    JOIN_PATH,
    JOIN_ON,
    JOIN_COLUMNS,
    JOIN_DELIMITER,
    JOIN_ENCODING,
];

const JSONL_KEYS: &[ConfigKeyDoc] = &[
    RECORDS,
    PATH,
    COLUMNS,
    EXTRA,
    KIND,
    ENCODING,
    DATE_FORMAT,
    PERIOD,
    DISTRIBUTION,
    MISSING_VALUES,
    JOIN,
    JOIN_PATH,
    JOIN_ON,
    JOIN_COLUMNS,
    JOIN_DELIMITER,
    JOIN_ENCODING,
];

/// The `csv` collector.
pub(crate) const CSV: PluginInfo = PluginInfo {
    type_name: "csv",
    doc: "Reads documents, sales, stock, products or forecasts from a CSV file (plain or gzip), with column mapping, joins and quarantine of bad rows.",
    keys: CSV_KEYS,
    example: r#"records = "documents"
path = "data/olist_order_reviews_dataset.csv"
kind = "review"
columns = { id = "review_id", rating = "review_score", title = "review_comment_title", text = "review_comment_message", created_at = "review_creation_date" }
extra = ["order_id"]
join = { path = "data/olist_order_items_dataset.csv", on = "order_id", columns = { product_id = "product_id" } }
"#,
};

/// The `jsonl` collector.
pub(crate) const JSONL: PluginInfo = PluginInfo {
    type_name: "jsonl",
    doc: "Reads documents, sales, stock, products or forecasts from a JSON Lines file (plain or gzip), one object per line, with key mapping, joins and quarantine of bad lines.",
    keys: JSONL_KEYS,
    example: r#"records = "documents"
path = "data/reviews.jsonl.gz"
kind = "review"
columns = { id = "reviewerID", product_id = "asin", rating = "overall", title = "summary", text = "reviewText", created_at = "unixReviewTime" }
"#,
};
