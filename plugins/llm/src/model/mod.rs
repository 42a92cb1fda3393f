//! The `openai_chat` model: each item's documents, packed by a token budget into as few
//! requests as it allows, are sent to an OpenAI-compatible server through a [`ChatClient`];
//! each answer is checked against a schema (once sent back with the problem when it fails),
//! cached on disk, and joined into the item's [`LlmAssessment`]. What the run spent goes to
//! [`restock_core::Outlook::usage`]. [`plan`] counts the same requests without sending any.

mod assessment;
mod cache;
mod config;
mod prompt;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use restock_core::config::{ConfigError, ConfigErrors};
use restock_core::{
    BuildContext, Context, Dataset, Grouping, LlmAssessment, LlmUsage, Model, Outlook, Severity,
    Tagged,
};
use tokio::sync::Semaphore;

pub use assessment::answer_schema;
pub(crate) use config::INFO;
pub use config::OpenAiChatConfig;
pub use prompt::{DEFAULT_PROMPT, PLACEHOLDERS};

use assessment::{Answer, SCHEMA_NAME, combine, validate};
use cache::{Cache, Entry};
use prompt::{Batch, Prompting, Template, count_tokens};

use crate::{
    ChatClient, ChatRequest, ClientConfig, ClientStats, LlmError, LlmMode, Message, ResponseFormat,
};

/// The `openai_chat` model.
pub struct OpenAiChat {
    name: String,
    client: ChatClient,
    prompting: Prompting,
    config: OpenAiChatConfig,
    /// Replayed answers are cached apart (`llm-replay/`), so a later live run never serves a
    /// cassette's answer as the model's.
    mode: LlmMode,
}

impl std::fmt::Debug for OpenAiChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiChat")
            .field("name", &self.name)
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl OpenAiChat {
    /// Checks the configuration and builds a live client; no request is sent.
    pub fn new(config: OpenAiChatConfig, name: &str) -> Result<Self, ConfigErrors> {
        Self::with_client(config, name, |client| client)
    }

    /// Checks the configuration and builds the client answering per `mode`, with the
    /// `cassette` resolved against the manifest's folder (`ctx`). In replay the cassette is
    /// read now: a missing or unreadable one is an error at the `cassette` key. No request is
    /// sent.
    pub fn build(
        config: OpenAiChatConfig,
        ctx: &BuildContext,
        mode: LlmMode,
    ) -> Result<Self, ConfigErrors> {
        let cassette = config.cassette.as_deref().map(|path| ctx.resolve(path));
        let mut model = Self::with_client(config, &ctx.component, |mut client| {
            client.mode = mode;
            client.cassette = cassette;
            client
        })?;
        model.mode = mode;
        Ok(model)
    }

    fn with_client(
        config: OpenAiChatConfig,
        name: &str,
        adjust: impl FnOnce(ClientConfig) -> ClientConfig,
    ) -> Result<Self, ConfigErrors> {
        let prompting = prompting(&config)?;
        let client_config = adjust(config.client_config()?);
        let client = ChatClient::new(client_config).map_err(|error| {
            let key = match &error {
                LlmError::InvalidConfig { reason } if reason.starts_with("api_key") => "api_key",
                LlmError::Cassette { .. } => "cassette",
                _ => "base_url",
            };
            ConfigErrors(vec![ConfigError::at_key(&[key], error.to_string())])
        })?;
        Ok(OpenAiChat {
            name: name.to_owned(),
            client,
            prompting,
            config,
            mode: LlmMode::Live,
        })
    }
}

fn prompting(config: &OpenAiChatConfig) -> Result<Prompting, ConfigErrors> {
    let template = Template::new(config.prompt.as_deref().unwrap_or(DEFAULT_PROMPT))
        .map_err(|reason| ConfigErrors(vec![ConfigError::at_key(&["prompt"], reason)]))?;
    Ok(Prompting {
        template,
        base_url: config.base_url.clone(),
        model: config.model.trim().to_owned(),
        temperature: config.temperature,
        max_tokens: config.max_tokens,
        max_input_tokens: config.max_input_tokens,
        summary_language: config.summary_language.clone(),
        schema: answer_schema(),
    })
}

