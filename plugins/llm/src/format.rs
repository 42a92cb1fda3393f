//! Structured-output negotiation: ask for `json_schema`, fall back to `json_object`, then to
//! plain text, when a server says it does not support the format.

use serde_json::{Value, json};

use crate::LlmError;

/// The `response_format` of a request, strongest first.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseFormat {
    /// `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`: the server
    /// constrains the answer to the schema (OpenAI, vLLM, llama.cpp server, LM Studio, recent
    /// Ollama).
    JsonSchema {
        /// The schema's name (`[a-zA-Z0-9_-]`, up to 64 characters for OpenAI).
        name: String,
        /// A JSON Schema of the answer object.
        schema: Value,
        /// OpenAI's strict mode (every property required, no additional properties).
        strict: bool,
    },
    /// `{"type": "json_object"}`: any JSON object (DeepSeek, DashScope, older servers). The
    /// prompt must describe the schema and contain the word "JSON".
    JsonObject,
    /// No `response_format` at all: the answer is extracted from the text.
    Text,
}

impl ResponseFormat {
    /// The `response_format` value to send; `None` for [`ResponseFormat::Text`].
    pub fn to_wire(&self) -> Option<Value> {
        match self {
            ResponseFormat::JsonSchema {
                name,
                schema,
                strict,
            } => Some(json!({
                "type": "json_schema",
                "json_schema": { "name": name, "schema": schema, "strict": strict },
            })),
            ResponseFormat::JsonObject => Some(json!({ "type": "json_object" })),
            ResponseFormat::Text => None,
        }
    }

    /// The next weaker format: `json_schema` → `json_object` → text → none.
    pub fn fallback(&self) -> Option<ResponseFormat> {
        match self {
            ResponseFormat::JsonSchema { .. } => Some(ResponseFormat::JsonObject),
            ResponseFormat::JsonObject => Some(ResponseFormat::Text),
            ResponseFormat::Text => None,
        }
    }

    /// The format's name as the API spells it (`json_schema`, `json_object`, `text`).
    pub fn kind(&self) -> &'static str {
        match self {
            ResponseFormat::JsonSchema { .. } => "json_schema",
            ResponseFormat::JsonObject => "json_object",
            ResponseFormat::Text => "text",
        }
    }
}

/// Whether `error` says the server rejects the requested `response_format`, so the next weaker
/// format should be tried.
///
/// The rule: an HTTP 400 or 422 whose body mentions `response_format`, `json_schema` or
/// `json_object` (case-insensitive). Any other error — a 400 about something else, a 401, a
/// 5xx — is not a format problem and is returned as it is.
pub fn rejects_response_format(error: &LlmError) -> bool {
    match error {
        LlmError::Http {
            status: 400 | 422,
            body,
        } => {
            let body = body.to_ascii_lowercase();
            ["response_format", "json_schema", "json_object"]
                .iter()
                .any(|word| body.contains(word))
        }
        _ => false,
    }
}
