//! The Restock runner: manifest → pipeline → report.
//!
//! [`Manifest::load`] reads the TOML (the only place in Restock that knows TOML), expands
//! `${VAR}`, and splits it into components; [`build()`] asks the [`restock_core::Registry`] to
//! build each one from its own config, collecting every error with `file:line:col`; [`run()`]
//! executes the stages and writes the outputs and `quarantine.jsonl`.
//!
//! What this crate deliberately is not: it contains no collector, model or strategy. Those are
//! plugins, registered by whoever builds the registry (the `restock` binary registers the
//! built-in ones).
#![deny(missing_docs)]

pub mod build;
pub mod error;
pub mod manifest;
pub mod manifest_tests;
pub mod output;
pub mod plugins;
pub mod progress;
pub mod report;
pub mod run;

pub use build::{Pipeline, build};
pub use error::{ManifestError, ManifestErrors, RunError};
pub use manifest::{BacktestSection, Manifest, parse_config};
pub use manifest_tests::{TestReport, run_tests};
pub use report::Report;
pub use run::{
    Captured, Prepared, RunOptions, RunOutcome, Taps, prepare, prepare_tapped, run, run_tapped,
};

/// Loads and builds the manifest at `path`: every mistake, or a pipeline ready to run.
pub fn load(
    path: &std::path::Path,
    registry: &restock_core::Registry,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Pipeline, ManifestErrors> {
    let manifest = Manifest::load(path, env)?;
    build(manifest, registry)
}
