//! Cassettes: recorded HTTP exchanges, so that a pipeline with an LLM model can be tested with
//! no network and no key.
//!
//! A cassette is a JSON-lines file, one exchange per line:
//!
//! ```json
//! {"request":{"method":"POST","path":"/v1/chat/completions","body":{…keys sorted…}},
//!  "response":{"status":200,"headers":{"content-type":"application/json"},"body":{…}}}
//! ```
//!
//! (one line in the file). The request body is canonical JSON (object keys sorted, at every
//! depth), so a recording does not depend on field order. Only the response headers that change
//! what the client does are kept (`content-type`, `retry-after`, `retry-after-ms`); request
//! headers are never stored, so the `Authorization` header never reaches the file, and every
//! occurrence of the API key in a body is replaced by `***` before it is written.
//!
//! The client uses a cassette at its transport level ([`LlmMode`]): in `record` it sends each
//! request to the server and appends the exchange; in `replay` it answers each request from the
//! recording and opens no socket. Retries, `Retry-After` waits, decoding and the response-format
//! fallback run exactly as against a server. Why not mock at a higher level: a recorded 429
//! must make the client wait and retry, as it did when it was recorded.
//!
//! Matching: method, path and canonical body (the host and port are not compared, so a
//! recording made against a loopback server on any port replays). Identical requests get the
//! recorded answers in the order they were recorded; the last one is repeated. A request that
//! matches nothing is [`LlmError::CassetteMiss`], naming the cassette, with a short hash of the
//! request and the lines where it differs from the closest recording — never a network call.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::LlmError;

/// Where a client's answers come from. The library never reads the environment: the binary or
/// the test kit reads `RESTOCK_LLM` and passes the mode in ([`LlmMode::from_str`] parses it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LlmMode {
    /// Ask the server; no cassette is read or written (`restock run`'s default).
    #[default]
    Live,
    /// Ask the server and append every exchange to the cassette, secrets scrubbed.
    Record,
    /// Answer from the cassette only; no socket is opened. An unmatched request is an error.
    Replay,
}

impl LlmMode {
    /// The name used in `RESTOCK_LLM`: `live`, `record` or `replay`.
    pub fn as_str(self) -> &'static str {
        match self {
            LlmMode::Live => "live",
            LlmMode::Record => "record",
            LlmMode::Replay => "replay",
        }
    }
}

impl fmt::Display for LlmMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LlmMode {
    type Err = String;

    /// `live`, `record` or `replay` (any case, surrounding spaces ignored).
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "live" => Ok(LlmMode::Live),
            "record" => Ok(LlmMode::Record),
            "replay" => Ok(LlmMode::Replay),
            other => Err(format!(
                "RESTOCK_LLM is {other:?}: expected live, record or replay"
            )),
        }
    }
}

/// Response headers kept in a recording: the ones that change what the client does.
pub(crate) const KEPT_HEADERS: [&str; 3] = ["content-type", "retry-after", "retry-after-ms"];

/// One recorded exchange (one line of a cassette).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back.
    pub response: RecordedResponse,
}

/// A request as recorded: no headers at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// `POST`.
    pub method: String,
    /// The URL's path (`/v1/chat/completions`); host and port are not recorded.
    pub path: String,
    /// The body as canonical JSON (keys sorted), the API key replaced by `***`.
    pub body: Value,
}

/// A response as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The HTTP status.
    pub status: u16,
    /// `content-type`, `retry-after` and `retry-after-ms`, when the server sent them.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body when it is JSON (keys sorted), the API key replaced by `***`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// The body when it is not JSON, verbatim but for the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
}

impl RecordedResponse {
    /// The body as the server sent it (JSON re-serialised).
    pub fn text(&self) -> String {
        match (&self.body, &self.body_text) {
            (Some(json), _) => json.to_string(),
            (None, Some(text)) => text.clone(),
            (None, None) => String::new(),
        }
    }
}

/// `value` with every object's keys sorted, at every depth.
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, Value> =
                map.iter().map(|(k, v)| (k, canonical(v))).collect();
            let mut out = Map::new();
            for (key, value) in sorted {
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn scrub(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(secret) if !secret.trim().is_empty() => text.replace(secret, "***"),
        _ => text.to_owned(),
    }
}

/// A request body as recorded: scrubbed of `secret`, then canonical JSON (or, if it is not
/// JSON, the scrubbed text as a JSON string).
pub(crate) fn recorded_body(body: &[u8], secret: Option<&str>) -> Value {
    let text = scrub(&String::from_utf8_lossy(body), secret);
    match serde_json::from_str::<Value>(&text) {
        Ok(json) => canonical(&json),
        Err(_) => Value::String(text),
    }
}

