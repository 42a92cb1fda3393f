//! The vocabulary every part of Restock shares: the records that flow through a pipeline, the
//! four plugin traits, the [`Context`] a component runs with, typed errors, and the plugin
//! [`Registry`].
//!
//! A pipeline is `Collector* → Preprocessor* → Model* → Strategy → report`. Collectors produce a
//! [`Dataset`]; preprocessors transform it in order; models read it and add their findings to an
//! [`Outlook`]; the strategy turns each item's outlook and stock position into a [`Decision`].
//!
//! What this crate deliberately is not: it does no I/O (no files, no network, no clock reads
//! outside [`Context`] values the runner hands in), and it knows nothing of TOML. Configuration
//! arrives as a [`ConfigValue`] tree that carries byte spans into the manifest; each plugin
//! deserialises its own typed config from it, so errors point at `file:line:col` without the
//! plugin knowing where the manifest came from.
#![deny(missing_docs)]

pub mod config;
pub mod context;
pub mod decision;
pub mod display;
pub mod error;
pub mod outlook;
pub mod period;
pub mod records;
pub mod registry;
pub mod traits;

pub use config::{ConfigError, ConfigErrors, ConfigValue};
pub use context::{
    Context, Diagnostic, DiagnosticSink, MemorySink, Progress, ProgressFactory, Quarantined,
    Severity,
};
pub use decision::{Action, AdjustmentEvidence, AdjustmentGates, Decision, DemandAdjustment};
pub use error::{Error, PluginFailure};
pub use outlook::{
    DemandForecast, DemandRate, DocumentSentiment, ForecastPoint, Grouping, ItemIndex, ItemOutlook,
    LlmAssessment, LlmUsage, Outlook, Quantile, RatingTrend, SentimentScores, SentimentSummary,
    Signal, SignalKind, Tagged, Trend, TrendDirection,
};
pub use period::Period;
pub use records::{
    Dataset, DemandDistribution, Document, DocumentKind, ForecastRecord, Product, Provenance,
    RecordKind, Sale, StockPosition,
};
pub use registry::{BuildContext, ComponentKind, ConfigKeyDoc, Factories, PluginInfo, Registry};
pub use traits::{Collector, Model, Preprocessor, Strategy};

/// A specialised `Result` for component calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The version of this crate, checked against a loaded plugin's before anything of it runs.
pub const CORE_VERSION: &str = env!("CARGO_PKG_VERSION");
