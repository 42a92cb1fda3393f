//! Reading a manifest: TOML text → a spanned [`ConfigValue`] tree with `${VAR}` expanded →
//! the pipeline's sections and one [`ComponentSpec`] per component. Every mistake found is
//! returned, each with `file:line:col` and the key path.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use restock_core::config::{self, ConfigKey, ConfigKind, ConfigValue, display_path};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use restock_plugin::host::PluginSource;

use crate::error::{ManifestError, ManifestErrors};

/// The `[pipeline]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineSection {
    /// Shown in reports and messages.
    pub name: String,
    /// "Today" for the run, `YYYY-MM-DD`; makes outputs reproducible.
    pub as_of: NaiveDate,
    /// What the pipeline is for, one line.
    #[serde(default)]
    pub description: Option<String>,
    /// Where outputs and `quarantine.jsonl` go, relative to the manifest (`--out` replaces it).
    #[serde(default = "default_out_dir")]
    pub out_dir: PathBuf,
    /// Where components may cache between runs, relative to the manifest.
    #[serde(default = "default_cache_dir")]
    pub cache_dir: PathBuf,
}

/// `[backtest]`: how `restock backtest` evaluates the manifest's forecast models and strategy by
/// rolling origin (Tashman, "Out-of-sample tests of forecasting accuracy", IJF 16, 2000).
///
/// The last origin is `horizon` periods before the last complete period before `as_of`; the
/// others go back `step` periods at a time, `origins` in all. At each origin the models see
/// only what happened before it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BacktestSection {
    /// Number of forecast origins, ≥ 1.
    #[serde(default = "default_origins")]
    pub origins: usize,
    /// Periods between origins, ≥ 1.
    #[serde(default = "default_step")]
    pub step: usize,
    /// Periods forecast from each origin, ≥ 1.
    #[serde(default = "default_horizon")]
    pub horizon: usize,
    /// Season length of the naive forecast that scales MASE and RMSSE (1 = the one-step naive
    /// forecast, as in Hyndman & Koehler, IJF 22, 2006).
    #[serde(default = "default_scale_season")]
    pub scale_season: usize,
    /// Quantile levels scored by the scaled pinball loss, each in (0, 1).
    #[serde(default = "default_backtest_quantiles")]
    pub quantiles: Vec<f64>,
}

impl Default for BacktestSection {
    fn default() -> Self {
        Self {
            origins: default_origins(),
            step: default_step(),
            horizon: default_horizon(),
            scale_season: default_scale_season(),
            quantiles: default_backtest_quantiles(),
        }
    }
}

fn default_origins() -> usize {
    6
}
fn default_step() -> usize {
    1
}
fn default_horizon() -> usize {
    1
}
fn default_scale_season() -> usize {
    1
}
fn default_backtest_quantiles() -> Vec<f64> {
    vec![0.5, 0.9, 0.95]
}

fn default_out_dir() -> PathBuf {
    PathBuf::from("out")
}

fn default_cache_dir() -> PathBuf {
    PathBuf::from(".restock-cache")
}

/// The manifest sections that hold components.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// `[[collect]]`
    Collect,
    /// `[[preprocess]]`
    Preprocess,
    /// `[[model]]`
    Model,
    /// `[strategy]`
    Strategy,
    /// `[[output]]`
    Output,
}

impl Section {
    /// The TOML key of the section.
    pub fn key(self) -> &'static str {
        match self {
            Section::Collect => "collect",
            Section::Preprocess => "preprocess",
            Section::Model => "model",
            Section::Strategy => "strategy",
            Section::Output => "output",
        }
    }
}

/// One `[[plugin]]` entry.
#[derive(Debug, Clone)]
pub struct PluginSpec {
    /// Index among the `[[plugin]]` entries.
    pub index: usize,
    /// Byte span of its table.
    pub span: Range<usize>,
    /// The library (or folder of libraries) or the command.
    pub source: PluginSource,
    /// `timeout_seconds`: how long one component call may take (none: no limit).
    pub timeout: Option<std::time::Duration>,
}

/// One component as written: where, which type, what name, and its own keys.
#[derive(Debug, Clone)]
pub struct ComponentSpec {
    /// Its section.
    pub section: Section,
    /// Index within the section (0 for `[strategy]`).
    pub index: usize,
    /// The `type` value.
    pub type_name: String,
    /// Byte span of the `type` value.
    pub type_span: Range<usize>,
    /// `name`, or `type#index` when not given.
    pub name: String,
    /// The table without `type` and `name`.
    pub config: ConfigValue,
}

