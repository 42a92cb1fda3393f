//! Snapshot tests of Restock manifests, for plugin authors and for Restock's own tests.
//!
//! [`run_manifest`] runs a manifest the way `restock run` does, but sandboxed: outputs go to a
//! temporary folder, the cache (`cache_dir`, where LLM answers are kept) is a fresh temporary
//! folder, `${VAR}`s and secrets come only from what the test gives ([`Kit::env`]), and
//! `openai_chat` models answer from their cassettes (`RESTOCK_LLM`, default `replay`: no
//! network). [`assert_report_snapshot!`] snapshots the report with insta after the standard
//! redactions ([`redacted`]); [`assert_manifest_snapshots!`] does that for every manifest of a
//! folder.
//!
//! ```no_run
//! #[test]
//! fn my_pipeline() {
//!     let report = restock_testkit::run_manifest("examples/mine/pipeline.toml");
//!     restock_testkit::assert_report_snapshot!(report);
//! }
//! ```
//!
//! What this crate deliberately is not: a second runner. It calls `restock_runner` with the
//! built-in plugins; the only difference from `restock run` is where files go, which
//! environment is visible, and the LLM mode.
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use restock_core::Registry;
pub use restock_llm::LlmMode;
pub use restock_runner::Report;

#[doc(hidden)]
pub use insta;

/// The environment variable choosing the LLM mode: `replay` (default), `record` or `live`.
pub const LLM_MODE_VARIABLE: &str = "RESTOCK_LLM";

/// The LLM mode of this test process: `RESTOCK_LLM` when set, else [`LlmMode::Replay`].
///
/// # Panics
/// When `RESTOCK_LLM` is set to something other than `live`, `record` or `replay`: a typo must
/// not silently fall back to another mode.
pub fn llm_mode() -> LlmMode {
    match std::env::var(LLM_MODE_VARIABLE) {
        Ok(value) if !value.trim().is_empty() => value.parse().unwrap_or_else(|e| panic!("{e}")),
        _ => LlmMode::Replay,
    }
}

/// Every built-in plugin, with `openai_chat` answering per `mode`.
///
/// Collectors, preprocessors and strategies are the binary's own (`restock::builtin_registry`),
/// so a new built-in one is here with no change; the models are registered again because
/// `openai_chat`'s factory carries the mode (a test keeps this list equal to the binary's).
pub fn registry(mode: LlmMode) -> Registry {
    let builtin = restock::builtin_registry();
    let mut models = Registry::new();
    restock_forecast::register(&mut models);
    restock_lexicon::register(&mut models);
    restock_llm::register_with_mode(&mut models, mode);
    Registry {
        collectors: builtin.collectors,
        preprocessors: builtin.preprocessors,
        models: models.models,
        strategies: builtin.strategies,
    }
}

/// Variables a test run always sees from its process: where cargo builds (a manifest's
/// `[[plugin]] path = "${CARGO_TARGET_DIR:-target}/debug/my_plugin"` must find the library the
/// test's own build wrote). Configuration, never secrets.
pub const BUILD_VARIABLES: &[&str] = &["CARGO_TARGET_DIR"];

/// How to run a manifest: the LLM mode and the environment the manifest may see.
#[derive(Debug, Clone)]
pub struct Kit {
    mode: LlmMode,
    env: BTreeMap<String, String>,
}

impl Default for Kit {
    fn default() -> Self {
        Kit::new()
    }
}

/// What [`Kit::run`] produced. The temporary folders live as long as this value.
#[derive(Debug)]
pub struct Run {
    /// The run's report (floats not yet rounded; [`redacted`] rounds them as the JSON output
    /// does).
    pub report: Report,
    /// The output folder (`[[output]]` files and `quarantine.jsonl`).
    pub out_dir: tempfile::TempDir,
    /// The cache folder the run used (LLM answers under `llm/`).
    pub cache_dir: tempfile::TempDir,
}

impl Kit {
    /// The mode from `RESTOCK_LLM` ([`llm_mode`]) and an empty environment.
    pub fn new() -> Self {
        Kit {
            mode: llm_mode(),
            env: BTreeMap::new(),
        }
    }

    /// Answers LLM requests per `mode` instead of `RESTOCK_LLM`.
    pub fn mode(mut self, mode: LlmMode) -> Self {
        self.mode = mode;
        self
    }

