//! Reading JSON Lines: one JSON object per line.
//!
//! Blank and whitespace-only lines are skipped (they are not rows). A line that is not valid
//! JSON, or is JSON but not an object, is handed over as unreadable with its line number. Cells
//! are the object's top-level keys: strings as they are, numbers and booleans as their JSON
//! text, `null` as absent; arrays fill only list fields (a forecast's `values` and
//! `probabilities`), and objects fill none.

use std::io::BufRead;
use std::path::Path;

use encoding_rs::Encoding;
use restock_core::Error;
use serde_json::{Map, Value};

use crate::parse::ValueError;
use crate::row::{Cell, Item, Row};
use crate::source;

/// An open JSONL file.
pub(crate) struct JsonlFile {
    input: Box<dyn BufRead + Send>,
    source: String,
}

impl JsonlFile {
    /// Opens `path`; `Error::Io` when it cannot be opened.
    pub(crate) fn open(
        path: &Path,
        source: &str,
        encoding: &'static Encoding,
    ) -> Result<Self, Error> {
        let input = source::open(path, encoding).map_err(|e| Error::io(source, e))?;
        Ok(Self {
            input,
            source: source.to_owned(),
        })
    }

    /// Hands every non-blank line to `visit`, in order. Stops at the first error `visit`
    /// returns, or when the file cannot be read any further (`Error::Io`).
    pub(crate) fn for_each(
        mut self,
        visit: &mut dyn FnMut(Item<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut buf = Vec::new();
        let mut line = 0u64;
        loop {
            buf.clear();
            let n = self
                .input
                .read_until(b'\n', &mut buf)
                .map_err(|e| Error::io(&self.source, e))?;
            if n == 0 {
                return Ok(());
            }
            line += 1;
            let text = trim_line_end(&buf);
            if std::str::from_utf8(text).is_ok_and(|t| t.trim().is_empty()) {
                continue;
            }
            let raw = || String::from_utf8_lossy(text).into_owned();
            match serde_json::from_slice::<Value>(text) {
                Ok(Value::Object(object)) => {
                    let row = JsonRow {
                        object: &object,
                        text,
                    };
                    visit(Item::Row { line, row: &row })?;
                }
                Ok(other) => visit(Item::Unreadable {
                    line,
                    reason: format!("expected a JSON object, found {}", kind_of(&other)),
                    raw: raw(),
                })?,
                Err(e) => visit(Item::Unreadable {
                    line,
                    reason: format!("invalid JSON at column {}: {}", e.column(), message(&e)),
                    raw: raw(),
                })?,
            }
        }
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// serde_json's message without its ` at line 1 column 7` suffix (the line is always 1 here).
fn message(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    full.strip_suffix(&suffix).unwrap_or(&full).to_owned()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

struct JsonRow<'a> {
    object: &'a Map<String, Value>,
    text: &'a [u8],
}

impl Row for JsonRow<'_> {
    fn get(&self, key: &str) -> Cell<'_> {
        match self.object.get(key) {
            None | Some(Value::Null) => Cell::Absent,
            Some(Value::String(s)) => Cell::Text(s.as_str().into()),
            Some(Value::Number(n)) => Cell::Text(n.to_string().into()),
            Some(Value::Bool(b)) => Cell::Text(if *b { "true" } else { "false" }.into()),
            Some(Value::Array(items)) => Cell::List(
                items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => s.as_str().into(),
                        other => other.to_string().into(),
                    })
                    .collect(),
            ),
            Some(Value::Object(_)) => Cell::Invalid(ValueError::NotScalar("object")),
        }
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(self.text).into_owned()
    }

    fn noun(&self) -> &'static str {
        "key"
    }
}