impl ComponentSpec {
    /// The key path of the component's table, e.g. `collect[1]` or `strategy`.
    pub fn path(&self) -> String {
        match self.section {
            Section::Strategy => "strategy".to_owned(),
            section => format!("{}[{}]", section.key(), self.index),
        }
    }
}

/// A parsed manifest. Component configs are not yet checked against their plugins: that is
/// [`crate::build`]'s job.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest file.
    pub path: PathBuf,
    /// Its text (spans point into it).
    pub source: String,
    /// `[pipeline]`.
    pub pipeline: PipelineSection,
    /// `[backtest]`, when present.
    pub backtest: Option<BacktestSection>,
    /// Every component, in manifest order within each section.
    pub components: Vec<ComponentSpec>,
    /// `[[tests]]`, run by `restock test` ([`crate::manifest_tests`]).
    pub tests: Vec<crate::manifest_tests::ManifestTest>,
    /// `[[plugin]]` entries, in order (paths and commands relative to the manifest's folder).
    pub plugins: Vec<PluginSpec>,
    /// Mistakes found while reading that do not stop the components from being checked;
    /// [`crate::build()`] reports them together with the components' own.
    pub errors: Vec<ManifestError>,
    /// Key paths (`collect[0].path`) whose value could not be read (an unset variable, say):
    /// already reported, so "missing field" errors about them are not repeated.
    pub dropped: Vec<String>,
    /// Values that came from the environment: never shown in any message.
    secrets: Vec<String>,
}

impl Manifest {
    /// The manifest's folder.
    pub fn base_dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// The components of one section, in order.
    pub fn section(&self, section: Section) -> impl Iterator<Item = &ComponentSpec> {
        self.components.iter().filter(move |c| c.section == section)
    }

    /// A [`ManifestError`] at `span` of this manifest. Values that came from the environment
    /// are blanked out of `message`.
    pub fn error(
        &self,
        span: Option<Range<usize>>,
        path: String,
        message: String,
    ) -> ManifestError {
        let message = scrub(&self.secrets, &message);
        ManifestError::new(&self.path, &self.source, span, path, message)
    }