    /// Makes `${name}` (and the secret `name`) resolve to `value`.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.insert(name.into(), value.into());
        self
    }

    /// What `${name}` resolves to: the kit's own variables; then, in `record` and `live`
    /// only, the process's (they need the real key); in `replay`, an unset `…_KEY` or `…_TOKEN`
    /// is empty (no key is needed, and none is sent), and anything else is unset — except
    /// [`BUILD_VARIABLES`], always the process's.
    fn lookup(&self, name: &str) -> Option<String> {
        if let Some(value) = self.env.get(name) {
            return Some(value.clone());
        }
        if BUILD_VARIABLES.contains(&name) {
            return std::env::var(name).ok();
        }
        match self.mode {
            LlmMode::Replay => {
                (name.ends_with("_KEY") || name.ends_with("_TOKEN")).then(String::new)
            }
            LlmMode::Record | LlmMode::Live => std::env::var(name).ok(),
        }
    }

    /// Loads, builds and runs the manifest at `path` in fresh temporary output and cache
    /// folders, on a runtime of its own (call it from a plain `#[test]`, not from async code).
    ///
    /// # Errors
    /// Every manifest mistake, or the component that failed the run, as text.
    pub fn run(&self, path: impl AsRef<Path>) -> Result<Run, String> {
        let path = path.as_ref();
        let out_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let cache_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let registry = registry(self.mode);
        let lookup = |name: &str| self.lookup(name);
        let mut pipeline = restock_runner::load(path, &registry, &lookup)
            .map_err(|errors| format!("{}:\n{errors}", path.display()))?;
        // An absolute path: the runner joins it to the manifest's folder, which keeps it.
        pipeline.manifest.pipeline.cache_dir = cache_dir.path().to_path_buf();
        let kit = self.clone();
        let options = restock_runner::RunOptions {
            out_dir: Some(out_dir.path().to_path_buf()),
            progress: Arc::new(restock_core::context::NoProgress),
            secrets: Arc::new(move |name: &str| kit.lookup(name)),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a runtime: {e}"))?;
        let outcome = runtime
            .block_on(restock_runner::run(pipeline, options))
            .map_err(|error| format!("{}: {error}", path.display()))?;
        Ok(Run {
            report: outcome.report,
            out_dir,
            cache_dir,
        })
    }
}

/// Runs the manifest at `path` with [`Kit::new`] (LLM mode from `RESTOCK_LLM`, default replay;
/// temporary output and cache folders; no variable of the process visible in replay) and
/// returns its report.
///
/// # Panics
/// When the manifest has mistakes or the run fails, with every message.
pub fn run_manifest(path: impl AsRef<Path>) -> Report {
    match Kit::new().run(path) {
        Ok(run) => run.report,
        Err(error) => panic!("{error}"),
    }
}

/// The manifests (`*.toml`, but not `Cargo.toml`) directly in `dir`, sorted by name.
///
/// # Panics
/// When `dir` cannot be read.
pub fn manifests_in(dir: impl AsRef<Path>) -> Vec<PathBuf> {
    let dir = dir.as_ref();
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml") && path.is_file())
        // A plugin crate keeps its manifests beside its own Cargo.toml.
        .filter(|path| !path.ends_with("Cargo.toml"))
        .collect();
    paths.sort();
    paths
}

/// LLM usage counters that depend on the transport rather than on the answers (how many
/// requests and retries were sent, what the cache held): redacted.
const VARYING_USAGE: [&str; 3] = ["requests", "retries", "cache_hits"];

/// The report as JSON, as a snapshot should hold it: floats rounded to six places (as the
/// `json` output writes them), `timings` replaced by `"[timings]"`, the LLM usage counters
/// that vary with the transport (`requests`, `retries`, `cache_hits`) by `"[count]"`, and in
/// every string the working directory by `[cwd]`, temporary folders by `[tmp]` and the port
/// of a loopback address (a test server's) by `[port]`. Reports carry no run id.
pub fn redacted(report: &Report) -> serde_json::Value {
    let mut json = restock_runner::report::to_rounded_json(report);
    if let Some(timings) = json.get_mut("timings") {
        *timings = serde_json::Value::String("[timings]".to_owned());
    }
    if let Some(usage) = json
        .pointer_mut("/outlook/usage")
        .and_then(|usage| usage.as_object_mut())
    {
        for counters in usage.values_mut().filter_map(|u| u.as_object_mut()) {
            for key in VARYING_USAGE {
                if let Some(value) = counters.get_mut(key) {
                    *value = serde_json::Value::String("[count]".to_owned());
                }
            }
        }
    }
    let cwd = std::env::current_dir()
        .ok()
        .map(|dir| dir.display().to_string());
    let tmp = std::env::temp_dir().display().to_string();
    redact_paths(&mut json, cwd.as_deref(), &tmp);
    json
}

fn redact_paths(value: &mut serde_json::Value, cwd: Option<&str>, tmp: &str) {
    match value {
        serde_json::Value::String(text) => {
            *text = redact_loopback_ports(&redact_path_text(text, cwd, tmp))
        }
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|v| redact_paths(v, cwd, tmp));
        }
        serde_json::Value::Object(map) => {
            map.values_mut().for_each(|v| redact_paths(v, cwd, tmp));
        }
        _ => {}
    }
}

