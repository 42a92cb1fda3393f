//! Turning a reply's text into the JSON object asked for, strictly.

use serde_json::{Map, Value};

use crate::LlmError;

/// The JSON object in a reply: the whole reply, or the whole reply wrapped in one Markdown code
/// fence (```` ```json ```` or a bare ```` ``` ````), surrounding whitespace ignored.
///
/// Nothing else is scavenged: a fence inside a string value is part of that string and stays
/// as it is; prose around the JSON, a bare number, an array, a string, `null` or invalid JSON is
/// rejected with [`LlmError::InvalidAnswer`] saying why — never turned into `{}` — so the
/// caller can send the reason back to the model once.
pub fn extract_json_object(reply: &str) -> Result<Map<String, Value>, LlmError> {
    let text = unfence(reply.trim());
    if text.is_empty() {
        return Err(invalid("the reply is empty".to_owned()));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|error| invalid(format!("the reply is not valid JSON: {error}")))?;
    match value {
        Value::Object(object) => Ok(object),
        other => Err(invalid(format!(
            "expected a JSON object, got {}",
            match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => unreachable!("objects are returned above"),
            }
        ))),
    }
}

/// The inside of a fence that wraps all of `text`, or `text` itself.
fn unfence(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("```") else {
        return text;
    };
    // The info string (`json`, `JSON`, nothing) runs to the end of the opening line.
    let Some((info, body)) = rest.split_once('\n') else {
        return text;
    };
    if !info
        .trim()
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return text;
    }
    match body.trim_end().strip_suffix("```") {
        Some(inner) if !inner.contains("\n```") => inner.trim(),
        _ => text,
    }
}

fn invalid(reason: String) -> LlmError {
    LlmError::InvalidAnswer { reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(reply: &str, expected: Result<&str, &str>) {
        match (extract_json_object(reply), expected) {
            (Ok(object), Ok(json)) => {
                assert_eq!(
                    Value::Object(object),
                    serde_json::from_str::<Value>(json).unwrap(),
                    "{reply:?}"
                )
            }
            (Err(LlmError::InvalidAnswer { reason }), Err(part)) => {
                assert!(
                    reason.contains(part),
                    "{reply:?}: {reason:?} lacks {part:?}"
                )
            }
            (got, want) => panic!("{reply:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn replies_and_what_they_yield() {
        let fence_in_string = r#"{"summary": "wrap it in ```json\n{}\n``` please"}"#;
        let rows: &[(&str, Result<&str, &str>)] = &[
            (r#"{"trend": "increase"}"#, Ok(r#"{"trend": "increase"}"#)),
            ("  \n{\"a\": 1}\n ", Ok(r#"{"a": 1}"#)),
            ("```json\n{\"a\": 1}\n```", Ok(r#"{"a": 1}"#)),
            ("```JSON\n{\"a\": 1}\n```\n", Ok(r#"{"a": 1}"#)),
            ("```\n{\"a\": [1, 2]}\n```", Ok(r#"{"a": [1, 2]}"#)),
            (fence_in_string, Ok(fence_in_string)),
            (
                "```json\n{\"s\": \"a ``` b\"}\n```",
                Ok(r#"{"s": "a ``` b"}"#),
            ),
            ("42", Err("got a number")),
            ("[1, 2]", Err("got an array")),
            ("```json\n[{\"a\": 1}]\n```", Err("got an array")),
            ("\"text\"", Err("got a string")),
            ("null", Err("got null")),
            ("true", Err("got a boolean")),
            ("{\"a\": 1", Err("not valid JSON")),
            ("{}", Ok("{}")),
            ("", Err("empty")),
            ("```json\n```", Err("empty")),
            ("Sure! Here it is: {\"a\": 1}", Err("not valid JSON")),
            ("{\"a\": 1} and more", Err("not valid JSON")),
            (
                "```json\n{\"a\": 1}\n```\n```json\n{\"b\": 2}\n```",
                Err("not valid JSON"),
            ),
        ];
        for (reply, expected) in rows {
            check(reply, *expected);
        }
    }
}