/// A response as recorded: the kept headers and the scrubbed body.
pub(crate) fn recorded_response(
    status: u16,
    headers: BTreeMap<String, String>,
    text: &str,
    secret: Option<&str>,
) -> RecordedResponse {
    let text = scrub(text, secret);
    let headers = headers
        .into_iter()
        .map(|(name, value)| (name, scrub(&value, secret)))
        .collect();
    match serde_json::from_str::<Value>(&text) {
        Ok(json) => RecordedResponse {
            status,
            headers,
            body: Some(canonical(&json)),
            body_text: None,
        },
        Err(_) => RecordedResponse {
            status,
            headers,
            body: None,
            body_text: Some(text),
        },
    }
}

/// The first 12 hex digits of the SHA-256 of a canonical request body.
pub fn request_hash(body: &Value) -> String {
    let digest = Sha256::digest(body.to_string().as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Appends exchanges to a cassette, one line each, as they happen.
#[derive(Debug)]
pub(crate) struct Recorder {
    path: PathBuf,
    file: Mutex<Option<std::fs::File>>,
}

impl Recorder {
    pub(crate) fn new(path: PathBuf) -> Self {
        Recorder {
            path,
            file: Mutex::new(None),
        }
    }

    /// Appends `exchange` as one line (the file and its folder are created on the first one).
    pub(crate) fn append(&self, exchange: &Exchange) -> Result<(), LlmError> {
        let fail = |reason: String| LlmError::Cassette {
            cassette: self.path.clone(),
            reason,
        };
        let mut line = serde_json::to_string(exchange).map_err(|e| fail(e.to_string()))?;
        line.push('\n');
        let mut file = self.file.lock().expect("cassette lock");
        if file.is_none() {
            if let Some(parent) = self.path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| fail(format!("cannot create its folder: {e}")))?;
            }
            let opened = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(|e| fail(format!("cannot open it for appending: {e}")))?;
            *file = Some(opened);
        }
        let handle = file.as_mut().expect("opened above");
        handle
            .write_all(line.as_bytes())
            .and_then(|()| handle.flush())
            .map_err(|e| fail(format!("cannot write to it: {e}")))
    }
}

/// Answers requests from a cassette read once, when the client is built.
#[derive(Debug)]
pub(crate) struct Player {
    path: PathBuf,
    /// Recorded requests, in file order, for the diff of a miss.
    requests: Vec<RecordedRequest>,
    /// Answers per (method, path, canonical body), in recorded order; the last one repeats.
    answers: Mutex<HashMap<String, VecDeque<RecordedResponse>>>,
}

fn match_key(method: &str, path: &str, body: &Value) -> String {
    format!("{method} {path} {body}")
}

