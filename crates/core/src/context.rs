//! The [`Context`] a component runs with: the run's as-of date, cancellation, a diagnostics
//! sink, progress reporting, a cache directory and a secrets lookup. The runner supplies the
//! implementations (which may do I/O); this module only defines the shapes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::records::Provenance;

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing was lost.
    Info,
    /// Something was skipped, assumed or degraded.
    Warning,
    /// Something failed (an item, a record source); the rest of the run went on.
    Error,
}

/// A message from a component about the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How serious.
    pub severity: Severity,
    /// The component that said it.
    pub component: String,
    /// The item (product or group) concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Where in the input, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Provenance>,
    /// What happened.
    pub message: String,
}

/// A row or line that could not be read, set aside with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quarantined {
    /// The component that read it.
    pub component: String,
    /// File (or URL) and line.
    pub location: Provenance,
    /// Why it could not be read, naming the field.
    pub reason: String,
    /// The raw row as read (lossy UTF-8 when not valid).
    pub raw: String,
}

/// Receives diagnostics and quarantined rows. Implementations must be cheap and thread-safe.
pub trait DiagnosticSink: Send + Sync {
    /// Records a diagnostic.
    fn diagnostic(&self, diagnostic: Diagnostic);
    /// Records a quarantined row.
    fn quarantine(&self, row: Quarantined);
}

/// A sink that keeps everything in memory, in arrival order.
#[derive(Debug, Default)]
pub struct MemorySink {
    diagnostics: Mutex<Vec<Diagnostic>>,
    quarantined: Mutex<Vec<Quarantined>>,
}

impl MemorySink {
    /// Everything received so far: diagnostics and quarantined rows.
    pub fn take(&self) -> (Vec<Diagnostic>, Vec<Quarantined>) {
        (
            std::mem::take(&mut *self.diagnostics.lock().expect("sink lock")),
            std::mem::take(&mut *self.quarantined.lock().expect("sink lock")),
        )
    }
}

impl DiagnosticSink for MemorySink {
    fn diagnostic(&self, diagnostic: Diagnostic) {
        self.diagnostics.lock().expect("sink lock").push(diagnostic);
    }
    fn quarantine(&self, row: Quarantined) {
        self.quarantined.lock().expect("sink lock").push(row);
    }
}

/// Progress of one long step. Dropping it finishes it.
pub trait Progress: Send + Sync {
    /// Advances by `n` units of work.
    fn inc(&self, n: u64);
}

/// Makes [`Progress`] handles; the runner shows them as progress bars on a terminal.
pub trait ProgressFactory: Send + Sync {
    /// Starts a step of `len` units (`None` when unknown) labelled `label`.
    fn start(&self, label: &str, len: Option<u64>) -> Box<dyn Progress>;
}

/// Progress that shows nothing (the default of [`Context::new`]; for tests and batch use).
pub struct NoProgress;

impl Progress for NoProgress {
    fn inc(&self, _n: u64) {}
}

impl ProgressFactory for NoProgress {
    fn start(&self, _label: &str, _len: Option<u64>) -> Box<dyn Progress> {
        Box::new(NoProgress)
    }
}

/// Looks up a secret (an API key) by name; the runner reads the environment.
pub type SecretLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// What a component knows about the run it is part of. Cheap to clone.
#[derive(Clone)]
pub struct Context {
    shared: Arc<Shared>,
    component: Arc<str>,
}

struct Shared {
    as_of: NaiveDate,
    cancelled: AtomicBool,
    sink: Arc<dyn DiagnosticSink>,
    progress: Arc<dyn ProgressFactory>,
    cache_dir: PathBuf,
    secrets: SecretLookup,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("as_of", &self.shared.as_of)
            .field("component", &self.component)
            .field("cache_dir", &self.shared.cache_dir)
            .finish_non_exhaustive()
    }
}

impl Context {
    /// A context for the run dated `as_of`, reporting to `sink`.
    pub fn new(as_of: NaiveDate, sink: Arc<dyn DiagnosticSink>) -> Self {
        Self {
            shared: Arc::new(Shared {
                as_of,
                cancelled: AtomicBool::new(false),
                sink,
                progress: Arc::new(NoProgress),
                cache_dir: PathBuf::from(".restock-cache"),
                secrets: Arc::new(|_| None),
            }),
            component: Arc::from("pipeline"),
        }
    }

