//! The client layer of Restock's LLM backends: one OpenAI chat-completions client that serves
//! every compatible server (OpenAI, DeepSeek, Qwen's DashScope compatible mode, vLLM,
//! llama.cpp's `llama-server`, Ollama's `/v1`, LM Studio), and survives the ways such a call
//! fails.
//!
//! A [`ChatClient`] is built from a [`ClientConfig`] (`base_url`, `model`, [`ApiKey`],
//! `temperature`, `max_tokens`, per-request `timeout`, bounded attempts, rate limits) and sends
//! a [`ChatRequest`] (messages and a [`ResponseFormat`]) with [`ChatClient::complete`], which
//! returns the first choice as a [`Completion`], or with [`ChatClient::complete_json`], which
//! also negotiates the response format and parses the reply into a JSON object with
//! [`extract_json_object`].
//!
//! What each failure does ([`LlmError`]):
//!
//! | the server… | the client… |
//! |---|---|
//! | 429 with `Retry-After` (seconds or HTTP date) or `retry-after-ms` | waits that long, at most `max_retry_after`, and retries |
//! | 429 without them, 408, 5xx, a timeout, a broken connection | waits `initial_backoff · 2^(n−1)` (capped at `max_backoff`, jittered to ½–1×) and retries |
//! | …still failing after `max_attempts` attempts | returns [`LlmError::RetriesExhausted`] with the attempt count and the last error |
//! | any other 4xx | returns [`LlmError::Http`] at once (status and a 500-character body excerpt) |
//! | `finish_reason = "length"` | returns [`LlmError::Truncated`]: a partial answer is never repaired |
//! | `finish_reason = "content_filter"` or a `refusal` | returns [`LlmError::ContentFiltered`] |
//! | a reply that is not a JSON object | [`extract_json_object`] returns [`LlmError::InvalidAnswer`] with the reason |
//!
//! Responses are read leniently: unknown fields, unknown `finish_reason` values, a missing
//! `object`, a missing or empty `finish_reason`, a missing `usage`, content sent as an array of
//! text parts all decode.
//!
//! The API key is never logged: [`ApiKey`]'s `Debug` prints `***`, the header is marked
//! sensitive, and server bodies quoted in errors are scrubbed of it.
//!
//! On that client, [`model`] builds the `openai_chat` [`Model`](restock_core::Model): each item's
//! documents (redacted with `restock_privacy::redact` first) are packed by a token budget
//! (o200k_base, counted with `tiktoken-rs`) into as few requests as it allows; the answer is
//! checked against a schema, sent back once when it fails, cached on disk by a hash of the
//! request (never the key), and joined into the item's outlook with the tokens and cost it
//! took. [`model::plan`] counts the same requests without sending any.
//!
//! For tests, a client can record its exchanges to a [`cassette`] and replay them with no
//! network ([`LlmMode`]), at the transport level, so retries and decoding run as they did.
//!
//! What this crate deliberately is not: it does not stream, does not fine-tune or embed, and
//! reaches only the `base_url` it is given.
//!
//! `docs/llm.md` has the base URLs of each server and the rules in full.
//!
//! TLS: https uses rustls with the ring provider (installed process-wide when no provider is
//! installed yet) and the platform's certificate roots.
#![deny(missing_docs)]

mod answer;
pub mod cassette;
mod client;
mod config;
mod error;
mod format;
pub mod model;
mod rate;
mod retry;
mod wire;

pub use answer::extract_json_object;
pub use cassette::LlmMode;
pub use client::{ChatClient, ChatRequest, ClientStats, Completion, JsonAnswer};
pub use config::{ApiKey, ClientConfig};
pub use error::LlmError;
pub use format::{ResponseFormat, rejects_response_format};
pub use retry::{backoff, parse_retry_after};
pub use wire::{FinishReason, Message, Role, Usage};

/// Registers the `openai_chat` model, asking servers live (`restock run`'s default).
pub fn register(registry: &mut restock_core::Registry) {
    register_with_mode(registry, LlmMode::Live);
}

/// Registers the `openai_chat` model with every instance answering per `mode`: live, recording
/// to or replaying from its `cassette` (see [`cassette`]). The caller decides the mode (the test
/// kit reads `RESTOCK_LLM`); this crate never reads the environment.
pub fn register_with_mode(registry: &mut restock_core::Registry, mode: LlmMode) {
    registry.add_model(model::INFO, move |config: model::OpenAiChatConfig, ctx| {
        Ok(Box::new(model::OpenAiChat::build(config, ctx, mode)?) as Box<dyn restock_core::Model>)
    });
}
