//! [`ChatClient`]: one OpenAI-compatible chat-completions endpoint, called with retries and
//! rate limits.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use crate::answer::extract_json_object;
use crate::cassette::{
    Exchange, KEPT_HEADERS, LlmMode, Player, RecordedRequest, Recorder, recorded_body,
    recorded_response,
};
use crate::error::excerpt;
use crate::format::{ResponseFormat, rejects_response_format};
use crate::rate::PerMinute;
use crate::retry::{backoff, parse_retry_after};
use crate::wire::{FinishReason, Message, Usage, WireRequest, WireResponse};
use crate::{ClientConfig, LlmError};

/// Characters of a server body kept in an error.
const BODY_EXCERPT: usize = 500;

/// One chat-completions call: the messages, the answer format asked for, and optionally the
/// caller's own token count for the tokens-per-minute limit.
#[derive(Debug, Clone)]
pub struct ChatRequest {
    /// The conversation, usually a system message and a user message.
    pub messages: Vec<Message>,
    /// The `response_format` to send ([`ResponseFormat::Text`] sends none).
    pub response_format: ResponseFormat,
    /// Tokens this request will use (prompt + completion budget), as counted by the caller's
    /// tokenizer; `None`: estimated as ⌈characters / 4⌉ + 4 per message, plus `max_tokens`.
    pub estimated_tokens: Option<u32>,
}

impl ChatRequest {
    /// A request for `messages` with no `response_format` and an estimated token count.
    pub fn new(messages: Vec<Message>) -> Self {
        ChatRequest {
            messages,
            response_format: ResponseFormat::Text,
            estimated_tokens: None,
        }
    }

    /// The same request asking for `format`.
    pub fn with_format(mut self, format: ResponseFormat) -> Self {
        self.response_format = format;
        self
    }
}

/// A successful reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// The first choice's text (`message.content`).
    pub content: String,
    /// Why generation stopped: [`FinishReason::Stop`], or an unknown or missing value (never
    /// `Length` or `ContentFilter`, which are errors).
    pub finish_reason: FinishReason,
    /// Token counts, when the server sent `usage`.
    pub usage: Option<Usage>,
    /// The model that answered, as the server names it.
    pub model: Option<String>,
    /// HTTP attempts this call took (1 when the first succeeded).
    pub attempts: u32,
}

/// A reply parsed into a JSON object by [`ChatClient::complete_json`].
#[derive(Debug, Clone, PartialEq)]
pub struct JsonAnswer {
    /// The object (see [`extract_json_object`]).
    pub object: Map<String, Value>,
    /// The reply it came from.
    pub completion: Completion,
    /// The `response_format` the server accepted (after any fallback).
    pub format: ResponseFormat,
}

/// Counters of everything a client and its clones have done, for the run's report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Retries: requests sent again after a 429, 408, 5xx, timeout or transport error.
    pub retries: u64,
    /// Fallbacks to a weaker `response_format` after a server rejected one.
    pub format_fallbacks: u64,
    /// Prompt tokens the server reported, summed.
    pub prompt_tokens: u64,
    /// Completion tokens the server reported, summed (truncated replies included).
    pub completion_tokens: u64,
}

/// A client of one model on one OpenAI-compatible server.
///
/// Cheap to clone; clones share the connection pool, the rate limits, the negotiated
/// response format and the [`ClientStats`], so concurrent calls respect one allowance.
#[derive(Clone)]
pub struct ChatClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    http: reqwest::Client,
    url: reqwest::Url,
    authorization: Option<HeaderValue>,
    requests_per_minute: Option<PerMinute>,
    tokens_per_minute: Option<PerMinute>,
    /// The weakest format a server has asked for: 0 json_schema, 1 json_object, 2 text.
    format_floor: AtomicU8,
    stats: Mutex<ClientStats>,
    tape: Tape,
}

/// Where answers come from ([`LlmMode`]).
enum Tape {
    Live,
    Record(Recorder),
    Replay(Player),
}