/// What one batch came to.
enum Outcome {
    Answered { entry: Box<Entry>, cached: bool },
    Failed(String),
}

#[async_trait]
impl Model for OpenAiChat {
    async fn assess(
        &self,
        dataset: &Dataset,
        outlook: &mut Outlook,
        ctx: &Context,
    ) -> restock_core::Result<()> {
        let grouping = self.config.group_by.unwrap_or(outlook.grouping);
        if outlook.items.is_empty() {
            outlook.grouping = grouping;
        }
        let batches = self
            .prompting
            .batches(dataset, grouping, ctx.as_of())
            .map_err(restock_core::Error::Other)?;
        let before = self.client.stats();
        let cache = match self.mode {
            LlmMode::Replay => Cache::in_folder(ctx.cache_dir(), "llm-replay"),
            LlmMode::Live | LlmMode::Record => Cache::new(ctx.cache_dir()),
        };
        let semaphore = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let progress = ctx.progress("asking the model", Some(batches.len() as u64));
        let mut tasks = tokio::task::JoinSet::new();
        for (i, batch) in batches.iter().cloned().enumerate() {
            let (client, cache, semaphore) =
                (self.client.clone(), cache.clone(), semaphore.clone());
            let (ctx, model, schema) = (
                ctx.clone(),
                self.prompting.model.clone(),
                self.prompting.schema.clone(),
            );
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await.expect("never closed");
                if ctx.is_cancelled() {
                    return (i, None);
                }
                (
                    i,
                    Some(ask(&client, &cache, &model, schema, &batch, &ctx).await),
                )
            });
        }
        let mut outcomes: Vec<Option<Outcome>> = (0..batches.len()).map(|_| None).collect();
        while let Some(joined) = tasks.join_next().await {
            let (i, outcome) = joined.map_err(|error| {
                restock_core::Error::Other(format!("a request task failed: {error}"))
            })?;
            progress.inc(1);
            outcomes[i] = outcome;
        }
        if ctx.is_cancelled() {
            return Err(restock_core::Error::Cancelled);
        }

        let mut usage = LlmUsage {
            model: self.prompting.model.clone(),
            ..LlmUsage::default()
        };
        let mut counted = (0u64, 0u64);
        let mut per_item: BTreeMap<&str, Vec<(&Batch, Outcome)>> = BTreeMap::new();
        for (batch, outcome) in batches.iter().zip(outcomes) {
            let outcome = outcome.expect("every task ran (not cancelled)");
            if let Outcome::Answered { entry, cached } = &outcome {
                if *cached {
                    usage.cache_hits += 1;
                } else {
                    counted.0 += entry.input_tokens;
                    counted.1 += entry.output_tokens;
                }
            }
            per_item
                .entry(&batch.item)
                .or_default()
                .push((batch, outcome));
        }
        for (item, parts) in per_item {
            let entry = outlook.item_mut(item);
            if entry.category.is_none() {
                entry.category = parts[0].0.category.clone();
            }
            let failures: Vec<String> = parts
                .iter()
                .filter_map(|(batch, outcome)| match outcome {
                    Outcome::Failed(reason) if parts.len() > 1 => Some(format!(
                        "request {} of {}: {reason}",
                        batch.part + 1,
                        parts.len()
                    )),
                    Outcome::Failed(reason) => Some(reason.clone()),
                    Outcome::Answered { .. } => None,
                })
                .collect();
            if !failures.is_empty() {
                usage.failed_items += 1;
                let message = failures.join("; ");
                ctx.report(Severity::Error, Some(item), None, message.clone());
                entry.errors.push(format!("{}: {message}", self.name));
                continue;
            }
            let mut answers = Vec::new();
            let (mut requests, mut input_tokens, mut output_tokens, mut documents) = (0, 0, 0, 0);
            for (batch, outcome) in parts {
                let Outcome::Answered { entry, .. } = outcome else {
                    unreachable!("failures were handled above")
                };
                requests += entry.requests;
                input_tokens += entry.input_tokens;
                output_tokens += entry.output_tokens;
                documents += batch.document_ids.len();
                answers.push((entry.answer, batch.document_ids.len()));
            }
            let answer = combine(&answers);
            entry.llm = Some(Tagged {
                model: self.name.clone(),
                value: LlmAssessment {
                    trend: answer.trend,
                    confidence: answer.confidence,
                    demand_drivers: answer.demand_drivers,
                    risks: answer.risks,
                    stockout_mentions: answer.stockout_mentions,
                    quality_issues: answer.quality_issues,
                    summary: answer.summary,
                    supporting_document_ids: answer.supporting_document_ids,
                    documents,
                    requests,
                    input_tokens,
                    output_tokens,
                },
            });
        }
        let truncated: usize = batches.iter().map(|b| b.truncated).sum();
        if truncated > 0 {
            ctx.report(
                Severity::Info,
                None,
                None,
                format!(
                    "{truncated} documents were longer than max_input_tokens = {} allows and were cut to fit",
                    self.config.max_input_tokens
                ),
            );
        }
        let spent = delta(self.client.stats(), before);
        usage.requests = spent.requests;
        usage.retries = spent.retries;
        // The server's counts when it reports them; else what was counted.
        usage.input_tokens = if spent.prompt_tokens > 0 {
            spent.prompt_tokens
        } else {
            counted.0
        };
        usage.output_tokens = if spent.completion_tokens > 0 {
            spent.completion_tokens
        } else {
            counted.1
        };
        usage.estimated_cost = cost(&self.config, usage.input_tokens, usage.output_tokens);
        outlook.usage.insert(self.name.clone(), usage);
        Ok(())
    }
}

