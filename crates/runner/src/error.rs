//! The runner's errors: manifest mistakes (with `file:line:col`), and run failures.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One mistake in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// The manifest file.
    pub file: PathBuf,
    /// 1-based line (0 when the error has no position).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Key path, e.g. `collect[1].columns.text` (empty for the whole file).
    pub key: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ManifestError {
    /// An error at byte `span` of `source` (the text of `file`).
    pub fn new(
        file: &Path,
        source: &str,
        span: Option<Range<usize>>,
        key: String,
        message: String,
    ) -> Self {
        let (line, column) = match span {
            Some(span) => line_column(source, span.start),
            None => (0, 0),
        };
        Self {
            file: file.to_path_buf(),
            line,
            column,
            key,
            message,
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `source`.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every mistake found in a manifest, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ManifestErrors(pub Vec<ManifestError>);

impl fmt::Display for ManifestErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The manifest has mistakes; nothing ran.
    #[error("{0}")]
    Manifest(#[from] ManifestErrors),
    /// A component could not run at all (an item's failure is not a `RunError`).
    #[error("component `{component}` failed")]
    Component {
        /// The component's name.
        component: String,
        /// What went wrong.
        #[source]
        source: restock_core::Error,
    },
    /// An output could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The manifest has no `[strategy]`.
    #[error("the manifest has no [strategy]: nothing can be decided")]
    NoStrategy,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let source = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_column(source, 0), (1, 1));
        assert_eq!(line_column(source, 6), (2, 1));
        // `=` after "bé " is the 4th character of line 2.
        assert_eq!(line_column(source, source.rfind('=').unwrap()), (2, 4));
    }
}