/// `text` with the port of every `127.0.0.1:PORT` and `localhost:PORT` replaced by `[port]`:
/// test servers bind a free port, different on every run.
fn redact_loopback_ports(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = ["127.0.0.1:", "localhost:"]
            .iter()
            .filter_map(|host| rest.find(host).map(|at| (at, host.len())))
            .min();
        let Some((at, len)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at + len]);
        rest = &rest[at + len..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            out.push_str("[port]");
            rest = &rest[digits..];
        }
    }
}

/// `text` with `tmp/NAME` (a temporary folder and its random name) replaced by `[tmp]`, then
/// `cwd` by `[cwd]`.
fn redact_path_text(text: &str, cwd: Option<&str>, tmp: &str) -> String {
    let tmp = tmp.trim_end_matches(std::path::MAIN_SEPARATOR);
    let prefix = format!("{tmp}{}", std::path::MAIN_SEPARATOR);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        out.push_str(&rest[..at]);
        out.push_str("[tmp]");
        let after = &rest[at + prefix.len()..];
        let end = after
            .find(|c: char| c == std::path::MAIN_SEPARATOR || c.is_whitespace() || c == '"')
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    match cwd {
        Some(cwd) if !cwd.is_empty() && cwd != "/" => out.replace(cwd, "[cwd]"),
        _ => out,
    }
}

/// Snapshots a [`Report`] with insta after [`redacted`]'s standard redactions.
///
/// `assert_report_snapshot!(report)` names the snapshot after the test function;
/// `assert_report_snapshot!("name", report)` names it.
#[macro_export]
macro_rules! assert_report_snapshot {
    ($report:expr $(,)?) => {{
        let report = $crate::redacted(&$report);
        $crate::insta::assert_json_snapshot!(report)
    }};
    ($name:expr, $report:expr $(,)?) => {{
        let report = $crate::redacted(&$report);
        $crate::insta::assert_json_snapshot!($name, report)
    }};
}

/// Runs a block once per manifest (`*.toml`) directly in a folder ([`manifests_in`]), with
/// the snapshot suffix set to the manifest's file stem, so each manifest's snapshots are its
/// own (as insta's `glob!` does for input files):
///
/// ```no_run
/// #[test]
/// fn every_pipeline() {
///     restock_testkit::glob!("tests/pipelines", |path| {
///         let report = restock_testkit::Kit::new().env("REGION", "sul").run(path).unwrap();
///         restock_testkit::assert_report_snapshot!(report.report);
///     });
/// }
/// ```
#[macro_export]
macro_rules! glob {
    ($dir:expr, |$path:ident| $body:block) => {
        for manifest in $crate::manifests_in($dir) {
            let stem = manifest
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            $crate::insta::with_settings!({ snapshot_suffix => stem }, {
                let $path: &::std::path::Path = &manifest;
                $body
            });
        }
    };
}

/// Runs every manifest of a folder ([`manifests_in`]) with [`run_manifest`] and snapshots each
/// report ([`assert_report_snapshot!`]), one snapshot per manifest, suffixed with its file
/// stem ([`glob!`]).
#[macro_export]
macro_rules! assert_manifest_snapshots {
    ($dir:expr $(,)?) => {
        $crate::glob!($dir, |path| {
            let report = $crate::run_manifest(path);
            $crate::assert_report_snapshot!(report);
        })
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_folders_and_the_working_directory_are_redacted_in_strings() {
        let tmp = std::env::temp_dir().display().to_string();
        let sep = std::path::MAIN_SEPARATOR;
        let text = format!("cannot read {tmp}{sep}.tmpAb12Cd{sep}out.csv in /work/x/data.csv");
        assert_eq!(
            redact_path_text(&text, Some("/work/x"), &tmp),
            format!("cannot read [tmp]{sep}out.csv in [cwd]/data.csv")
        );
    }

    #[test]
    fn loopback_ports_are_redacted() {
        assert_eq!(
            redact_loopback_ports("from http://127.0.0.1:43117/plan.json and localhost:8 :9"),
            "from http://127.0.0.1:[port]/plan.json and localhost:[port] :9"
        );
        assert_eq!(redact_loopback_ports("127.0.0.1:"), "127.0.0.1:");
    }

    #[test]
    fn replay_sees_no_process_variable_but_empty_keys() {
        let kit = Kit::new().mode(LlmMode::Replay).env("REGION", "sul");
        assert_eq!(kit.lookup("REGION").as_deref(), Some("sul"));
        assert_eq!(kit.lookup("OPENAI_API_KEY").as_deref(), Some(""));
        assert_eq!(kit.lookup("PATH"), None, "no leakage from the process");
        assert_eq!(
            kit.lookup("CARGO_TARGET_DIR"),
            std::env::var("CARGO_TARGET_DIR").ok(),
            "where plugins are built is visible"
        );
    }
}
