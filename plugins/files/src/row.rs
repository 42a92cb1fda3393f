//! One data row of either format, seen as named cells: what the mapping reads fields from.

use std::borrow::Cow;

use crate::parse::ValueError;

/// A cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    /// The row has no such column (CSV) or key (JSONL), or the JSON value is `null`.
    Absent,
    /// The cell's text (possibly empty). JSON numbers and booleans come as their JSON text.
    Text(Cow<'a, str>),
    /// A JSON array: each item as its text (strings as they are, anything else as its JSON
    /// text). Only list fields (a forecast's `values` and `probabilities`) read it.
    List(Vec<Cow<'a, str>>),
    /// The cell holds something that cannot be text (invalid UTF-8, a JSON array or object).
    Invalid(ValueError),
}

impl<'a> Cell<'a> {
    /// The text, with an absent or empty cell as `None`.
    pub(crate) fn non_empty(self) -> Result<Option<Cow<'a, str>>, ValueError> {
        match self {
            Cell::Absent => Ok(None),
            Cell::Text(text) if text.is_empty() => Ok(None),
            Cell::Text(text) => Ok(Some(text)),
            Cell::List(_) => Err(ValueError::NotScalar("array")),
            Cell::Invalid(error) => Err(error),
        }
    }
}

/// A row read from a file.
pub(crate) trait Row {
    /// The cell of `column`.
    fn get(&self, column: &str) -> Cell<'_>;
    /// The row as read, for the quarantine (lossy UTF-8).
    fn raw(&self) -> String;
    /// What the format calls a cell's name: `column` (CSV) or `key` (JSONL).
    fn noun(&self) -> &'static str;
}

/// What a reader hands over for each data row.
pub(crate) enum Item<'a> {
    /// A row whose cells can be looked up.
    Row {
        /// The 1-based line on which the row starts.
        line: u64,
        /// Its cells.
        row: &'a dyn Row,
    },
    /// A row that cannot be split into cells (wrong field count, invalid JSON…).
    Unreadable {
        /// The 1-based line on which the row starts.
        line: u64,
        /// Why, e.g. `expected 4 fields, found 3`.
        reason: String,
        /// The row as read.
        raw: String,
    },
}
