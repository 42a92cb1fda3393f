//! The error a component call returns.

use crate::records::Provenance;

/// Why a component failed. A failure of one item (product or group) is not an `Error`: models
/// and strategies record it on the item and carry on; an `Error` stops the component.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or other source could not be read at all.
    #[error("{source_name}: {source}")]
    Io {
        /// The path or URL.
        source_name: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input is malformed in a way that prevents reading any further.
    #[error("{location}: {message}")]
    Input {
        /// Where.
        location: Provenance,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The run was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// Any other failure, described.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// An [`Error::Io`] for `source_name`.
    pub fn io(source_name: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            source_name: source_name.into(),
            source,
        }
    }
}
