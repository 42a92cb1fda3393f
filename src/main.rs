//! `restock`: run, validate and list the plugins of Restock pipelines.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use restock_core::ComponentKind;
use restock_runner::progress::TerminalProgress;
use restock_runner::{RunError, RunOptions, RunOutcome};

/// Prints a line to stdout, ignoring a closed pipe (`restock plugins | head` must not panic).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Turn customer reviews and shop data into demand signals and replenishment decisions.
#[derive(Parser)]
#[command(name = "restock", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the pipeline a manifest describes and write its outputs. Exit code 0: done; 1: the
    /// manifest has mistakes (nothing ran); 2: the run could not complete; 3: it completed and
    /// wrote its outputs, but some items failed (error diagnostics).
    Run {
        /// The manifest (TOML).
        manifest: PathBuf,
        /// Output folder (default: `[pipeline] out_dir`, relative to the manifest).
        #[arg(long)]
        out: Option<PathBuf>,
        /// No progress bars and no summary.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Evaluate the manifest's forecast models (and strategy) by rolling origin on its own data:
    /// prints the accuracy table, writes backtest.md and backtest.json.
    Backtest {
        /// The manifest (TOML); its `[backtest]` table sets origins, step and horizon.
        manifest: PathBuf,
        /// Output folder (default: `[pipeline] out_dir`, relative to the manifest).
        #[arg(long)]
        out: Option<PathBuf>,
        /// No progress bars.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Read the manifest's inputs and print, for each LLM model, the requests, estimated tokens
    /// and cost a run would need; no network call is made.
    Plan {
        /// The manifest (TOML).
        manifest: PathBuf,
    },
    /// Run the manifest's `[[tests]]`: each puts records in at a stage, runs the pipeline
    /// (writing nothing) and checks conditions on a stage's output. Prints PASS or FAIL per test,
    /// with expected and actual values for each failed condition. Exit code 0: all passed; 1: a
    /// test failed, or the manifest has mistakes or no tests; 2: a test's run could not complete.
    Test {
        /// The manifest (TOML).
        manifest: PathBuf,
    },
    /// Check a manifest without running it: exit 0, or 1 with every error.
    Validate {
        /// The manifest (TOML).
        manifest: PathBuf,
    },
    /// List every plugin type, its kind, its configuration keys and defaults. With a manifest,
    /// the types of its `[[plugin]]`s follow the built-in ones (exit 1 if one cannot be loaded).
    Plugins {
        /// Also load this manifest's `[[plugin]]` libraries and commands.
        manifest: Option<PathBuf>,
        /// Show each plugin's example configuration too.
        #[arg(long)]
        examples: bool,
    },
}

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        // Diagnostics are printed with the summary; RUST_LOG=info (or debug) adds the log.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    // `restock run` talks to language models live unless RESTOCK_LLM says record or replay
    // (each model's `cassette`); the test kit defaults to replay.
    let mode = match std::env::var("RESTOCK_LLM") {
        Ok(v) if !v.is_empty() => v
            .parse::<restock_llm::LlmMode>()
            .map_err(|e| anyhow::anyhow!("{e}"))?,
        _ => restock_llm::LlmMode::Live,
    };
    let registry = restock::builtin_registry_with_llm_mode(mode);
    match cli.command {
        Command::Validate { manifest } => match restock_runner::load(&manifest, &registry, &env) {
            Ok(pipeline) => {
                out!(
                    "{}: ok ({} components)",
                    manifest.display(),
                    pipeline.manifest.components.len()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(errors) => {
                print_manifest_errors(&errors);
                Ok(ExitCode::from(1))
            }
        },
        Command::Run {
            manifest,
            out,
            quiet,
        } => {
            let pipeline = match restock_runner::load(&manifest, &registry, &env) {
                Ok(p) => p,
                Err(errors) => {
                    print_manifest_errors(&errors);
                    return Ok(ExitCode::from(1));
                }
            };
            let options = RunOptions {
                out_dir: out,
                progress: Arc::new(TerminalProgress::new(
                    !quiet && std::io::stderr().is_terminal(),
                )),
                secrets: Arc::new(|name: &str| std::env::var(name).ok()),
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            match runtime.block_on(restock_runner::run(pipeline, options)) {
                Ok(outcome) => {
                    if !quiet {
                        print_summary(&outcome);
                    }
                    // The run completed, but some items failed: a script must be able to tell.
                    let errors = outcome
                        .report
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity == restock_core::Severity::Error)
                        .count();
                    if errors > 0 {
                        eprintln!(
                            "completed with {errors} error{} (see the diagnostics {}): exit code 3",
                            if errors == 1 { "" } else { "s" },
                            if quiet {
                                "in the report"
                            } else {
                                "above and in the report"
                            }
                        );
                        Ok(ExitCode::from(3))
                    } else {
                        Ok(ExitCode::SUCCESS)
                    }
                }
                Err(RunError::Manifest(errors)) => {
                    print_manifest_errors(&errors);
                    Ok(ExitCode::from(1))
                }
                Err(error) => Err(error).with_context(|| format!("running {}", manifest.display())),
            }
        }
        Command::Backtest {
            manifest,
            out,
            quiet,
        } => {
            let pipeline = match restock_runner::load(&manifest, &registry, &env) {
                Ok(p) => p,
                Err(errors) => {
                    print_manifest_errors(&errors);
                    return Ok(ExitCode::from(1));
                }
            };
            let out_dir = out.unwrap_or_else(|| {
                pipeline
                    .manifest
                    .base_dir()
                    .join(&pipeline.manifest.pipeline.out_dir)
            });
            let options = restock_backtest::BacktestOptions {
                progress: Arc::new(TerminalProgress::new(
                    !quiet && std::io::stderr().is_terminal(),
                )),
                secrets: Arc::new(|name: &str| std::env::var(name).ok()),
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            let report = runtime
                .block_on(restock_backtest::backtest(&pipeline, options))
                .with_context(|| format!("backtesting {}", manifest.display()))?;
            let markdown = report.to_markdown();
            std::fs::create_dir_all(&out_dir)
                .with_context(|| format!("creating {}", out_dir.display()))?;
            let md_path = out_dir.join("backtest.md");
            std::fs::write(&md_path, &markdown)
                .with_context(|| format!("writing {}", md_path.display()))?;
            let json_path = out_dir.join("backtest.json");
            let json = serde_json::to_string_pretty(&report).context("serialising the report")?;
            std::fs::write(&json_path, json + "\n")
                .with_context(|| format!("writing {}", json_path.display()))?;
            out!("{markdown}");
            out!("Wrote {} and {}.", md_path.display(), json_path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan { manifest } => {
            let pipeline = match restock_runner::load(&manifest, &registry, &env) {
                Ok(p) => p,
                Err(errors) => {
                    print_manifest_errors(&errors);
                    return Ok(ExitCode::from(1));
                }
            };
            plan(&pipeline, &manifest)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Test { manifest } => test(&manifest, &registry),
        Command::Plugins { manifest, examples } => {
            print_plugins(&registry, examples);
            let Some(path) = manifest else {
                return Ok(ExitCode::SUCCESS);
            };
            let manifest = match restock_runner::Manifest::load(&path, &env) {
                Ok(m) => m,
                Err(errors) => {
                    print_manifest_errors(&errors);
                    return Ok(ExitCode::from(1));
                }
            };
            let (loaded, errors) = restock_runner::plugins::load(&manifest, &registry);
            for plugin in &loaded.plugins {
                out!(
                    "# from [[plugin]] {} ({})",
                    plugin.source,
                    format!("{} {}", plugin.name, plugin.version).trim_end()
                );
                out!();
            }
            print_plugins_of(&loaded.registry, examples, false);
            if errors.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                print_manifest_errors(&restock_runner::ManifestErrors(errors));
                Ok(ExitCode::from(1))
            }
        }
    }
}

/// `restock plan`: collects and preprocesses as a run would, then asks each `openai_chat`
/// model's planner (built from its config, never the model: no client, no socket) what it
/// would send.
fn plan(pipeline: &restock_runner::Pipeline, manifest: &Path) -> anyhow::Result<()> {
    use restock_core::Grouping;
    let section = &pipeline.manifest.pipeline;
    let cache_dir = pipeline.manifest.base_dir().join(&section.cache_dir);
    let sink = Arc::new(restock_core::MemorySink::default());
    let ctx = restock_core::Context::new(section.as_of, sink).with_services(
        Arc::new(restock_core::context::NoProgress),
        cache_dir.clone(),
        Arc::new(|name: &str| std::env::var(name).ok()),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let prepared = runtime
        .block_on(restock_runner::prepare(pipeline, &ctx, section.as_of))
        .with_context(|| format!("reading the inputs of {}", manifest.display()))?;
    // Items are grouped as the first model groups them (each model's `group_by`, else the
    // outlook's, which the first model sets).
    let group_by = |config: &restock_core::ConfigValue| match config
        .get("group_by")
        .and_then(|value| value.as_str())
    {
        Some("category") => Some(Grouping::Category),
        Some("product") => Some(Grouping::Product),
        _ => None,
    };
    let mut outlook_grouping = None;
    let mut planned = 0;
    for model in &pipeline.models {
        let grouping = *outlook_grouping
            .get_or_insert(group_by(&model.spec.config).unwrap_or(Grouping::Product));
        if model.spec.type_name != "openai_chat" {
            continue;
        }
        let config: restock_llm::model::OpenAiChatConfig =
            restock_core::config::deserialize(&model.spec.config)
                .map_err(|errors| anyhow::anyhow!("{}: {errors:?}", model.spec.name))?;
        let grouping = config.group_by.unwrap_or(grouping);
        let plan = restock_llm::model::plan(
            &config,
            &prepared.dataset,
            grouping,
            section.as_of,
            Some(&cache_dir),
        )
        .map_err(|errors| anyhow::anyhow!("{}: {errors:?}", model.spec.name))?;
        planned += 1;
        out!(
            "{} (openai_chat, {} at {}), items by {}:",
            model.spec.name,
            config.model,
            config.base_url,
            match grouping {
                Grouping::Product => "product",
                Grouping::Category => "category",
            }
        );
        out!("  items            {}", plan.items);
        out!("  documents        {}", plan.documents);
        out!(
            "  requests         {} ({} already cached, {} to send)",
            plan.requests,
            plan.cached,
            plan.requests - plan.cached
        );
        out!(
            "  input tokens     {} (o200k_base count; other vendors' tokenizers differ)",
            plan.input_tokens
        );
        out!(
            "  output tokens    at most {} (max_tokens = {} per request)",
            plan.output_tokens,
            config.max_tokens
        );
        out!(
            "  estimated cost   at most {:.4} (at {} and {} per million input and output tokens)",
            plan.estimated_cost,
            config.price_input_per_million,
            config.price_output_per_million
        );
    }
    if planned == 0 {
        out!("{}: no LLM model, nothing to plan.", manifest.display());
    } else {
        out!("No network call was made; correction rounds and retries are not included.");
    }
    Ok(())
}

/// `restock test`: runs the manifest's `[[tests]]` and prints PASS/FAIL with diffs.
fn test(manifest: &Path, registry: &restock_core::Registry) -> anyhow::Result<ExitCode> {
    let pipeline = match restock_runner::load(manifest, registry, &env) {
        Ok(p) => p,
        Err(errors) => {
            print_manifest_errors(&errors);
            return Ok(ExitCode::from(1));
        }
    };
    if pipeline.manifest.tests.is_empty() {
        eprintln!(
            "error: {} has no [[tests]]; docs/manifest-tests.md shows how to write them",
            manifest.display()
        );
        return Ok(ExitCode::from(1));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let options = || RunOptions {
        out_dir: None,
        progress: Arc::new(restock_core::context::NoProgress),
        secrets: Arc::new(|name: &str| std::env::var(name).ok()),
    };
    let report = runtime.block_on(restock_runner::run_tests(&pipeline, options));
    out!("{}", report.render().trim_end());
    Ok(if report.not_run() > 0 {
        ExitCode::from(2)
    } else if report.failed() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_manifest_errors(errors: &restock_runner::ManifestErrors) {
    for e in &errors.0 {
        eprintln!("error: {e}");
    }
    let n = errors.0.len();
    eprintln!(
        "{n} error{} in the manifest; nothing was run",
        if n == 1 { "" } else { "s" }
    );
}

fn print_summary(outcome: &RunOutcome) {
    let r = &outcome.report;
    out!("{} (as of {})", r.pipeline.name, r.pipeline.as_of);
    out!(
        "{:<11} {:<24} {:<16} {:>8} {:>8} {:>11} {:>8} {:>6} {:>8}",
        "stage",
        "component",
        "type",
        "in",
        "out",
        "quarantined",
        "filtered",
        "items",
        "seconds"
    );
    for s in &r.summary.stages {
        let seconds = r
            .timings
            .components
            .get(&s.component)
            .map(|t| format!("{t:.3}"))
            .unwrap_or_default();
        out!(
            "{:<11} {:<24} {:<16} {:>8} {:>8} {:>11} {:>8} {:>6} {:>8}",
            s.stage,
            s.component,
            s.type_name,
            s.records_in,
            s.records_out,
            s.quarantined,
            s.filtered,
            s.items.map(|i| i.to_string()).unwrap_or_default(),
            seconds
        );
    }
    let s = &r.summary;
    out!(
        "{} items assessed, {} decided: {} to order ({} units); {} rows quarantined; diagnostics: {}",
        s.items_assessed,
        s.decisions,
        s.orders,
        s.units_to_order,
        s.quarantined,
        if s.diagnostics.is_empty() {
            "none".to_owned()
        } else {
            s.diagnostics
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    let problems: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity >= restock_core::Severity::Warning)
        .collect();
    for d in problems.iter().take(10) {
        let severity = if d.severity == restock_core::Severity::Error {
            "error"
        } else {
            "warning"
        };
        let item = d
            .item
            .as_deref()
            .map(|i| format!(" [{i}]"))
            .unwrap_or_default();
        out!("{severity}: {}{item}: {}", d.component, d.message);
    }
    if problems.len() > 10 {
        out!("… and {} more in the JSON report", problems.len() - 10);
    }
    out!("total {:.3} s", r.timings.total_seconds);
    for path in &outcome.written {
        out!("wrote {}", display_relative(path));
    }
}

fn display_relative(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn print_plugins(registry: &restock_core::Registry, examples: bool) {
    print_plugins_of(registry, examples, true);
}

fn print_plugins_of(registry: &restock_core::Registry, examples: bool, with_outputs: bool) {
    let outputs = restock_runner::output::TYPES
        .iter()
        .filter(|_| with_outputs)
        .map(|i| ("output", i));
    let plugins = registry
        .plugins()
        .into_iter()
        .map(|(kind, info)| (kind_name(kind), info))
        .chain(outputs);
    for (kind, info) in plugins {
        out!("{} ({kind}): {}", info.type_name, info.doc);
        for key in info.keys {
            let default = key
                .default
                .map_or("required".to_owned(), |d| format!("default {d}"));
            out!(
                "    {:<24} {:<32} {:<18} {}",
                key.name,
                key.ty,
                default,
                key.doc
            );
        }
        if examples {
            out!("  example:");
            for line in info.example.lines() {
                out!("    {line}");
            }
        }
        out!();
    }
}

fn kind_name(kind: ComponentKind) -> &'static str {
    kind.as_str()
}