impl Player {
    /// Reads the cassette at `path`.
    ///
    /// # Errors
    /// [`LlmError::Cassette`] when the file cannot be read or a line is not an exchange.
    pub(crate) fn open(path: &Path) -> Result<Self, LlmError> {
        let fail = |reason: String| LlmError::Cassette {
            cassette: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            fail(format!(
                "cannot read it ({e}); record it with RESTOCK_LLM=record"
            ))
        })?;
        let mut requests = Vec::new();
        let mut answers: HashMap<String, VecDeque<RecordedResponse>> = HashMap::new();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let exchange: Exchange = serde_json::from_str(line)
                .map_err(|e| fail(format!("line {} is not an exchange: {e}", number + 1)))?;
            let body = canonical(&exchange.request.body);
            answers
                .entry(match_key(
                    &exchange.request.method,
                    &exchange.request.path,
                    &body,
                ))
                .or_default()
                .push_back(exchange.response);
            requests.push(RecordedRequest {
                body,
                ..exchange.request
            });
        }
        Ok(Player {
            path: path.to_path_buf(),
            requests,
            answers: Mutex::new(answers),
        })
    }

    /// The recorded answer to this request.
    ///
    /// # Errors
    /// [`LlmError::CassetteMiss`] when no recording matches.
    pub(crate) fn answer(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        secret: Option<&str>,
    ) -> Result<RecordedResponse, LlmError> {
        let body = recorded_body(body, secret);
        let mut answers = self.answers.lock().expect("cassette lock");
        if let Some(queue) = answers.get_mut(&match_key(method, path, &body)) {
            let answer = if queue.len() > 1 {
                queue.pop_front()
            } else {
                queue.front().cloned()
            };
            if let Some(answer) = answer {
                return Ok(answer);
            }
        }
        Err(LlmError::CassetteMiss {
            cassette: self.path.clone(),
            request: format!("{method} {path} body sha256 {}", request_hash(&body)),
            diff: self.closest_diff(method, path, &body),
        })
    }

    /// How `body` differs from the most similar recorded request (by shared lines of the
    /// pretty-printed JSON): a few `-` recorded / `+` sent lines, each cut around the first
    /// character that differs.
    fn closest_diff(&self, method: &str, path: &str, body: &Value) -> String {
        let sent = pretty_lines(body);
        let closest = self
            .requests
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .map(|r| {
                let lines = pretty_lines(&r.body);
                let shared = lines.iter().filter(|l| sent.contains(l)).count();
                (shared, lines)
            })
            .max_by_key(|(shared, _)| *shared);
        let Some((_, recorded)) = closest else {
            return format!(
                "the cassette has no {method} {path} recording ({} exchanges in all)",
                self.requests.len()
            );
        };
        let removed: Vec<&String> = recorded.iter().filter(|l| !sent.contains(l)).collect();
        let added: Vec<&String> = sent.iter().filter(|l| !recorded.contains(l)).collect();
        let mut out = Vec::new();
        for i in 0..removed.len().max(added.len()).min(4) {
            let (old, new) = (removed.get(i), added.get(i));
            let from = match (old, new) {
                (Some(a), Some(b)) => first_difference(a, b),
                _ => 0,
            };
            if let Some(line) = old {
                out.push(format!("- {}", window(line, from)));
            }
            if let Some(line) = new {
                out.push(format!("+ {}", window(line, from)));
            }
        }
        let more = removed.len().max(added.len()).saturating_sub(4);
        if more > 0 {
            out.push(format!("… and {more} more differing lines"));
        }
        if out.is_empty() {
            out.push("(the same lines in another order)".to_owned());
        }
        format!(
            "closest recording (- recorded, + sent):\n{}",
            out.join("\n")
        )
    }
}

fn pretty_lines(body: &Value) -> Vec<String> {
    serde_json::to_string_pretty(body)
        .unwrap_or_default()
        .lines()
        .map(|line| line.trim().to_owned())
        .collect()
}

/// Character index of the first difference of `a` and `b`.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Up to 100 characters of `line`, from 30 before character `from`.
fn window(line: &str, from: usize) -> String {
    let start = from.saturating_sub(30);
    let chars: Vec<char> = line.chars().collect();
    let end = (start + 100).min(chars.len());
    let mut text: String = chars[start.min(end)..end].iter().collect();
    if start > 0 {
        text.insert(0, '…');
    }
    if end < chars.len() {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let value = json!({"b": 1, "a": {"d": [{"z": 1, "y": 2}], "c": null}});
        assert_eq!(
            canonical(&value).to_string(),
            r#"{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}"#
        );
    }

    #[test]
    fn modes_parse_from_their_names_and_refuse_others() {
        assert_eq!(" Replay ".parse::<LlmMode>(), Ok(LlmMode::Replay));
        assert_eq!("record".parse::<LlmMode>(), Ok(LlmMode::Record));
        assert_eq!("live".parse::<LlmMode>(), Ok(LlmMode::Live));
        assert!(
            "offline"
                .parse::<LlmMode>()
                .unwrap_err()
                .contains("offline")
        );
    }

    #[test]
    fn a_miss_names_the_differing_line_around_its_first_difference() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        let exchange = Exchange {
            request: RecordedRequest {
                method: "POST".into(),
                path: "/v1/chat/completions".into(),
                body: json!({"model": "m", "prompt": format!("{} old ending", "x".repeat(200))}),
            },
            response: recorded_response(200, BTreeMap::new(), "{}", None),
        };
        Recorder::new(path.clone()).append(&exchange).unwrap();
        let player = Player::open(&path).unwrap();
        let sent = json!({"model": "m", "prompt": format!("{} new ending", "x".repeat(200))});
        let error = player
            .answer(
                "POST",
                "/v1/chat/completions",
                sent.to_string().as_bytes(),
                None,
            )
            .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("c.jsonl"), "{text}");
        assert!(
            text.contains("- …") && text.contains("old ending"),
            "{text}"
        );
        assert!(
            text.contains("+ …") && text.contains("new ending"),
            "{text}"
        );
        assert!(!error.is_retryable());
    }
}
