//! The chat-completions JSON on the wire: the request we send and a lenient reading of the
//! response, since compatible servers differ (missing `object`, empty `finish_reason`,
//! `content: null`, extra fields, content as an array of parts).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Who speaks a [`Message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions for the model.
    System,
    /// The question (the documents and the task).
    User,
    /// An earlier answer, when a conversation is sent back (for a correction).
    Assistant,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Who speaks.
    pub role: Role,
    /// What is said, plain text.
    pub content: String,
}

impl Message {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Message {
            role: Role::System,
            content: content.into(),
        }
    }
    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Message {
            role: Role::User,
            content: content.into(),
        }
    }
    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Message {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// The request body of `POST {base_url}/chat/completions`.
#[derive(Debug, Serialize)]
pub(crate) struct WireRequest<'a> {
    pub model: &'a str,
    pub messages: &'a [Message],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    pub stream: bool,
}

/// Why the server stopped generating. Unknown values are kept, not rejected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FinishReason {
    /// A natural stop or a stop sequence (`"stop"`).
    Stop,
    /// `max_tokens` or the context length was reached (`"length"`): the answer is cut off.
    Length,
    /// The content filter withheld the answer (`"content_filter"`).
    ContentFilter,
    /// The model asked to call tools (`"tool_calls"`, `"function_call"`).
    ToolCalls,
    /// A value this crate does not know (`"eos_token"`, …), kept verbatim.
    Other(String),
    /// Missing, `null` or empty: some servers send no reason.
    #[default]
    Unspecified,
}

impl FinishReason {
    fn from_wire(value: Option<String>) -> Self {
        match value.as_deref().map(str::trim) {
            None | Some("") => FinishReason::Unspecified,
            Some("stop") => FinishReason::Stop,
            Some("length") => FinishReason::Length,
            Some("content_filter") => FinishReason::ContentFilter,
            Some("tool_calls" | "function_call") => FinishReason::ToolCalls,
            Some(other) => FinishReason::Other(other.to_owned()),
        }
    }
}

/// Token counts the server reported (`usage`); either may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub struct Usage {
    /// Tokens in the request's messages.
    #[serde(default, deserialize_with = "lenient_count")]
    pub prompt_tokens: Option<u64>,
    /// Tokens generated.
    #[serde(default, deserialize_with = "lenient_count")]
    pub completion_tokens: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WireResponse {
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub choices: Option<Vec<WireChoice>>,
    #[serde(default, deserialize_with = "lenient_usage")]
    pub usage: Option<Usage>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WireChoice {
    #[serde(default)]
    pub message: Option<WireMessage>,
    #[serde(default, deserialize_with = "lenient_finish_reason")]
    pub finish_reason: FinishReason,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WireMessage {
    #[serde(default)]
    pub content: Option<Value>,
    #[serde(default)]
    pub refusal: Option<Value>,
}

impl WireMessage {
    /// The text of `content`: a string, or the `text` of each part of an array of parts;
    /// `None` for `null` or a missing field.
    pub fn text(&self) -> Option<String> {
        value_text(self.content.as_ref()?)
    }

    /// The refusal text, when the server sent a non-empty one.
    pub fn refusal(&self) -> Option<String> {
        value_text(self.refusal.as_ref()?).filter(|text| !text.trim().is_empty())
    }
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(|part| match part {
                    Value::String(text) => Some(text.as_str()),
                    Value::Object(fields) => fields.get("text").and_then(Value::as_str),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

fn lenient_finish_reason<'de, D: Deserializer<'de>>(d: D) -> Result<FinishReason, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(FinishReason::from_wire(match value {
        Some(Value::String(text)) => Some(text),
        _ => None,
    }))
}

fn lenient_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.and_then(|value| match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|x| *x >= 0.0).map(|x| x as u64)),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }))
}

fn lenient_usage<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Usage>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.and_then(|value| serde_json::from_value(value).ok()))
}
