//! From an item's documents to the requests that carry them: the prompt template, token
//! counting, packing by the token budget, and each request's cache key.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use restock_core::{Dataset, Document, Grouping, ItemIndex};
use restock_privacy::{Kinds, redact};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::Message;

/// Placeholders of the prompt template, each replaced by:
///
/// | placeholder | value |
/// |---|---|
/// | `{item}` | the product id or category name |
/// | `{grouping}` | `product` or `category` |
/// | `{category}` | the item's category, or `unknown` |
/// | `{as_of}` | the run's date, `YYYY-MM-DD` |
/// | `{summary_language}` | the manifest's `summary_language` |
/// | `{document_count}` | documents in this request |
/// | `{schema}` | the answer's JSON Schema |
/// | `{documents}` | the documents, one per line: `[id] date (rating n/5): text` |
///
/// Any other `{word}` is a configuration error; other braces are kept as written.
pub const PLACEHOLDERS: [&str; 8] = [
    "item",
    "grouping",
    "category",
    "as_of",
    "summary_language",
    "document_count",
    "schema",
    "documents",
];

/// The system message of every request.
pub(crate) const SYSTEM: &str = "You read what customers write about products and tell a \
retail demand planner where demand is going. You answer with one JSON object and nothing else.";

/// The built-in user-message template.
pub const DEFAULT_PROMPT: &str = "Below are {document_count} customer documents (reviews, \
questions, posts) about the {grouping} \"{item}\" (category: {category}), written before {as_of}. \
Each line starts with the document's id in square brackets.

Judge where demand for this {grouping} is going and why. Answer with one JSON object only, \
matching this JSON Schema:
{schema}

Rules: trend is \"increase\", \"decrease\" or \"stable\"; confidence is between 0 and 1; \
demand_drivers, risks and quality_issues are short phrases (empty lists when there are none); \
stockout_mentions counts the documents that say the product was unavailable or out of stock; \
supporting_document_ids lists only ids from the lines below; summary is one sentence in \
{summary_language}.

Documents:
{documents}";

/// Tokens OpenAI's chat format adds per message, and to prime the reply (OpenAI cookbook,
/// "How to count tokens with tiktoken").
const PER_MESSAGE: usize = 3;
const REPLY_PRIMING: usize = 3;

/// Tokens of `text` by the o200k_base encoding (GPT-4o and later). Other vendors' tokenizers
/// (Qwen, Llama, DeepSeek) split differently; the count is an estimate for them.
pub(crate) fn count_tokens(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton()
        .encode_ordinary(text)
        .len()
}

/// Prompt tokens of a conversation, as OpenAI counts them.
pub(crate) fn conversation_tokens(messages: &[Message]) -> usize {
    messages
        .iter()
        .map(|m| count_tokens(&m.content) + PER_MESSAGE)
        .sum::<usize>()
        + REPLY_PRIMING
}

/// A checked prompt template.
#[derive(Debug, Clone)]
pub(crate) struct Template(String);

impl Template {
    /// The template, or why it cannot be used.
    pub(crate) fn new(text: &str) -> Result<Self, String> {
        let mut unknown = Vec::new();
        let mut has_documents = false;
        for (name, _) in placeholders(text) {
            if name == "documents" {
                has_documents = true;
            } else if !PLACEHOLDERS.contains(&name) {
                unknown.push(format!("{{{name}}}"));
            }
        }
        if !unknown.is_empty() {
            return Err(format!(
                "unknown placeholder {}: use {}",
                unknown.join(", "),
                PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ")
            ));
        }
        if !has_documents {
            return Err("has no {documents}: the documents would not be sent".to_owned());
        }
        Ok(Template(text.to_owned()))
    }

    /// The template with each placeholder replaced in one pass (a document that contains
    /// `{schema}` stays as written).
    pub(crate) fn render(&self, values: &BTreeMap<&str, String>) -> String {
        let mut out = String::with_capacity(self.0.len());
        let mut last = 0;
        for (name, range) in placeholders(&self.0) {
            if let Some(value) = values.get(name) {
                out.push_str(&self.0[last..range.start]);
                out.push_str(value);
                last = range.end;
            }
        }
        out.push_str(&self.0[last..]);
        out
    }
}

