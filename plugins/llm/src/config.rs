//! What a [`crate::ChatClient`] is built from.

use std::fmt;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use crate::cassette::LlmMode;

/// An API key, sent as `Authorization: Bearer …` and nowhere else.
///
/// Its `Debug` prints `ApiKey(***)`; it has no `Display` and no `Serialize`, so it cannot end up
/// in a log line, a report or a cache file by accident. The header carrying it is marked
/// sensitive, and server bodies quoted in errors are scrubbed of it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key read from the environment (the runner resolves `${OPENAI_API_KEY}`).
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// True for an empty key (`${OPENAI_API_KEY:-}` with the variable unset): none is sent.
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// Read from a manifest string (`api_key = "${OPENAI_API_KEY}"`, which the runner expands).
impl<'de> serde::Deserialize<'de> for ApiKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(ApiKey)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Settings of a [`crate::ChatClient`]. Build with [`ClientConfig::new`] and set fields; every
/// field has a working default.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The server's OpenAI-compatible root, up to and including `/v1`
    /// (`https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`); the client appends
    /// `/chat/completions`. A trailing `/` is ignored.
    pub base_url: String,
    /// The model name the server expects (`gpt-4o-mini`, `deepseek-chat`, `qwen2.5:7b`).
    pub model: String,
    /// The bearer token; `None` sends no `Authorization` header (local servers).
    pub api_key: Option<ApiKey>,
    /// Sampling temperature (0–2); `None` leaves the server's default.
    pub temperature: Option<f64>,
    /// Upper bound on completion tokens (`max_tokens`); `None` leaves the server's default.
    pub max_tokens: Option<u32>,
    /// Per-request timeout, from sending the request to the last byte of the body. Default 60 s.
    pub timeout: Duration,
    /// Attempts per call, the first included (so 1 means no retry). Default 4.
    pub max_attempts: u32,
    /// Backoff before the first retry of a 408, 5xx, timeout or transport error; doubled for
    /// each later retry, capped at [`ClientConfig::max_backoff`], then jittered. Default 500 ms.
    pub initial_backoff: Duration,
    /// Ceiling of the exponential backoff. Default 30 s.
    pub max_backoff: Duration,
    /// Ceiling of a wait asked for by `Retry-After`; a longer ask waits this long. Default 60 s.
    pub max_retry_after: Duration,
    /// Requests per minute allowed by this client and its clones together; `None`: no limit.
    pub requests_per_minute: Option<NonZeroU32>,
    /// Tokens per minute (estimated prompt tokens + `max_tokens`), shared like
    /// `requests_per_minute`; `None`: no limit.
    pub tokens_per_minute: Option<NonZeroU32>,
    /// How much of a minute's allowance may be spent at once (the limiters' bucket). Default
    /// 1 s: limits are spread evenly (120 per minute is one every 500 ms, two at once at most).
    pub burst_window: Duration,
    /// Where answers come from: the server ([`LlmMode::Live`], the default), the server with
    /// every exchange appended to [`ClientConfig::cassette`] ([`LlmMode::Record`]), or the
    /// cassette alone ([`LlmMode::Replay`], no socket).
    pub mode: LlmMode,
    /// The cassette file (JSON lines, see [`crate::cassette`]); required in record and replay,
    /// ignored in live.
    pub cassette: Option<PathBuf>,
}

impl ClientConfig {
    /// A configuration for `model` at `base_url` with the defaults documented on each field.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            temperature: None,
            max_tokens: None,
            timeout: Duration::from_secs(60),
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            requests_per_minute: None,
            tokens_per_minute: None,
            burst_window: Duration::from_secs(1),
            mode: LlmMode::Live,
            cassette: None,
        }
    }
}