    /// Reads and parses the manifest at `path`, with `env` looking up variables.
    pub fn load(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ManifestErrors> {
        let source = std::fs::read_to_string(path).map_err(|e| {
            ManifestErrors(vec![ManifestError::new(
                path,
                "",
                None,
                String::new(),
                format!("cannot read the manifest: {e}"),
            )])
        })?;
        Self::parse(path, source, env)
    }

    /// Parses manifest text that was read from `path`.
    pub fn parse(
        path: &Path,
        source: String,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ManifestErrors> {
        let mut errors = Vec::new();
        let at = |span: Option<Range<usize>>, key: String, message: String| {
            ManifestError::new(path, &source, span, key, message)
        };

        let (table, syntax) = DeTable::parse_recoverable(&source);
        if !syntax.is_empty() {
            let errors = syntax
                .iter()
                .map(|e| at(e.span(), String::new(), e.message().trim().to_owned()))
                .collect();
            return Err(ManifestErrors(errors));
        }
        let span = table.span();
        let mut dropped = Vec::new();
        let mut secrets = Vec::new();
        let mut root = convert_table(
            table.into_inner(),
            span,
            &mut Vec::new(),
            env,
            &mut secrets,
            &mut |span, key, msg| {
                dropped.push(key.clone());
                errors.push(at(Some(span), key, msg))
            },
        );
        secrets.retain(|s| !s.is_empty());

        let known = [
            "pipeline",
            "collect",
            "preprocess",
            "model",
            "strategy",
            "output",
            "plugin",
            "backtest",
            "tests",
        ];
        if let ConfigKind::Table(entries) = &root.kind {
            for (key, _) in entries {
                if !known.contains(&key.name.as_str()) {
                    let hint = did_you_mean(&key.name, known.iter().copied());
                    errors.push(at(
                        Some(key.span.clone()),
                        key.name.clone(),
                        format!(
                            "unknown section `{}`{hint}; expected one of {}",
                            key.name,
                            known.join(", ")
                        ),
                    ));
                }
            }
        }

        let pipeline = match root.remove("pipeline") {
            None => {
                errors.push(at(
                    Some(0..0),
                    "pipeline".into(),
                    "missing [pipeline] table (name and as_of)".into(),
                ));
                placeholder_pipeline()
            }
            Some(value) => match config::deserialize::<PipelineSection>(&value) {
                Ok(p) => p,
                Err(errs) => {
                    for e in errs.0 {
                        let key = prefixed("pipeline", &e.path);
                        // A value already reported as unreadable is missing for that reason.
                        let missing = e
                            .message
                            .strip_prefix("missing field `")
                            .and_then(|m| m.strip_suffix('`'));
                        if missing.is_some_and(|m| dropped.contains(&format!("{key}.{m}"))) {
                            continue;
                        }
                        errors.push(at(e.span, key, explain(&e.message)));
                    }
                    placeholder_pipeline()
                }
            },
        };

        let backtest = root.remove("backtest").and_then(|value| {
            // Range checks on the tree itself, so they are reported with the key's own
            // position even when another key of the table fails to deserialise.
            for key in ["origins", "step", "horizon", "scale_season"] {
                if let Some(v) = value.get(key)
                    && matches!(v.kind, ConfigKind::Integer(0))
                {
                    errors.push(at(
                        Some(v.span.clone()),
                        format!("backtest.{key}"),
                        "must be at least 1".into(),
                    ));
                }
            }
            if let Some(ConfigValue {
                kind: ConfigKind::Array(items),
                ..
            }) = value.get("quantiles")
            {
                for (i, item) in items.iter().enumerate() {
                    let level = match item.kind {
                        ConfigKind::Float(f) => Some(f),
                        ConfigKind::Integer(n) => Some(n as f64),
                        _ => None,
                    };
                    if level.is_some_and(|q| !(q > 0.0 && q < 1.0)) {
                        errors.push(at(
                            Some(item.span.clone()),
                            format!("backtest.quantiles[{i}]"),
                            "a quantile level must be in (0, 1)".into(),
                        ));
                    }
                }
            }
            match config::deserialize::<BacktestSection>(&value) {
                Ok(b) => Some(b),
                Err(errs) => {
                    for e in errs.0 {
                        errors.push(at(
                            e.span,
                            prefixed("backtest", &e.path),
                            explain(&e.message),
                        ));
                    }
                    None
                }
            }
        });

        let mut components = Vec::new();
        let sections = [
            Section::Collect,
            Section::Preprocess,
            Section::Model,
            Section::Strategy,
            Section::Output,
        ];
        for section in sections {
            let Some(value) = root.remove(section.key()) else {
                continue;
            };
            let tables: Vec<(usize, ConfigValue)> = match (section, value.kind) {
                (Section::Strategy, ConfigKind::Table(entries)) => {
                    vec![(0, ConfigValue::new(ConfigKind::Table(entries), value.span))]
                }
                (Section::Strategy, _) => {
                    errors.push(at(
                        Some(value.span.clone()),
                        "strategy".into(),
                        "expected a table: [strategy]".into(),
                    ));
                    continue;
                }
                (_, ConfigKind::Array(items)) => items.into_iter().enumerate().collect(),
                (_, _) => {
                    errors.push(at(
                        Some(value.span.clone()),
                        section.key().into(),
                        format!("expected an array of tables: [[{}]]", section.key()),
                    ));
                    continue;
                }
            };
            for (index, table) in tables {
                match component(section, index, table) {
                    Ok(spec) => components.push(spec),
                    Err((span, key, msg)) => errors.push(at(Some(span), key, msg)),
                }
            }
        }
        check_unique_names(&components, &mut |span, key, msg| {
            errors.push(at(Some(span), key, msg))
        });
        let tests = root.remove("tests").map_or_else(Vec::new, |value| {
            crate::manifest_tests::parse(value, &components, path, &source, &mut errors)
        });

        let mut plugins = Vec::new();
        if let Some(value) = root.remove("plugin") {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct PluginEntry {
                path: Option<PathBuf>,
                command: Option<Vec<String>>,
                timeout_seconds: Option<f64>,
            }
            let spans: Vec<Range<usize>> = match &value.kind {
                ConfigKind::Array(items) => items.iter().map(|i| i.span.clone()).collect(),
                _ => Vec::new(),
            };
            match config::deserialize::<Vec<PluginEntry>>(&value) {
                Ok(entries) => {
                    for (index, entry) in entries.into_iter().enumerate() {
                        let span = spans.get(index).cloned().unwrap_or(value.span.clone());
                        let timeout = match entry.timeout_seconds {
                            None => None,
                            Some(t)
                                if t > 0.0
                                    && let Ok(d) = std::time::Duration::try_from_secs_f64(t) =>
                            {
                                Some(d)
                            }
                            Some(_) => {
                                let key_span = match &value.kind {
                                    ConfigKind::Array(items) => items
                                        .get(index)
                                        .and_then(|i| i.get("timeout_seconds"))
                                        .map(|v| v.span.clone()),
                                    _ => None,
                                };
                                errors.push(at(
                                    key_span.or(Some(span.clone())),
                                    format!("plugin[{index}].timeout_seconds"),
                                    "must be a number of seconds above 0".into(),
                                ));
                                None
                            }
                        };
                        let source = match (entry.path, entry.command) {
                            (Some(path), None) => PluginSource::Library(path),
                            (None, Some(command))
                                if command.first().is_some_and(|p| !p.trim().is_empty()) =>
                            {
                                PluginSource::Command(command)
                            }
                            (None, Some(_)) => {
                                errors.push(at(
                                    Some(span),
                                    format!("plugin[{index}].command"),
                                    "the command is empty: give the program and its arguments, e.g. \
                                     [\"python3\", \"policy.py\"]"
                                        .into(),
                                ));
                                continue;
                            }
                            _ => {
                                errors.push(at(
                                    Some(span),
                                    format!("plugin[{index}]"),
                                    "give exactly one of `path` (a plugin library, or a folder \
                                     of them) and `command` (a process plugin)"
                                        .into(),
                                ));
                                continue;
                            }
                        };
                        plugins.push(PluginSpec {
                            index,
                            span,
                            source,
                            timeout,
                        });
                    }
                }
                Err(errs) => {
                    for e in errs.0 {
                        errors.push(at(e.span, prefixed("plugin", &e.path), explain(&e.message)));
                    }
                }
            }
        }

        for e in &mut errors {
            e.message = scrub(&secrets, &e.message);
        }
        let manifest = Manifest {
            path: path.to_path_buf(),
            source,
            pipeline,
            backtest,
            components,
            tests,
            plugins,
            errors,
            dropped,
            secrets,
        };
        Ok(manifest)
    }
}

/// `message` with every value from the environment replaced, longest first (so a value that
/// contains another is blanked whole).
pub(crate) fn scrub(secrets: &[String], message: &str) -> String {
    let mut sorted: Vec<&String> = secrets.iter().collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = message.to_owned();
    for secret in sorted {
        out = out.replace(secret.as_str(), "<value from environment not shown>");
    }
    out
}

/// Stands in for a `[pipeline]` with mistakes, so the components can still be checked.
fn placeholder_pipeline() -> PipelineSection {
    PipelineSection {
        name: String::new(),
        as_of: NaiveDate::MIN,
        description: None,
        out_dir: default_out_dir(),
        cache_dir: default_cache_dir(),
    }
}

type Problem = (Range<usize>, String, String);

fn component(
    section: Section,
    index: usize,
    mut table: ConfigValue,
) -> Result<ComponentSpec, Problem> {
    let path = match section {
        Section::Strategy => "strategy".to_owned(),
        s => format!("{}[{index}]", s.key()),
    };
    if !matches!(table.kind, ConfigKind::Table(_)) {
        return Err((table.span, path, "expected a table".into()));
    }
    let type_value = table.remove("type").ok_or_else(|| {
        (
            table.span.clone(),
            path.clone(),
            "missing key `type` (which plugin to use; `restock plugins` lists them)".to_owned(),
        )
    })?;
    let type_name = type_value
        .as_str()
        .ok_or_else(|| {
            (
                type_value.span.clone(),
                format!("{path}.type"),
                "expected a string".to_owned(),
            )
        })?
        .to_owned();
    let name = match table.remove("name") {
        None => format!("{type_name}#{index}"),
        Some(v) => v
            .as_str()
            .ok_or_else(|| {
                (
                    v.span.clone(),
                    format!("{path}.name"),
                    "expected a string".to_owned(),
                )
            })?
            .to_owned(),
    };
    Ok(ComponentSpec {
        section,
        index,
        type_name,
        type_span: type_value.span,
        name,
        config: table,
    })
}

fn check_unique_names(
    components: &[ComponentSpec],
    report: &mut dyn FnMut(Range<usize>, String, String),
) {
    let mut seen = BTreeSet::new();
    // Outputs are not named in summaries, timings or quarantine counts, and an output `csv`
    // must not clash with a collector `csv`.
    for c in components.iter().filter(|c| c.section != Section::Output) {
        if !seen.insert(c.name.as_str()) {
            report(
                c.type_span.clone(),
                format!("{}.name", c.path()),
                format!(
                    "component name `{}` is used twice; names must be unique",
                    c.name
                ),
            );
        }
    }
}

/// `section.key.path` for an error path inside `section`.
pub(crate) fn prefixed(section: &str, path: &[String]) -> String {
    if path.is_empty() {
        section.to_owned()
    } else if path[0].starts_with('[') {
        format!("{section}{}", display_path(path))
    } else {
        format!("{section}.{}", display_path(path))
    }
}

/// Adds "did you mean" to serde's unknown-field and unknown-variant messages.
pub(crate) fn explain(message: &str) -> String {
    for prefix in ["unknown field `", "unknown variant `"] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some((word, expected)) = rest.split_once('`') else {
            continue;
        };
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = did_you_mean(word, candidates.into_iter());
        if !hint.is_empty() {
            return format!("{message}{hint}");
        }
    }
    message.to_owned()
}

/// `errors` without the "missing field `x`" that an "unknown field `y` (did you mean `x`?)" at
/// the same table already explains.
pub(crate) fn drop_explained_missing(
    errors: Vec<restock_core::ConfigError>,
) -> Vec<restock_core::ConfigError> {
    let suggested: Vec<(Vec<String>, String)> = errors
        .iter()
        .filter_map(|e| {
            let hint = explain(&e.message);
            let name = hint.rsplit_once("(did you mean `")?.1.strip_suffix("`?)")?;
            let parent = e.path[..e.path.len().saturating_sub(1)].to_vec();
            Some((parent, name.to_owned()))
        })
        .collect();
    errors
        .into_iter()
        .filter(|e| {
            let missing = e
                .message
                .strip_prefix("missing field `")
                .and_then(|m| m.strip_suffix('`'));
            !missing.is_some_and(|m| suggested.contains(&(e.path.clone(), m.to_owned())))
        })
        .collect()
}

/// ` (did you mean `x`?)` when a candidate is close to `word`, else empty.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

type Report<'r> = &'r mut dyn FnMut(Range<usize>, String, String);

fn convert_table(
    table: DeTable<'_>,
    span: Range<usize>,
    path: &mut Vec<String>,
    env: &dyn Fn(&str) -> Option<String>,
    secrets: &mut Vec<String>,
    report: Report<'_>,
) -> ConfigValue {
    let mut entries = Vec::new();
    for (key, value) in table {
        let key_span = key.span();
        let name = key.into_inner().into_owned();
        path.push(name.clone());
        let value = convert(value, path, env, secrets, report);
        path.pop();
        // A value that could not be read was reported; leaving the key out avoids a second,
        // confusing error about the same value.
        if let Some(value) = value {
            entries.push((
                ConfigKey {
                    name,
                    span: key_span,
                },
                value,
            ));
        }
    }
    // Keys in the order written, so errors and retries follow the reader.
    entries.sort_by_key(|(k, _)| k.span.start);
    ConfigValue::new(ConfigKind::Table(entries), span)
}

fn convert(
    value: Spanned<DeValue<'_>>,
    path: &mut Vec<String>,
    env: &dyn Fn(&str) -> Option<String>,
    secrets: &mut Vec<String>,
    report: Report<'_>,
) -> Option<ConfigValue> {
    let span = value.span();
    let kind = match value.into_inner() {
        DeValue::String(s) => match expand(&s, env, secrets) {
            Ok(Expanded::Plain) => ConfigKind::String(s.into_owned()),
            Ok(Expanded::Literal(v)) => ConfigKind::String(v),
            Ok(Expanded::FromEnv(v)) => {
                let mut value = ConfigValue::new(ConfigKind::String(v), span);
                value.from_env = true;
                return Some(value);
            }
            Err(message) => {
                report(span, display_path(path), message);
                return None;
            }
        },
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => ConfigKind::Integer(n),
            Err(_) => {
                report(span, display_path(path), "integer out of range".into());
                return None;
            }
        },
        DeValue::Float(f) => ConfigKind::Float(parse_float(f.as_str())),
        DeValue::Boolean(b) => ConfigKind::Boolean(b),
        DeValue::Datetime(d) => ConfigKind::Datetime(d.to_string()),
        DeValue::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().cloned().enumerate() {
                path.push(format!("[{i}]"));
                out.extend(convert(item, path, env, secrets, report));
                path.pop();
            }
            ConfigKind::Array(out)
        }
        DeValue::Table(table) => {
            return Some(convert_table(table, span, path, env, secrets, report));
        }
    };
    Some(ConfigValue::new(kind, span))
}

