//! The `openai_chat` configuration, its documentation, and its checks.

use std::num::NonZeroU32;
use std::time::Duration;

use restock_core::config::{ConfigError, ConfigErrors};
use restock_core::{ConfigKeyDoc, Grouping, PluginInfo};
use serde::Deserialize;

use crate::{ApiKey, ClientConfig};

/// Configuration of `openai_chat`. Every key but `base_url` and `model` has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenAiChatConfig {
    /// The server's OpenAI-compatible root, up to and including `/v1`.
    pub base_url: String,
    /// The model name the server expects.
    pub model: String,
    /// The bearer token, from the environment (`"${OPENAI_API_KEY}"`); empty or absent: none.
    #[serde(default)]
    pub api_key: Option<ApiKey>,
    /// Sampling temperature, 0–2. Default 0: the same question gets the same answer as far as
    /// the server allows.
    #[serde(default)]
    pub temperature: f64,
    /// Completion budget per request, tokens.
    #[serde(default = "default_max_tokens")]
    pub max_tokens: u32,
    /// Per-request timeout, seconds.
    #[serde(default = "default_timeout")]
    pub timeout: f64,
    /// Requests in flight at once.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// Requests per minute, shared by all concurrent requests; unset: no limit.
    #[serde(default)]
    pub requests_per_minute: Option<u32>,
    /// Tokens per minute (counted prompt + `max_tokens`); unset: no limit.
    #[serde(default)]
    pub tokens_per_minute: Option<u32>,
    /// Price of 10⁶ prompt tokens, for the cost estimate.
    #[serde(default)]
    pub price_input_per_million: f64,
    /// Price of 10⁶ completion tokens, for the cost estimate.
    #[serde(default)]
    pub price_output_per_million: f64,
    /// The language of the one-sentence summary, as the model should read it (`English`,
    /// `Portuguese`, `pt-BR`).
    #[serde(default = "default_summary_language")]
    pub summary_language: String,
    /// The user-message template (see [`crate::model::PLACEHOLDERS`]); unset: the built-in one.
    #[serde(default)]
    pub prompt: Option<String>,
    /// Prompt tokens per request (system message, template and documents, by the o200k_base
    /// encoding); an item's documents are packed into as few requests as this allows.
    #[serde(default = "default_max_input_tokens")]
    pub max_input_tokens: u32,
    /// Items are products or categories; unset: as the earlier models grouped.
    #[serde(default)]
    pub group_by: Option<Grouping>,
    /// The recorded exchanges for tests (JSON lines, relative to the manifest), written with
    /// `RESTOCK_LLM=record` and read with `replay`; ignored when live (`restock run`).
    #[serde(default)]
    pub cassette: Option<std::path::PathBuf>,
}

fn default_max_tokens() -> u32 {
    600
}
fn default_timeout() -> f64 {
    60.0
}
fn default_concurrency() -> usize {
    4
}
fn default_summary_language() -> String {
    "English".to_owned()
}
fn default_max_input_tokens() -> u32 {
    6000
}