fn delta(after: ClientStats, before: ClientStats) -> ClientStats {
    ClientStats {
        requests: after.requests - before.requests,
        retries: after.retries - before.retries,
        format_fallbacks: after.format_fallbacks - before.format_fallbacks,
        prompt_tokens: after.prompt_tokens - before.prompt_tokens,
        completion_tokens: after.completion_tokens - before.completion_tokens,
    }
}

fn cost(config: &OpenAiChatConfig, input_tokens: u64, output_tokens: u64) -> f64 {
    (input_tokens as f64 * config.price_input_per_million
        + output_tokens as f64 * config.price_output_per_million)
        / 1e6
}

/// One batch: from the cache, else asked, checked, corrected once if need be, and stored.
async fn ask(
    client: &ChatClient,
    cache: &Cache,
    model: &str,
    schema: serde_json::Value,
    batch: &Batch,
    ctx: &Context,
) -> Outcome {
    if let Some(entry) = cache.read(&batch.key) {
        return Outcome::Answered {
            entry: Box::new(entry),
            cached: true,
        };
    }
    let max_tokens = client.config().max_tokens.unwrap_or(0) as usize;
    let request = |messages: Vec<Message>| {
        let tokens = prompt::conversation_tokens(&messages) + max_tokens;
        ChatRequest {
            messages,
            response_format: ResponseFormat::JsonSchema {
                name: SCHEMA_NAME.to_owned(),
                schema: schema.clone(),
                strict: true,
            },
            estimated_tokens: Some(u32::try_from(tokens).unwrap_or(u32::MAX)),
        }
    };
    let mut spent = (0u64, 0u64, 0u64);
    let mut messages = batch.messages.clone();
    for round in 0..2 {
        let sent = request(messages.clone());
        let (problem, reply) = match client.complete_json(&sent).await {
            Ok(answer) => {
                spent.0 += 1;
                let usage = answer.completion.usage.unwrap_or_default();
                spent.1 += usage
                    .prompt_tokens
                    .unwrap_or(prompt::conversation_tokens(&sent.messages) as u64);
                spent.2 += usage
                    .completion_tokens
                    .unwrap_or(count_tokens(&answer.completion.content) as u64);
                match validate(&answer.object, &batch.document_ids) {
                    Ok(valid) => return store(cache, model, batch, valid, spent, ctx),
                    Err(problem) => (problem, Some(answer.completion.content)),
                }
            }
            Err(LlmError::InvalidAnswer { reason }) => {
                spent.0 += 1;
                spent.1 += prompt::conversation_tokens(&sent.messages) as u64;
                (reason, None)
            }
            Err(error) => return Outcome::Failed(error.to_string()),
        };
        if round == 1 {
            return Outcome::Failed(format!(
                "invalid answer, also after one correction: {problem}"
            ));
        }
        tracing::info!(item = %batch.item, "answer rejected, sending it back once: {problem}");
        if let Some(reply) = reply {
            messages.push(Message::assistant(reply));
        }
        messages.push(Message::user(format!(
            "That answer is not valid: {problem}. Answer again with one JSON object that \
             matches the schema, citing only ids of the documents given."
        )));
    }
    unreachable!("the second round returns")
}

