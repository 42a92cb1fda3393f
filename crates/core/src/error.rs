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
    /// A plugin loaded at run time failed for this call: it panicked, its process exited, or
    /// it answered something the protocol does not allow. The plugin's other components and the
    /// rest of the run are not affected.
    #[error("plugin `{plugin}` {failure}: {message}")]
    Plugin {
        /// The plugin (library or command) as the manifest names it.
        plugin: String,
        /// What kind of failure.
        failure: PluginFailure,
        /// What happened, from the plugin (panic message, exit status).
        message: String,
    },
    /// Any other failure, described.
    #[error("{0}")]
    Other(String),
}

/// How a plugin loaded at run time failed a call (see [`Error::Plugin`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluginFailure {
    /// The plugin's code panicked; the SDK caught the panic at the boundary.
    Panicked,
    /// A process plugin exited (or closed its output) before answering.
    Exited,
    /// The plugin's answer broke the protocol (unreadable bytes, wrong message).
    Protocol,
    /// No answer within the plugin's `timeout_seconds`.
    TimedOut,
    /// The component returned an error of its own.
    Failed,
}

impl std::fmt::Display for PluginFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PluginFailure::Panicked => "panicked",
            PluginFailure::Exited => "exited",
            PluginFailure::Protocol => "broke the protocol",
            PluginFailure::TimedOut => "timed out",
            PluginFailure::Failed => "failed",
        })
    }
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