pub(crate) const INFO: PluginInfo = PluginInfo {
    type_name: "openai_chat",
    doc: "an LLM on any OpenAI-compatible server (OpenAI, DeepSeek, Qwen, vLLM, llama.cpp, Ollama, LM Studio) reads each item's documents and returns a schema-checked trend, drivers, risks and summary; answers cached, cost counted (docs/llm.md)",
    keys: &[
        ConfigKeyDoc {
            name: "base_url",
            ty: "string (URL)",
            default: None,
            doc: "the server's OpenAI-compatible root, up to and including /v1",
        },
        ConfigKeyDoc {
            name: "model",
            ty: "string",
            default: None,
            doc: "the model name the server expects (gpt-4o-mini, deepseek-chat, qwen2.5:7b)",
        },
        ConfigKeyDoc {
            name: "api_key",
            ty: "string",
            default: Some("(none)"),
            doc: "write \"${OPENAI_API_KEY}\": read from the environment, never logged, cached or hashed; empty sends no Authorization header",
        },
        ConfigKeyDoc {
            name: "temperature",
            ty: "float, 0–2",
            default: Some("0.0"),
            doc: "sampling temperature",
        },
        ConfigKeyDoc {
            name: "max_tokens",
            ty: "integer",
            default: Some("600"),
            doc: "completion budget per request; hitting it is a Truncated error for the item",
        },
        ConfigKeyDoc {
            name: "timeout",
            ty: "float (seconds)",
            default: Some("60.0"),
            doc: "per request, sending to last byte; a timeout is retried",
        },
        ConfigKeyDoc {
            name: "concurrency",
            ty: "integer",
            default: Some("4"),
            doc: "requests in flight at once",
        },
        ConfigKeyDoc {
            name: "requests_per_minute",
            ty: "integer",
            default: Some("(no limit)"),
            doc: "shared by all concurrent requests",
        },
        ConfigKeyDoc {
            name: "tokens_per_minute",
            ty: "integer",
            default: Some("(no limit)"),
            doc: "counted prompt tokens + max_tokens per request",
        },
        ConfigKeyDoc {
            name: "price_input_per_million",
            ty: "float",
            default: Some("0.0"),
            doc: "price of 10^6 prompt tokens, for the cost estimate (report and restock plan)",
        },
        ConfigKeyDoc {
            name: "price_output_per_million",
            ty: "float",
            default: Some("0.0"),
            doc: "price of 10^6 completion tokens",
        },
        ConfigKeyDoc {
            name: "summary_language",
            ty: "string",
            default: Some("\"English\""),
            doc: "language of the one-sentence summary (the {summary_language} placeholder)",
        },
        ConfigKeyDoc {
            name: "prompt",
            ty: "string (template)",
            default: Some("(built in, docs/llm.md)"),
            doc: "the user message; placeholders {item} {grouping} {category} {as_of} {summary_language} {document_count} {schema} {documents} ({documents} required)",
        },
        ConfigKeyDoc {
            name: "max_input_tokens",
            ty: "integer",
            default: Some("6000"),
            doc: "prompt tokens per request (o200k_base count); an item's documents are packed into as few requests as this allows",
        },
        ConfigKeyDoc {
            name: "group_by",
            ty: "\"product\" | \"category\"",
            default: Some("(as earlier models grouped)"),
            doc: "items are products or categories",
        },
        ConfigKeyDoc {
            name: "cassette",
            ty: "string (path)",
            default: Some("(none)"),
            doc: "recorded exchanges (JSON lines, relative to the manifest) that tests replay with no network: RESTOCK_LLM=record writes them (key scrubbed), replay reads them; ignored when live (restock run)",
        },
    ],
    example: "base_url = \"http://127.0.0.1:11434/v1\"\nmodel = \"qwen2.5:7b\"\napi_key = \"${OLLAMA_API_KEY:-}\"\ntemperature = 0.0\nmax_tokens = 600\ntimeout = 120.0\nconcurrency = 2\nrequests_per_minute = 60\nprice_input_per_million = 0.15\nprice_output_per_million = 0.6\nsummary_language = \"Portuguese\"\nmax_input_tokens = 4000\ngroup_by = \"category\"\ncassette = \"cassettes/reviews.jsonl\"\n",
};

impl OpenAiChatConfig {
    /// The client settings, or every key at fault.
    pub(crate) fn client_config(&self) -> Result<ClientConfig, ConfigErrors> {
        let mut errors = Vec::new();
        let mut fail = |key: &str, message: String| {
            errors.push(ConfigError::at_key(&[key], message));
        };
        if self.model.trim().is_empty() {
            fail(
                "model",
                "is empty: name the model the server expects".into(),
            );
        }
        if !(0.0..=2.0).contains(&self.temperature) {
            fail(
                "temperature",
                format!("is {}: must be in 0–2", self.temperature),
            );
        }
        if self.max_tokens == 0 {
            fail("max_tokens", "must be at least 1".into());
        }
        if !(self.timeout.is_finite() && self.timeout > 0.0) {
            fail(
                "timeout",
                format!("is {}: must be positive seconds", self.timeout),
            );
        }
        if self.concurrency == 0 {
            fail("concurrency", "must be at least 1".into());
        }
        for (key, price) in [
            ("price_input_per_million", self.price_input_per_million),
            ("price_output_per_million", self.price_output_per_million),
        ] {
            if !(price.is_finite() && price >= 0.0) {
                fail(key, format!("is {price}: must be a price ≥ 0"));
            }
        }
        if self.summary_language.trim().is_empty() {
            fail("summary_language", "is empty".into());
        }
        let per_minute = |key: &str, value: Option<u32>, errors: &mut Vec<ConfigError>| {
            value.and_then(|n| {
                let n = NonZeroU32::new(n);
                if n.is_none() {
                    errors.push(ConfigError::at_key(
                        &[key],
                        "is 0: leave it out for no limit",
                    ));
                }
                n
            })
        };
        let requests_per_minute =
            per_minute("requests_per_minute", self.requests_per_minute, &mut errors);
        let tokens_per_minute =
            per_minute("tokens_per_minute", self.tokens_per_minute, &mut errors);
        let mut config = ClientConfig::new(self.base_url.trim(), self.model.trim());
        config.api_key = self.api_key.clone().filter(|key| !key.is_empty());
        config.temperature = Some(self.temperature);
        config.max_tokens = Some(self.max_tokens);
        if self.timeout.is_finite() && self.timeout > 0.0 {
            config.timeout = Duration::from_secs_f64(self.timeout);
        }
        config.requests_per_minute = requests_per_minute;
        config.tokens_per_minute = tokens_per_minute;
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(ConfigErrors(errors))
        }
    }
}