fn store(
    cache: &Cache,
    model: &str,
    batch: &Batch,
    answer: Answer,
    spent: (u64, u64, u64),
    ctx: &Context,
) -> Outcome {
    let entry = Entry::new(model, &batch.document_ids, answer, spent);
    if let Err(error) = cache.write(&batch.key, &entry) {
        ctx.report(
            Severity::Warning,
            Some(&batch.item),
            None,
            format!("could not cache the answer (it will be asked again next run): {error}"),
        );
    }
    Outcome::Answered {
        entry: Box::new(entry),
        cached: false,
    }
}

/// What a run of one `openai_chat` component would send, counted without sending anything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Items with documents to read.
    pub items: usize,
    /// Documents sent (one per id and item).
    pub documents: usize,
    /// Requests, one per packed batch (correction rounds and retries not included).
    pub requests: usize,
    /// Of those, answers already in the cache (not sent again).
    pub cached: usize,
    /// Prompt tokens of the requests not cached (o200k_base count).
    pub input_tokens: u64,
    /// Completion tokens of the requests not cached, at most: `max_tokens` each.
    pub output_tokens: u64,
    /// Estimated cost of the requests not cached, at most (output at `max_tokens`).
    pub estimated_cost: f64,
}

/// Counts the requests `openai_chat` with `config` would send for `dataset` (items grouped by
/// `grouping`, prompts dated `as_of`), and which of them `cache_dir` already answers.
///
/// Opens no socket: it packs the same batches the model would and reads the cache folder.
///
/// # Errors
/// The configuration's problems (the same as building the model reports).
pub fn plan(
    config: &OpenAiChatConfig,
    dataset: &Dataset,
    grouping: Grouping,
    as_of: NaiveDate,
    cache_dir: Option<&Path>,
) -> Result<Plan, ConfigErrors> {
    let prompting = prompting(config)?;
    config.client_config()?;
    let batches = prompting
        .batches(dataset, grouping, as_of)
        .map_err(|reason| ConfigErrors(vec![ConfigError::at_key(&["max_input_tokens"], reason)]))?;
    let cache = cache_dir.map(Cache::new);
    let mut plan = Plan {
        requests: batches.len(),
        ..Plan::default()
    };
    let mut items = std::collections::BTreeSet::new();
    for batch in &batches {
        items.insert(batch.item.as_str());
        plan.documents += batch.document_ids.len();
        if cache
            .as_ref()
            .is_some_and(|cache| cache.contains(&batch.key))
        {
            plan.cached += 1;
        } else {
            plan.input_tokens += batch.input_tokens as u64;
            plan.output_tokens += u64::from(config.max_tokens);
        }
    }
    plan.items = items.len();
    plan.estimated_cost = cost(config, plan.input_tokens, plan.output_tokens);
    Ok(plan)
}