fn parse_float(s: &str) -> f64 {
    let s = s.replace('_', "");
    match s.trim_start_matches('+') {
        "nan" | "-nan" => f64::NAN,
        other => other.parse().unwrap_or(f64::NAN),
    }
}

enum Expanded {
    /// No `$` at all.
    Plain,
    /// Only `$$` escapes.
    Literal(String),
    /// At least one variable: the value is never shown in messages.
    FromEnv(String),
}

/// Expands `${VAR}` and `${VAR:-default}`; `$$` is a literal `$`. The message of an error names
/// the variable, never a value.
fn expand(
    s: &str,
    env: &dyn Fn(&str) -> Option<String>,
    used: &mut Vec<String>,
) -> Result<Expanded, String> {
    if !s.contains('$') {
        return Ok(Expanded::Plain);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut expanded = false;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body.find('}').ok_or_else(|| {
                "unterminated `${`: write `${NAME}`, or `$$` for a literal `$`".to_owned()
            })?;
            let inner = &body[..end];
            let (name, default) = match inner.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (inner, None),
            };
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "`${{{inner}}}` is not a variable name (letters, digits, _)"
                ));
            }
            // As in the shell: `${NAME}` is empty when NAME is set but empty; `${NAME:-d}`
            // is d when NAME is unset or empty.
            match (env(name), default) {
                (Some(v), Some(d)) if v.is_empty() => out.push_str(d),
                (Some(v), _) => {
                    out.push_str(&v);
                    used.push(v);
                }
                (None, Some(d)) => out.push_str(d),
                (None, None) => {
                    return Err(format!(
                        "environment variable {name} is not set (or write `${{{name}:-default}}`)"
                    ));
                }
            }
            expanded = true;
            rest = &body[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(if expanded {
        Expanded::FromEnv(out)
    } else {
        Expanded::Literal(out)
    })
}