    /// Replaces the progress factory, cache directory and secrets lookup. Call before cloning.
    pub fn with_services(
        self,
        progress: Arc<dyn ProgressFactory>,
        cache_dir: PathBuf,
        secrets: SecretLookup,
    ) -> Self {
        let shared = Shared {
            as_of: self.shared.as_of,
            cancelled: AtomicBool::new(self.is_cancelled()),
            sink: self.shared.sink.clone(),
            progress,
            cache_dir,
            secrets,
        };
        Self {
            shared: Arc::new(shared),
            component: self.component,
        }
    }

    /// The same services (sink, progress, cache, secrets) for a run dated `as_of` instead: how
    /// an evaluation re-runs components at an earlier forecast origin.
    pub fn at(&self, as_of: NaiveDate) -> Self {
        Self {
            shared: Arc::new(Shared {
                as_of,
                cancelled: AtomicBool::new(self.is_cancelled()),
                sink: self.shared.sink.clone(),
                progress: self.shared.progress.clone(),
                cache_dir: self.shared.cache_dir.clone(),
                secrets: self.shared.secrets.clone(),
            }),
            component: self.component.clone(),
        }
    }

    /// The same run, seen by the component named `component`.
    pub fn for_component(&self, component: &str) -> Self {
        Self {
            shared: self.shared.clone(),
            component: Arc::from(component),
        }
    }

    /// "Today" for the run: records dated on or after it are the future.
    pub fn as_of(&self) -> NaiveDate {
        self.shared.as_of
    }

    /// The name of the component this context was made for.
    pub fn component(&self) -> &str {
        &self.component
    }

    /// Asks every component to stop at its next check.
    pub fn cancel(&self) {
        self.shared.cancelled.store(true, Ordering::Relaxed);
    }

    /// True once [`Context::cancel`] was called; long loops check it.
    pub fn is_cancelled(&self) -> bool {
        self.shared.cancelled.load(Ordering::Relaxed)
    }

    /// Where components may keep caches between runs.
    pub fn cache_dir(&self) -> &Path {
        &self.shared.cache_dir
    }

    /// A secret by name (environment variable), never logged.
    pub fn secret(&self, name: &str) -> Option<String> {
        (self.shared.secrets)(name)
    }

    /// Starts a progress display for a long step.
    pub fn progress(&self, label: &str, len: Option<u64>) -> Box<dyn Progress> {
        self.shared
            .progress
            .start(&format!("{}: {label}", self.component), len)
    }

    /// Reports a diagnostic as this component.
    pub fn report(
        &self,
        severity: Severity,
        item: Option<&str>,
        location: Option<Provenance>,
        message: impl Into<String>,
    ) {
        self.shared.sink.diagnostic(Diagnostic {
            severity,
            component: self.component.to_string(),
            item: item.map(str::to_owned),
            location,
            message: message.into(),
        });
    }

    /// Reports a warning as this component.
    pub fn warn(&self, message: impl Into<String>) {
        self.report(Severity::Warning, None, None, message);
    }

    /// Sets a row aside as unreadable, with the reason (which names the field at fault).
    pub fn quarantine(&self, location: Provenance, reason: impl Into<String>, raw: String) {
        self.shared.sink.quarantine(Quarantined {
            component: self.component.to_string(),
            location,
            reason: reason.into(),
            raw,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_carry_the_component_name() {
        let sink = Arc::new(MemorySink::default());
        let ctx = Context::new("2018-08-01".parse().unwrap(), sink.clone());
        let reviews = ctx.for_component("reviews");
        reviews.quarantine(
            Provenance::at("r.csv", 3),
            "expected 4 fields, found 3",
            "a,b,c".into(),
        );
        reviews.warn("late");
        let (diagnostics, quarantined) = sink.take();
        assert_eq!(diagnostics[0].component, "reviews");
        assert_eq!(quarantined[0].location.to_string(), "r.csv:3");
        ctx.cancel();
        assert!(reviews.is_cancelled());
    }
}
