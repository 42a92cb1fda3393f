//! A plugin's component as the host sees it: the four traits, each call one request.

use async_trait::async_trait;
use restock_core::{
    Collector, Context, Dataset, Decision, Diagnostic, Model, Outlook, PluginFailure, Preprocessor,
    Quarantined, Strategy,
};

use crate::protocol::{ContextData, Request, Response, WireFailure};

use super::Plugin;

/// A component living in a plugin.
pub(super) struct Remote {
    pub(super) plugin: Plugin,
    pub(super) instance: u64,
}

pub(super) fn failure_word(failure: WireFailure) -> PluginFailure {
    match failure {
        WireFailure::Panicked => PluginFailure::Panicked,
        WireFailure::Failed => PluginFailure::Failed,
        WireFailure::Protocol => PluginFailure::Protocol,
    }
}

fn context(ctx: &Context) -> ContextData {
    ContextData {
        as_of: ctx.as_of(),
        component: ctx.component().to_owned(),
        cache_dir: ctx.cache_dir().to_path_buf(),
    }
}

/// What the plugin said during the call, said again on the host's context.
fn replay(ctx: &Context, diagnostics: Vec<Diagnostic>, quarantined: Vec<Quarantined>) {
    for d in diagnostics {
        ctx.report(d.severity, d.item.as_deref(), d.location, d.message);
    }
    for q in quarantined {
        ctx.quarantine(q.location, q.reason, q.raw);
    }
}

impl Remote {
    fn error(&self, failure: PluginFailure, message: String) -> restock_core::Error {
        restock_core::Error::Plugin {
            // The name the plugin gave itself: stable across machines, unlike its path.
            plugin: self.plugin.name.clone(),
            failure,
            message,
        }
    }

    async fn ask(&self, request: Request) -> restock_core::Result<Response> {
        match self.plugin.call(request).await {
            Ok(Response::Error { failure, message }) => {
                Err(self.error(failure_word(failure), message))
            }
            Ok(response) => Ok(response),
            Err((failure, message)) => Err(self.error(failure, message)),
        }
    }

    /// Asks, expecting a dataset (collect, process).
    async fn dataset(&self, request: Request, ctx: &Context) -> restock_core::Result<Dataset> {
        match self.ask(request).await? {
            Response::Dataset {
                dataset,
                diagnostics,
                quarantined,
            } => {
                replay(ctx, diagnostics, quarantined);
                Ok(dataset)
            }
            other => Err(self.unexpected(&other, "dataset")),
        }
    }

    fn unexpected(&self, response: &Response, wanted: &str) -> restock_core::Error {
        self.error(
            PluginFailure::Protocol,
            format!(
                "answered `{}` where `{wanted}` was expected",
                super::response_name(response)
            ),
        )
    }
}

#[async_trait]
impl Collector for Remote {
    async fn collect(&self, ctx: &Context) -> restock_core::Result<Dataset> {
        let request = Request::Collect {
            instance: self.instance,
            context: context(ctx),
        };
        self.dataset(request, ctx).await
    }
}

#[async_trait]
impl Preprocessor for Remote {
    async fn process(&self, dataset: Dataset, ctx: &Context) -> restock_core::Result<Dataset> {
        let request = Request::Process {
            instance: self.instance,
            dataset,
            context: context(ctx),
        };
        self.dataset(request, ctx).await
    }
}

#[async_trait]
impl Model for Remote {
    async fn assess(
        &self,
        dataset: &Dataset,
        outlook: &mut Outlook,
        ctx: &Context,
    ) -> restock_core::Result<()> {
        let request = Request::Assess {
            instance: self.instance,
            dataset: dataset.clone(),
            outlook: outlook.clone(),
            documents: outlook.documents.clone(),
            context: context(ctx),
        };
        match self.ask(request).await? {
            Response::Outlook {
                outlook: mut new,
                documents,
                diagnostics,
                quarantined,
            } => {
                replay(ctx, diagnostics, quarantined);
                new.documents = documents;
                *outlook = new;
                Ok(())
            }
            other => Err(self.unexpected(&other, "outlook")),
        }
    }
}

#[async_trait]
impl Strategy for Remote {
    async fn decide(
        &self,
        dataset: &Dataset,
        outlook: &Outlook,
        ctx: &Context,
    ) -> restock_core::Result<Vec<Decision>> {
        let request = Request::Decide {
            instance: self.instance,
            dataset: dataset.clone(),
            outlook: outlook.clone(),
            context: context(ctx),
        };
        match self.ask(request).await? {
            Response::Decisions {
                decisions,
                diagnostics,
                quarantined,
            } => {
                replay(ctx, diagnostics, quarantined);
                Ok(decisions)
            }
            other => Err(self.unexpected(&other, "decisions")),
        }
    }
}
