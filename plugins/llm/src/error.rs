//! The one error type of the crate: what went wrong with a chat-completions call, typed so a
//! model can decide per product what to report.

use std::path::PathBuf;
use std::time::Duration;

/// Why a chat-completions call gave no usable answer.
///
/// No variant ever holds the API key: server bodies are cut to an excerpt and scrubbed of the
/// key before they are stored here.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LlmError {
    /// The client's configuration cannot work (a base URL that is not `http`/`https`, a zero
    /// attempt count, an API key that is not a valid header value).
    #[error("invalid LLM client configuration: {reason}")]
    InvalidConfig {
        /// What is wrong, naming the setting.
        reason: String,
    },
    /// The server stopped generating because it hit `max_tokens` or its context length
    /// (`finish_reason = "length"`). The partial content is kept for diagnostics only; it is
    /// never parsed or "repaired" into an answer.
    #[error(
        "the answer was truncated (finish_reason = \"length\") after {completion_tokens:?} completion tokens"
    )]
    Truncated {
        /// The partial text the server sent, for a diagnostic.
        partial: String,
        /// Completion tokens the server reported, when it did.
        completion_tokens: Option<u64>,
    },
    /// The server's content filter withheld the answer (`finish_reason = "content_filter"`,
    /// usually with `content: null`), or the model refused (`message.refusal`).
    #[error("the answer was withheld by the server's content filter{}", refusal.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    ContentFiltered {
        /// The model's refusal text, when the server sent one.
        refusal: Option<String>,
    },
    /// No complete response arrived within the per-request timeout.
    #[error("no response within {} ms", after.as_millis())]
    Timeout {
        /// The per-request timeout that ran out.
        after: Duration,
    },
    /// The server answered with a non-success HTTP status.
    #[error("HTTP {status}: {body}")]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The first 500 characters of the response body, with the API key scrubbed.
        body: String,
    },
    /// The connection failed (refused, reset, DNS, TLS) before a status arrived.
    #[error("transport error: {message}")]
    Transport {
        /// The client library's description (it names the URL, never the headers).
        message: String,
    },
    /// A success status whose body is not a chat-completions response (not JSON, no
    /// `choices`).
    #[error("the response is not a chat completion: {reason}; body starts {body:?}")]
    Decode {
        /// What is missing or malformed.
        reason: String,
        /// The first 500 characters of the body, with the API key scrubbed.
        body: String,
    },
    /// The reply arrived but is not the JSON object asked for (a bare number, an array,
    /// invalid JSON, an empty reply).
    #[error("invalid answer: {reason}")]
    InvalidAnswer {
        /// Why the reply was rejected.
        reason: String,
    },
    /// In replay, no recording in the cassette matches the request. Never retried, and never
    /// answered from the network instead: re-record the cassette (`RESTOCK_LLM=record`).
    #[error(
        "no recording in the cassette {} matches the request {request}; {diff}\n(the prompt, model or parameters changed since it was recorded: record it again with RESTOCK_LLM=record)",
        cassette.display()
    )]
    CassetteMiss {
        /// The cassette file.
        cassette: PathBuf,
        /// Method, path and a short SHA-256 of the canonical request body.
        request: String,
        /// How the request differs from the closest recording.
        diff: String,
    },
    /// The cassette cannot be read (replay), or written (record), or it is needed and not
    /// configured.
    #[error("LLM cassette {}: {reason}", cassette.display())]
    Cassette {
        /// The cassette file (empty when none is configured).
        cassette: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// Every allowed attempt failed with a retryable error (429, 408, 5xx, timeout, transport).
    #[error("gave up after {attempts} attempts: {last}")]
    RetriesExhausted {
        /// Attempts made, the first included.
        attempts: u32,
        /// The error of the last attempt.
        last: Box<LlmError>,
    },
}

impl LlmError {
    /// Whether another attempt may succeed: 429, 408, 5xx, a timeout or a transport error.
    pub fn is_retryable(&self) -> bool {
        match self {
            LlmError::Http { status, .. } => {
                *status == 429 || *status == 408 || (500..=599).contains(status)
            }
            LlmError::Timeout { .. } | LlmError::Transport { .. } => true,
            _ => false,
        }
    }
}

/// The first `max` characters of `text`, with every occurrence of `secret` replaced by `***`.
pub(crate) fn excerpt(text: &str, secret: Option<&str>, max: usize) -> String {
    let scrubbed = match secret {
        Some(secret) if !secret.is_empty() => text.replace(secret, "***"),
        _ => text.to_owned(),
    };
    match scrubbed.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &scrubbed[..cut]),
        None => scrubbed,
    }
}
