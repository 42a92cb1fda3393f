//! The `html` collector: walks each start URL's pages through the polite fetcher, turns each
//! review block into a document, and sets aside the blocks it cannot read.

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use restock_core::{Collector, Context, Dataset, Error, Provenance, Severity};

use crate::extract::Plan;
use crate::fetch::{FetchError, Fetcher};

/// An `html` collector built from a checked plan. Building it opens no socket.
pub(crate) struct HtmlCollector {
    plan: Arc<Plan>,
}

impl HtmlCollector {
    pub(crate) fn new(plan: Plan) -> Self {
        Self {
            plan: Arc::new(plan),
        }
    }
}

#[derive(Default)]
struct Counts {
    pages: usize,
    documents: usize,
    quarantined: usize,
    refused: usize,
    failed: usize,
}

#[async_trait]
impl Collector for HtmlCollector {
    async fn collect(&self, ctx: &Context) -> restock_core::Result<Dataset> {
        let plan = &self.plan;
        let mut config = plan.fetch.clone();
        config.offline |= offline_from_env();
        let fetcher = Fetcher::new(config).map_err(Error::Other)?;
        let mut visited = HashSet::new();
        let mut dataset = Dataset::default();
        let mut counts = Counts::default();
        for start in &plan.start_urls {
            let mut url = start.clone();
            let mut pages = 0;
            loop {
                if ctx.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                if !visited.insert(url.clone()) {
                    ctx.report(
                        Severity::Info,
                        None,
                        Some(Provenance::of(url.as_str())),
                        "already visited: the walk ends here",
                    );
                    break;
                }
                let page = match fetcher.get(&url).await {
                    Ok(page) => page,
                    Err(error) => {
                        match error {
                            // Offline, a page not saved fails the run at once.
                            FetchError::Offline { .. } => {
                                return Err(Error::Other(error.to_string()));
                            }
                            FetchError::Disallowed { .. } => counts.refused += 1,
                            _ => counts.failed += 1,
                        }
                        ctx.report(
                            Severity::Warning,
                            None,
                            Some(Provenance::of(url.as_str())),
                            error.to_string(),
                        );
                        break;
                    }
                };
                pages += 1;
                counts.pages += 1;
                let extracted = plan.extract(&page.url, &page.text);
                for review in extracted.reviews {
                    match review {
                        Ok(document) => {
                            counts.documents += 1;
                            dataset.documents.push(document);
                        }
                        Err(rejected) => {
                            counts.quarantined += 1;
                            ctx.quarantine(
                                Provenance::at(page.url.as_str(), rejected.index as u64),
                                rejected.reason,
                                rejected.raw,
                            );
                        }
                    }
                }
                match extracted.next {
                    Some(next) if pages < plan.max_pages => url = next,
                    Some(next) => {
                        ctx.report(
                            Severity::Info,
                            None,
                            Some(Provenance::of(next.as_str())),
                            format!(
                                "not followed: max_pages ({}) reached from {start}",
                                plan.max_pages
                            ),
                        );
                        break;
                    }
                    None => break,
                }
            }
        }
        let mut message = format!(
            "read {} documents from {} pages, quarantined {} review blocks",
            counts.documents, counts.pages, counts.quarantined
        );
        if counts.refused > 0 {
            message.push_str(&format!(
                "; {} pages not requested (robots.txt)",
                counts.refused
            ));
        }
        if counts.failed > 0 {
            message.push_str(&format!("; {} pages failed", counts.failed));
        }
        ctx.report(Severity::Info, None, None, message);
        Ok(dataset)
    }
}

/// `RESTOCK_OFFLINE` set to `1`, `true` or `yes` makes every web collector offline.
pub(crate) fn offline_from_env() -> bool {
    std::env::var("RESTOCK_OFFLINE")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}