/// `{word}` occurrences (ASCII letters and `_`) with their byte ranges.
fn placeholders(text: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            let start = i + 1;
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_lowercase() || bytes[end] == b'_') {
                end += 1;
            }
            if end > start && end < bytes.len() && bytes[end] == b'}' {
                found.push((&text[start..end], i..end + 1));
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// Everything a request depends on besides the documents.
#[derive(Debug, Clone)]
pub(crate) struct Prompting {
    pub template: Template,
    pub base_url: String,
    pub model: String,
    pub temperature: f64,
    pub max_tokens: u32,
    pub max_input_tokens: u32,
    pub summary_language: String,
    pub schema: Value,
}

/// Documents of one request: (id, line).
type Lines = Vec<(String, String)>;

/// One request to make: an item's share of documents, its messages, and its cache key.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    pub item: String,
    pub category: Option<String>,
    /// The position of this batch among the item's, from 0.
    pub part: usize,
    pub messages: Vec<Message>,
    /// Ids of the documents in it (what `supporting_document_ids` may name).
    pub document_ids: Vec<String>,
    /// Prompt tokens, counted.
    pub input_tokens: usize,
    /// Documents whose text was cut to fit the budget alone.
    pub truncated: usize,
    /// Hex SHA-256 of what the answer depends on (never the API key).
    pub key: String,
}

impl Prompting {
    /// The documents of each item, packed into batches: documents with text, one per id, in
    /// date order, redacted, and as many per request as `max_input_tokens` allows.
    ///
    /// # Errors
    /// When the template and system message alone leave no room for a document.
    pub(crate) fn batches(
        &self,
        dataset: &Dataset,
        grouping: Grouping,
        as_of: NaiveDate,
    ) -> Result<Vec<Batch>, String> {
        let index = ItemIndex::new(grouping, &dataset.products);
        let mut per_item: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
        let mut seen: HashSet<(String, &str)> = HashSet::new();
        for doc in &dataset.documents {
            let Some(product) = &doc.product_id else {
                continue;
            };
            if doc.full_text().trim().is_empty() {
                continue;
            }
            let item = index.item_of(product);
            if seen.insert((item.clone(), doc.id.as_str())) {
                per_item.entry(item).or_default().push(doc);
            }
        }
        let mut batches = Vec::new();
        for (item, mut docs) in per_item {
            docs.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
            let category = index.category_of(&item);
            let values = |count: usize, documents: String| {
                BTreeMap::from([
                    ("item", item.clone()),
                    ("grouping", grouping_name(grouping).to_owned()),
                    (
                        "category",
                        category.clone().unwrap_or_else(|| "unknown".to_owned()),
                    ),
                    ("as_of", as_of.to_string()),
                    ("summary_language", self.summary_language.clone()),
                    ("document_count", count.to_string()),
                    ("schema", self.schema.to_string()),
                    ("documents", documents),
                ])
            };
            // Room for documents: the budget less the messages with no documents (a count of
            // up to five digits is allowed for).
            let fixed = conversation_tokens(&self.messages(&values(10_000, String::new())));
            let budget = self.max_input_tokens as usize;
            let Some(room) = budget.checked_sub(fixed).filter(|room| *room >= 16) else {
                return Err(format!(
                    "max_input_tokens = {budget} leaves no room for documents: the system \
                     message and prompt alone take {fixed} tokens"
                ));
            };
            // (id, line) pairs, tokens used, documents cut.
            let mut packed: Vec<(Lines, usize, usize)> = Vec::new();
            let mut current: Vec<(String, String)> = Vec::new();
            let (mut used, mut truncated) = (0, 0);
            for doc in docs {
                let mut line = document_line(doc);
                // One for the newline joining lines.
                let mut tokens = count_tokens(&line) + 1;
                if tokens > room {
                    line = cut_to(&line, room - 1);
                    tokens = count_tokens(&line) + 1;
                    truncated += 1;
                }
                if used + tokens > room && !current.is_empty() {
                    packed.push((std::mem::take(&mut current), used, truncated));
                    used = 0;
                    truncated = 0;
                }
                used += tokens;
                current.push((doc.id.clone(), line));
            }
            if !current.is_empty() {
                packed.push((current, used, truncated));
            }
            for (part, (lines, _, truncated)) in packed.into_iter().enumerate() {
                let document_ids: Vec<String> = lines.iter().map(|(id, _)| id.clone()).collect();
                let text = lines
                    .iter()
                    .map(|(_, line)| line.as_str())
                    .collect::<Vec<_>>()
                    .join("\n");
                let messages = self.messages(&values(lines.len(), text));
                let input_tokens = conversation_tokens(&messages);
                let key = self.key(&messages);
                batches.push(Batch {
                    item: item.clone(),
                    category: category.clone(),
                    part,
                    messages,
                    document_ids,
                    input_tokens,
                    truncated,
                    key,
                });
            }
        }
        Ok(batches)
    }

