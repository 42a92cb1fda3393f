//! The four plugin traits. Each is object-safe, `Send + Sync`, and async through
//! `async-trait`, so the runner can hold `Box<dyn …>` values built from the manifest.

use async_trait::async_trait;

use crate::Result;
use crate::context::Context;
use crate::decision::Decision;
use crate::outlook::Outlook;
use crate::records::Dataset;

/// Gathers records from one source (files, web pages, feeds, APIs). Collectors run
/// concurrently; their datasets are merged and put in canonical order.
///
/// A row that cannot be read is never dropped silently: report it with
/// [`Context::quarantine`] and go on. Return `Err` only when the source cannot be read at all.
#[async_trait]
pub trait Collector: Send + Sync {
    /// Reads the source.
    async fn collect(&self, ctx: &Context) -> Result<Dataset>;
}

/// Transforms the dataset; preprocessors run in manifest order.
#[async_trait]
pub trait Preprocessor: Send + Sync {
    /// Returns the transformed dataset. Records removed must be accounted for with a
    /// diagnostic saying how many and why.
    async fn process(&self, dataset: Dataset, ctx: &Context) -> Result<Dataset>;
}

/// Reads the dataset and the outlook built by earlier models, and adds its findings per item.
/// Models run in manifest order.
///
/// A failure for one item goes into that item's `errors` (and a diagnostic); return `Err` only
/// when the model cannot run at all.
#[async_trait]
pub trait Model: Send + Sync {
    /// Adds findings to `outlook`.
    async fn assess(&self, dataset: &Dataset, outlook: &mut Outlook, ctx: &Context) -> Result<()>;
}

/// Turns each item's outlook and stock position into a decision.
///
/// An item that cannot be decided is reported with a diagnostic and left out; the rest are
/// decided.
#[async_trait]
pub trait Strategy: Send + Sync {
    /// One decision per item that could be decided.
    async fn decide(
        &self,
        dataset: &Dataset,
        outlook: &Outlook,
        ctx: &Context,
    ) -> Result<Vec<Decision>>;
}