impl fmt::Debug for ChatClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatClient")
            .field("url", &self.inner.url.as_str())
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl ChatClient {
    /// Builds a client; no request is sent.
    ///
    /// # Errors
    /// [`LlmError::InvalidConfig`] for a base URL that is not `http://` or `https://`, zero
    /// `max_attempts`, a zero timeout, or an API key that cannot be an HTTP header.
    pub fn new(config: ClientConfig) -> Result<Self, LlmError> {
        let invalid = |reason: String| LlmError::InvalidConfig { reason };
        let base = config.base_url.trim().trim_end_matches('/');
        let url = reqwest::Url::parse(&format!("{base}/chat/completions")).map_err(|error| {
            invalid(format!(
                "base_url {:?} is not a URL: {error}",
                config.base_url
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "base_url {:?} must start with http:// or https://",
                config.base_url
            )));
        }
        if config.max_attempts == 0 {
            return Err(invalid("max_attempts must be at least 1".to_owned()));
        }
        if config.timeout.is_zero() {
            return Err(invalid("timeout must be positive".to_owned()));
        }
        let authorization = match &config.api_key {
            Some(key) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", key.expose()))
                    .map_err(|_| {
                        invalid(
                            "api_key contains characters not allowed in an HTTP header".to_owned(),
                        )
                    })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        let tape = tape(&config)?;
        install_crypto_provider();
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(concat!("restock-llm/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .build()
            .map_err(|error| invalid(format!("cannot build the HTTP client: {error}")))?;
        let requests_per_minute = config
            .requests_per_minute
            .map(|n| PerMinute::new(n, config.burst_window));
        let tokens_per_minute = config
            .tokens_per_minute
            .map(|n| PerMinute::new(n, config.burst_window));
        Ok(ChatClient {
            inner: Arc::new(Inner {
                config,
                http,
                url,
                authorization,
                requests_per_minute,
                tokens_per_minute,
                format_floor: AtomicU8::new(0),
                stats: Mutex::new(ClientStats::default()),
                tape,
            }),
        })
    }

    /// The configuration the client was built from.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// What this client and its clones have done so far.
    pub fn stats(&self) -> ClientStats {
        *self.inner.stats.lock().expect("stats lock")
    }

    /// Sends `request`, retrying as [`crate`]'s docs describe, and returns the first choice.
    ///
    /// # Errors
    /// [`LlmError::Truncated`], [`LlmError::ContentFiltered`], [`LlmError::Decode`] and
    /// [`LlmError::InvalidAnswer`] (`content: null` without a filter reason) at once; a
    /// non-retryable [`LlmError::Http`] (400, 401, 404, …) at once; after `max_attempts`
    /// retryable failures, [`LlmError::RetriesExhausted`] holding the last one.
    pub async fn complete(&self, request: &ChatRequest) -> Result<Completion, LlmError> {
        let config = &self.inner.config;
        let body = serde_json::to_vec(&WireRequest {
            model: &config.model,
            messages: &request.messages,
            temperature: config.temperature,
            max_tokens: config.max_tokens,
            response_format: request.response_format.to_wire(),
            stream: false,
        })
        .expect("a request always serialises");
        let tokens = request
            .estimated_tokens
            .unwrap_or_else(|| estimate_tokens(&request.messages, config.max_tokens));
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.wait_for_allowance(tokens).await;
            self.count(|stats| stats.requests += 1);
            let (error, retry_after) = match self.send_once(&body).await {
                Ok(mut completion) => {
                    completion.attempts = attempt;
                    return Ok(completion);
                }
                Err(failure) => failure,
            };
            if !error.is_retryable() {
                return Err(error);
            }
            if attempt >= config.max_attempts {
                return Err(LlmError::RetriesExhausted {
                    attempts: attempt,
                    last: Box::new(error),
                });
            }
            let wait = match retry_after {
                Some(asked) => asked.min(config.max_retry_after),
                None => backoff(attempt, config.initial_backoff, config.max_backoff),
            };
            tracing::warn!(
                model = %config.model,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "LLM request failed, retrying: {error}"
            );
            self.count(|stats| stats.retries += 1);
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends `request` and parses the reply into a JSON object, negotiating the
    /// `response_format`.
    ///
    /// Starts from `request.response_format`, or from a weaker format a server already
    /// rejected on this client. The fallback rule: when the server answers 400 or 422 with a
    /// body that mentions `response_format`, `json_schema` or `json_object`
    /// ([`rejects_response_format`]), the same request is sent with the next weaker format
    /// (`json_schema` → `json_object` → text), and the client remembers it for later calls.
    ///
    /// # Errors
    /// Those of [`ChatClient::complete`], and [`LlmError::InvalidAnswer`] when the reply is
    /// not a JSON object ([`extract_json_object`]).
    pub async fn complete_json(&self, request: &ChatRequest) -> Result<JsonAnswer, LlmError> {
        let floor = self.inner.format_floor.load(Ordering::Relaxed);
        let mut format = request.response_format.clone();
        while level(&format) < floor {
            format = format.fallback().expect("text is the last level");
        }
        loop {
            let attempt = ChatRequest {
                response_format: format.clone(),
                ..request.clone()
            };
            match self.complete(&attempt).await {
                Ok(completion) => {
                    let object = extract_json_object(&completion.content)?;
                    return Ok(JsonAnswer {
                        object,
                        completion,
                        format,
                    });
                }
                Err(error) if rejects_response_format(&error) => {
                    let Some(next) = format.fallback() else {
                        return Err(error);
                    };
                    tracing::info!(
                        model = %self.inner.config.model,
                        "server rejected response_format {}, falling back to {}",
                        format.kind(),
                        next.kind()
                    );
                    self.inner
                        .format_floor
                        .fetch_max(level(&next), Ordering::Relaxed);
                    self.count(|stats| stats.format_fallbacks += 1);
                    format = next;
                }
                Err(error) => return Err(error),
            }
        }
    }

    async fn wait_for_allowance(&self, tokens: u32) {
        if let Some(limit) = &self.inner.requests_per_minute {
            limit.acquire(1).await;
        }
        if let Some(limit) = &self.inner.tokens_per_minute {
            limit.acquire(tokens).await;
        }
    }

    /// One HTTP attempt (or, in replay, one answer from the cassette). On failure, also the
    /// wait a `Retry-After` header asked for.
    async fn send_once(&self, body: &[u8]) -> Result<Completion, (LlmError, Option<Duration>)> {
        let (status, headers, text) = match &self.inner.tape {
            Tape::Replay(player) => {
                let recorded = player
                    .answer("POST", self.inner.url.path(), body, self.secret())
                    .map_err(|error| (error, None))?;
                let text = recorded.text();
                (recorded.status, recorded.headers, text)
            }
            Tape::Live | Tape::Record(_) => self.send_http(body).await?,
        };
        if let Tape::Record(recorder) = &self.inner.tape {
            let exchange = Exchange {
                request: RecordedRequest {
                    method: "POST".to_owned(),
                    path: self.inner.url.path().to_owned(),
                    body: recorded_body(body, self.secret()),
                },
                response: recorded_response(status, headers.clone(), &text, self.secret()),
            };
            recorder.append(&exchange).map_err(|error| (error, None))?;
        }
        let retry_after = retry_after(&headers);
        if !(200..300).contains(&status) {
            let body = excerpt(&text, self.secret(), BODY_EXCERPT);
            return Err((LlmError::Http { status, body }, retry_after));
        }
        self.decode(&text).map_err(|error| (error, None))
    }

    /// One request over the network: the status, the headers a cassette keeps, the body.
    async fn send_http(
        &self,
        body: &[u8],
    ) -> Result<(u16, BTreeMap<String, String>, String), (LlmError, Option<Duration>)> {
        let inner = &self.inner;
        let mut request = inner
            .http
            .post(inner.url.clone())
            .timeout(inner.config.timeout)
            .body(body.to_vec());
        if let Some(authorization) = &inner.authorization {
            request = request.header(AUTHORIZATION, authorization.clone());
        }
        let response = request
            .send()
            .await
            .map_err(|error| (self.transport(error), None))?;
        let status = response.status().as_u16();
        let headers: BTreeMap<String, String> = KEPT_HEADERS
            .iter()
            .filter_map(|name| {
                let value = response.headers().get(*name)?.to_str().ok()?;
                Some(((*name).to_owned(), value.to_owned()))
            })
            .collect();
        let text = response
            .text()
            .await
            .map_err(|error| (self.transport(error), retry_after(&headers)))?;
        Ok((status, headers, text))
    }

    fn decode(&self, text: &str) -> Result<Completion, LlmError> {
        let decode_error = |reason: String| LlmError::Decode {
            reason,
            body: excerpt(text, self.secret(), BODY_EXCERPT),
        };
        let response: WireResponse = serde_json::from_str(text)
            .map_err(|error| decode_error(format!("not JSON of the expected shape: {error}")))?;
        if let Some(usage) = response.usage {
            self.count(|stats| {
                stats.prompt_tokens += usage.prompt_tokens.unwrap_or(0);
                stats.completion_tokens += usage.completion_tokens.unwrap_or(0);
            });
        }
        let Some(choice) = response
            .choices
            .and_then(|choices| choices.into_iter().next())
        else {
            return Err(decode_error("no choices".to_owned()));
        };
        let content = choice.message.as_ref().and_then(|message| message.text());
        let refusal = choice
            .message
            .as_ref()
            .and_then(|message| message.refusal());
        match choice.finish_reason {
            FinishReason::Length => {
                return Err(LlmError::Truncated {
                    partial: content.unwrap_or_default(),
                    completion_tokens: response.usage.and_then(|usage| usage.completion_tokens),
                });
            }
            FinishReason::ContentFilter => return Err(LlmError::ContentFiltered { refusal }),
            _ if refusal.is_some() => return Err(LlmError::ContentFiltered { refusal }),
            _ => {}
        }
        let Some(content) = content else {
            return Err(LlmError::InvalidAnswer {
                reason: format!(
                    "the reply has no content (finish_reason {:?})",
                    choice.finish_reason
                ),
            });
        };
        Ok(Completion {
            content,
            finish_reason: choice.finish_reason,
            usage: response.usage,
            model: response.model,
            attempts: 1,
        })
    }

    fn transport(&self, error: reqwest::Error) -> LlmError {
        if error.is_timeout() {
            return LlmError::Timeout {
                after: self.inner.config.timeout,
            };
        }
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        LlmError::Transport {
            message: excerpt(&message, self.secret(), BODY_EXCERPT),
        }
    }

    fn secret(&self) -> Option<&str> {
        self.inner.config.api_key.as_ref().map(|key| key.expose())
    }

    fn count(&self, update: impl FnOnce(&mut ClientStats)) {
        update(&mut self.inner.stats.lock().expect("stats lock"));
    }
}

/// The wait asked for by `retry-after-ms` (OpenAI) or `Retry-After` (seconds or HTTP date);
/// `headers` has lower-case names.
fn retry_after(headers: &BTreeMap<String, String>) -> Option<Duration> {
    let header = |name: &str| headers.get(name).map(String::as_str);
    let ms = header("retry-after-ms").and_then(|value| value.trim().parse::<f64>().ok());
    if let Some(ms) = ms.filter(|ms| ms.is_finite() && *ms >= 0.0) {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    parse_retry_after(header("retry-after")?, SystemTime::now())
}

/// The cassette side of a client: nothing in live, a recorder, or the recording read now (so
/// a missing or broken cassette is an error when the client is built, not mid-run).
fn tape(config: &ClientConfig) -> Result<Tape, LlmError> {
    let cassette = || {
        config.cassette.clone().ok_or_else(|| LlmError::Cassette {
            cassette: Default::default(),
            reason: format!(
                "RESTOCK_LLM={} needs a cassette: set `cassette = \"cassettes/NAME.jsonl\"` on the model",
                config.mode
            ),
        })
    };
    Ok(match config.mode {
        LlmMode::Live => Tape::Live,
        LlmMode::Record => Tape::Record(Recorder::new(cassette()?)),
        LlmMode::Replay => Tape::Replay(Player::open(&cassette()?)?),
    })
}

/// ⌈characters / 4⌉ + 4 per message, plus the completion budget: a deliberately rough upper
/// estimate for the tokens-per-minute limit when the caller has not counted.
fn estimate_tokens(messages: &[Message], max_tokens: Option<u32>) -> u32 {
    let prompt: usize = messages
        .iter()
        .map(|message| message.content.chars().count().div_ceil(4) + 4)
        .sum();
    u32::try_from(prompt)
        .unwrap_or(u32::MAX)
        .saturating_add(max_tokens.unwrap_or(0))
}

fn level(format: &ResponseFormat) -> u8 {
    match format {
        ResponseFormat::JsonSchema { .. } => 0,
        ResponseFormat::JsonObject => 1,
        ResponseFormat::Text => 2,
    }
}

/// reqwest is built without a bundled rustls provider (`rustls-no-provider`), so https needs
/// one installed process-wide: ring, unless the program installed its own first.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another installer is fine: a provider is then installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