    fn messages(&self, values: &BTreeMap<&str, String>) -> Vec<Message> {
        vec![
            Message::system(SYSTEM),
            Message::user(self.template.render(values)),
        ]
    }

    /// SHA-256 of (base_url, model, messages — so the prompt and documents —, schema,
    /// temperature, max_tokens). The API key is never part of it.
    fn key(&self, messages: &[Message]) -> String {
        let identity = json!({
            "version": 1,
            "base_url": self.base_url.trim().trim_end_matches('/'),
            "model": self.model,
            "messages": messages,
            "schema": self.schema,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        });
        let digest = Sha256::digest(identity.to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn grouping_name(grouping: Grouping) -> &'static str {
    match grouping {
        Grouping::Product => "product",
        Grouping::Category => "category",
    }
}

/// `[id] 2018-05-01 (rating 4/5): text`, on one line, personal data redacted.
fn document_line(doc: &Document) -> String {
    let text = redact(&doc.full_text(), &Kinds::all()).text;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let rating = doc
        .rating
        .map(|r| format!(" (rating {r}/5)"))
        .unwrap_or_default();
    format!(
        "[{}] {}{rating}: {text}",
        doc.id,
        doc.created_at.date_naive()
    )
}

/// `line` cut to at most `tokens` tokens (at a character boundary), ending in `…`.
fn cut_to(line: &str, tokens: usize) -> String {
    let bpe = tiktoken_rs::o200k_base_singleton();
    let ids = bpe.encode_ordinary(line);
    let mut keep = tokens.saturating_sub(1).min(ids.len());
    loop {
        // A cut inside a multi-byte character does not decode; step back until one does.
        if let Ok(text) = bpe.decode(&ids[..keep]) {
            let cut = format!("{text}…");
            if count_tokens(&cut) <= tokens || keep == 0 {
                return cut;
            }
        }
        if keep == 0 {
            return "…".to_owned();
        }
        keep -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_checked_and_rendered_in_one_pass() {
        assert!(Template::new(DEFAULT_PROMPT).is_ok());
        let err = Template::new("Look at {docs} and {item}").unwrap_err();
        assert!(err.contains("unknown placeholder {docs}"), "{err}");
        let err = Template::new("Look at {item}").unwrap_err();
        assert!(err.contains("has no {documents}"), "{err}");
        let template = Template::new("{item}: {documents} {\"json\": 1} {").unwrap();
        let values = BTreeMap::from([
            ("item", "p1".to_owned()),
            ("documents", "says {item}".to_owned()),
        ]);
        assert_eq!(template.render(&values), "p1: says {item} {\"json\": 1} {");
    }

    #[test]
    fn tokens_are_counted_by_o200k_and_cuts_fit() {
        assert_eq!(count_tokens("hello world"), 2);
        let long = "palavra ".repeat(500);
        let cut = cut_to(&long, 50);
        assert!(count_tokens(&cut) <= 50);
        assert!(cut.ends_with('…'));
        assert!(count_tokens(&cut) >= 45);
    }
}