/// Parses the text of one component table (as in [`restock_core::PluginInfo::example`]) into a
/// [`ConfigValue`], with `${VAR}` left unexpanded-if-unset errors reported. For tests and tools.
pub fn parse_config(text: &str) -> Result<ConfigValue, ManifestErrors> {
    let path = Path::new("<config>");
    let (table, syntax) = DeTable::parse_recoverable(text);
    let mut errors: Vec<ManifestError> = syntax
        .iter()
        .map(|e| {
            ManifestError::new(
                path,
                text,
                e.span(),
                String::new(),
                e.message().trim().to_owned(),
            )
        })
        .collect();
    let span = table.span();
    let env = |name: &str| std::env::var(name).ok();
    let value = convert_table(
        table.into_inner(),
        span,
        &mut Vec::new(),
        &env,
        &mut Vec::new(),
        &mut |span, key, msg| errors.push(ManifestError::new(path, text, Some(span), key, msg)),
    );
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(ManifestErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "KEY" => Some("sk-secret-123".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    fn expand_str(s: &str) -> Result<String, String> {
        expand(s, &env, &mut Vec::new()).map(|e| match e {
            Expanded::Plain => s.to_owned(),
            Expanded::Literal(v) | Expanded::FromEnv(v) => v,
        })
    }

    #[test]
    fn variables_expand_in_strings() {
        assert_eq!(expand_str("${KEY}").unwrap(), "sk-secret-123");
        assert_eq!(expand_str("a-${MISSING:-b}-c").unwrap(), "a-b-c");
        assert_eq!(expand_str("${EMPTY:-d}").unwrap(), "d");
        assert_eq!(expand_str("[${EMPTY}]").unwrap(), "[]");
        assert_eq!(expand_str("cost $$5").unwrap(), "cost $5");
        assert_eq!(expand_str("plain").unwrap(), "plain");
        let err = expand_str("${MISSING}").unwrap_err();
        assert!(err.contains("MISSING"), "{err}");
    }

    #[test]
    fn did_you_mean_finds_close_names() {
        assert_eq!(
            did_you_mean("pth", ["path", "records"].into_iter()),
            " (did you mean `path`?)"
        );
        assert_eq!(did_you_mean("zzz", ["path"].into_iter()), "");
        assert!(
            explain("unknown field `colums`, expected one of `path`, `columns`")
                .ends_with("(did you mean `columns`?)")
        );
    }
}
