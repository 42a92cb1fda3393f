//! Turning a [`FilesConfig`] into a checked reading plan: paths resolved and present, field
//! names known for the record kind, encoding and delimiter valid, and (for CSV) every column the
//! mapping needs present in the header. Each problem names the key at fault, so `restock
//! validate` can point at it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;
use restock_core::{BuildContext, ConfigError, ConfigErrors, DocumentKind, Period};

use crate::Format;
use crate::config::{DistributionKind, FilesConfig, JoinConfig, RecordKind};
use crate::delimited::{CsvFile, Header};
use crate::fields::Presence;
use crate::fields::RecordFields;
use crate::forecast;
use crate::parse;
use crate::source;

/// A problem with the configuration, at a key path (`["columns", "rattng"]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    /// The key at fault.
    pub path: Vec<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    fn at(path: &[&str], message: impl Into<String>) -> Self {
        Self {
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            message: message.into(),
        }
    }

    fn under(prefix: &[String], rest: &[&str], message: impl Into<String>) -> Self {
        let mut path = prefix.to_vec();
        path.extend(rest.iter().map(|s| (*s).to_owned()));
        Self {
            path,
            message: message.into(),
        }
    }

    fn into_config_error(self) -> ConfigError {
        let path: Vec<&str> = self.path.iter().map(String::as_str).collect();
        ConfigError::at_key(&path, self.message)
    }
}

/// Problems as one message, for an error found while reading.
pub(crate) fn describe(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            if p.path.is_empty() {
                p.message.clone()
            } else {
                format!(
                    "{}: {}",
                    restock_core::config::display_path(&p.path),
                    p.message
                )
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A file to read and how.
#[derive(Debug, Clone)]
pub(crate) struct FileSpec {
    /// The resolved path.
    pub path: PathBuf,
    /// The path for messages and provenance.
    pub source: Arc<str>,
    /// The file name alone, for short messages.
    pub name: String,
    /// CSV or JSONL.
    pub format: Format,
    /// Text encoding.
    pub encoding: &'static Encoding,
    /// CSV separator.
    pub delimiter: u8,
}

impl FileSpec {
    /// `written` is the path as the manifest gives it: provenance shows it, so reports and
    /// quarantine files do not depend on the folder Restock was started from.
    fn new(
        path: PathBuf,
        written: &std::path::Path,
        format: Format,
        encoding: &'static Encoding,
        delimiter: u8,
    ) -> Self {
        let source: Arc<str> = written.display().to_string().into();
        let name = path
            .file_name()
            .map_or_else(|| source.to_string(), |n| n.to_string_lossy().into_owned());
        Self {
            path,
            source,
            name,
            format,
            encoding,
            delimiter,
        }
    }

    /// Reads the header of a CSV file.
    pub(crate) fn open_csv(&self) -> Result<CsvFile, restock_core::Error> {
        CsvFile::open(&self.path, &self.source, self.encoding, self.delimiter)
    }
}

/// One joined file, checked.
#[derive(Debug, Clone)]
pub(crate) struct JoinPlan {
    /// The file.
    pub file: FileSpec,
    /// Key column of the main file.
    pub left: String,
    /// Key column of the joined file.
    pub right: String,
    /// Fields filled from the joined file, with their columns, in a fixed order (a joined
    /// row's values are stored in this order).
    pub columns: Vec<(&'static str, String)>,
    /// The join's table in the manifest (`["join"]` or `["join", "[1]"]`).
    pub key_path: Vec<String>,
}

/// Where a record field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldSource {
    /// A column (CSV) or key (JSONL) of the main file.
    Main(String),
    /// The `slot`-th column of join number `join`.
    Join {
        /// Index into [`Plan::joins`].
        join: usize,
        /// Index into that join's `columns`.
        slot: usize,
        /// The main file's column (mapped in `columns` too) read when the row's key matches
        /// nothing in the joined file.
        fallback: Option<String>,
    },
    /// Nothing: the field takes its default (or `None`).
    Absent,
}

/// Every field of the record kind with its source, in the record's field order.
#[derive(Debug, Clone)]
pub(crate) struct Mapping {
    sources: Vec<(&'static str, FieldSource)>,
}

impl Mapping {
    /// The source of `field` (`Absent` for a field the kind does not have).
    pub(crate) fn source(&self, field: &str) -> &FieldSource {
        self.sources
            .iter()
            .find(|(name, _)| *name == field)
            .map_or(&FieldSource::Absent, |(_, source)| source)
    }
}

/// A checked configuration: what to read and how to map it.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The records to make.
    pub kind: RecordKind,
    /// The main file.
    pub file: FileSpec,
    /// Explicit field → column mappings of the main file (field names checked).
    pub columns: BTreeMap<&'static str, String>,
    /// Columns copied into `Document::extra`.
    pub extra: Vec<String>,
    /// The document kind when no column gives one.
    pub default_kind: DocumentKind,
    /// A chrono format for dates, if configured.
    pub date_format: Option<String>,
    /// The joined files.
    pub joins: Vec<JoinPlan>,
    /// A forecast's period length.
    pub period: Period,
    /// A forecast's distribution when no column gives one.
    pub default_distribution: DistributionKind,
    /// Cell texts (trimmed) that mark a sale's quantity as recorded as unknown.
    pub missing_values: Vec<String>,
}

impl Plan {
    /// Checks `config` for a collector reading `format`, including the headers of CSV files.
    pub(crate) fn build(
        config: FilesConfig,
        format: Format,
        ctx: &BuildContext,
    ) -> Result<Self, ConfigErrors> {
        let mut problems = Vec::new();
        let kind = config.records;

        let encoding = check_encoding(config.encoding.as_deref(), &[], &mut problems)
            .unwrap_or(encoding_rs::UTF_8);
        let delimiter = match (format, &config.delimiter) {
            (Format::Jsonl, Some(_)) => {
                problems.push(Problem::at(
                    &["delimiter"],
                    "a JSONL file has no delimiter; remove this key (or use type = \"csv\")",
                ));
                b','
            }
            (_, Some(d)) => check_delimiter(d, &[], &mut problems).unwrap_or(b','),
            (_, None) => b',',
        };
        let path = ctx.resolve(&config.path);
        let path_ok = check_path(&path, &["path"], &[], &mut problems);
        let file = FileSpec::new(path, &config.path, format, encoding, delimiter);

        let mut columns = BTreeMap::new();
        for (field, column) in &config.columns {
            match kind.field(field) {
                Some(known) => {
                    if column.is_empty() {
                        problems.push(Problem::at(&["columns", field], "the column name is empty"));
                    }
                    columns.insert(known.name, column.clone());
                }
                None => problems.push(Problem::at(
                    &["columns", field],
                    format!(
                        "unknown field {field:?} for records = \"{kind}\"; the fields are: {}",
                        kind.field_list()
                    ),
                )),
            }
        }

        if kind != RecordKind::Documents {
            if !config.extra.is_empty() {
                problems.push(Problem::at(
                    &["extra"],
                    format!(
                        "only documents keep extra columns; remove this key for records = \
                         \"{kind}\""
                    ),
                ));
            }
            if config.kind.is_some() {
                problems.push(Problem::at(
                    &["kind"],
                    format!("only documents have a kind; remove this key for records = \"{kind}\""),
                ));
            }
        }
        if kind != RecordKind::Forecasts {
            for (key, set) in [
                ("period", config.period.is_some()),
                ("distribution", config.distribution.is_some()),
            ] {
                if set {
                    problems.push(Problem::at(
                        &[key],
                        format!(
                            "only forecasts have a {key}; remove this key for records = \"{kind}\""
                        ),
                    ));
                }
            }
        }
        if kind != RecordKind::Sales && !config.missing_values.is_empty() {
            problems.push(Problem::at(
                &["missing_values"],
                format!(
                    "missing_values applies to the quantity of sales only; remove this key for \
                     records = \"{kind}\""
                ),
            ));
        }
        if let Some(format) = &config.date_format {
            if matches!(kind, RecordKind::Stock | RecordKind::Products) {
                problems.push(Problem::at(
                    &["date_format"],
                    format!("records = \"{kind}\" have no date fields; remove this key"),
                ));
            } else if let Err(message) = parse::check_date_format(format) {
                problems.push(Problem::at(&["date_format"], message));
            }
        }

        let mut joins = Vec::new();
        let mut joined_fields: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut joins_ok = Vec::new();
        if let Some(config_joins) = &config.join {
            for (key_path, join) in config_joins.entries() {
                let (plan, ok) = plan_join(
                    join,
                    key_path,
                    kind,
                    &file,
                    ctx,
                    &mut joined_fields,
                    &mut problems,
                );
                joins.push(plan);
                joins_ok.push(ok);
            }
        }

        let plan = Plan {
            kind,
            file,
            columns,
            extra: config.extra,
            default_kind: config.kind.unwrap_or(DocumentKind::Review),
            date_format: config.date_format,
            joins,
            period: config.period.unwrap_or(Period::Week),
            default_distribution: config.distribution.unwrap_or(DistributionKind::Normal),
            missing_values: config
                .missing_values
                .iter()
                .map(|m| m.trim().to_owned())
                .collect(),
        };

        // The headers, once the files are known to exist.
        if path_ok && format == Format::Csv {
            match plan.file.open_csv() {
                Ok(csv) => {
                    if let Err(found) = plan.resolve(Some(csv.header())) {
                        problems.extend(found);
                    }
                }
                Err(e) => problems.push(Problem::at(&["path"], format!("cannot read it: {e}"))),
            }
        }
        for (join, ok) in plan.joins.iter().zip(joins_ok) {
            if ok && join.file.format == Format::Csv {
                match join.file.open_csv() {
                    Ok(csv) => problems.extend(join.check_header(csv.header())),
                    Err(e) => problems.push(Problem::under(
                        &join.key_path,
                        &["path"],
                        format!("cannot read it: {e}"),
                    )),
                }
            }
        }

        if problems.is_empty() {
            Ok(plan)
        } else {
            Err(ConfigErrors(
                problems
                    .into_iter()
                    .map(Problem::into_config_error)
                    .collect(),
            ))
        }
    }

    /// Where each field comes from, given the main file's header (`None` for JSONL, whose
    /// keys are looked up row by row). Fails when a mapped or required column is missing.
    pub(crate) fn resolve(&self, header: Option<&Header>) -> Result<Mapping, Vec<Problem>> {
        let mut problems = Vec::new();
        let has = |column: &str| header.is_none_or(|h| h.contains(column));
        let columns_list = || header.map(Header::describe).unwrap_or_default();
        let mut sources = Vec::new();
        for field in self.kind.fields() {
            let mapped = self.columns.get(field.name);
            if let Some(column) = mapped
                && !has(column)
            {
                problems.push(Problem::at(
                    &["columns", field.name],
                    format!(
                        "{} has no column {column:?}; its columns are: {}",
                        self.file.name,
                        columns_list()
                    ),
                ));
            }
            let joined = self.joins.iter().enumerate().find_map(|(j, join)| {
                join.columns
                    .iter()
                    .position(|(name, _)| *name == field.name)
                    .map(|slot| FieldSource::Join {
                        join: j,
                        slot,
                        fallback: mapped.cloned(),
                    })
            });
            let source = if let Some(source) = joined {
                source
            } else if let Some(column) = mapped {
                FieldSource::Main(column.clone())
            } else if has(field.name) {
                FieldSource::Main(field.name.to_owned())
            } else {
                if field.presence == Presence::Required {
                    problems.push(Problem::at(
                        &["records"],
                        format!(
                            "records = \"{}\" needs a value for field {}, and {} has no column \
                             named {:?}; map one with columns = {{ {} = \"…\" }} (its columns \
                             are: {})",
                            self.kind,
                            field.name,
                            self.file.name,
                            field.name,
                            field.name,
                            columns_list()
                        ),
                    ));
                }
                FieldSource::Absent
            };
            sources.push((field.name, source));
        }
        problems.extend(self.check_conditional_fields(&sources, header));
        // (extra on other kinds is reported on its own, when the plan is built)
        let extra = match self.kind {
            RecordKind::Documents => self.extra.as_slice(),
            _ => &[],
        };
        for (i, column) in extra.iter().enumerate() {
            if !has(column) {
                problems.push(Problem::at(
                    &["extra", &format!("[{i}]")],
                    format!(
                        "{} has no column {column:?}; its columns are: {}",
                        self.file.name,
                        columns_list()
                    ),
                ));
            }
        }
        for join in &self.joins {
            if !has(&join.left) {
                problems.push(Problem::under(
                    &join.key_path,
                    &["on"],
                    format!(
                        "{} has no column {:?} to join on; its columns are: {}",
                        self.file.name,
                        join.left,
                        columns_list()
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(Mapping { sources })
        } else {
            Err(problems)
        }
    }
}

impl Plan {
    /// Fields that only some rows need, checked when the header shows none can have them: the
    /// parameters of the default distribution when no column gives a forecast's distribution,
    /// and a quantity column for `missing_values` to apply to.
    fn check_conditional_fields(
        &self,
        sources: &[(&'static str, FieldSource)],
        header: Option<&Header>,
    ) -> Vec<Problem> {
        let absent = |field: &str| {
            sources
                .iter()
                .any(|(name, source)| *name == field && *source == FieldSource::Absent)
        };
        let columns_list = || header.map(Header::describe).unwrap_or_default();
        let mut problems = Vec::new();
        if self.kind == RecordKind::Forecasts && absent("distribution") {
            let distribution = self.default_distribution;
            for field in forecast::needed(distribution) {
                if absent(field) {
                    problems.push(Problem::at(
                        &["records"],
                        format!(
                            "forecasts with distribution = \"{distribution}\" (the collector's \
                             `distribution`, as {} has no distribution column) need a value for \
                             field {field}, and {} has no column named {field:?}; map one with \
                             columns = {{ {field} = \"…\" }} (its columns are: {})",
                            self.file.name,
                            self.file.name,
                            columns_list()
                        ),
                    ));
                }
            }
        }
        if self.kind == RecordKind::Sales && !self.missing_values.is_empty() && absent("quantity") {
            problems.push(Problem::at(
                &["missing_values"],
                format!(
                    "{} has no quantity column for missing_values to apply to; map one with \
                     columns = {{ quantity = \"…\" }} (its columns are: {})",
                    self.file.name,
                    columns_list()
                ),
            ));
        }
        problems
    }
}

impl JoinPlan {
    /// Checks that the joined file's header has the key and every mapped column.
    pub(crate) fn check_header(&self, header: &Header) -> Vec<Problem> {
        let mut problems = Vec::new();
        if !header.contains(&self.right) {
            problems.push(Problem::under(
                &self.key_path,
                &["on"],
                format!(
                    "{} has no column {:?} to join on; its columns are: {}",
                    self.file.name,
                    self.right,
                    header.describe()
                ),
            ));
        }
        for (field, column) in &self.columns {
            if !header.contains(column) {
                problems.push(Problem::under(
                    &self.key_path,
                    &["columns", field],
                    format!(
                        "{} has no column {column:?}; its columns are: {}",
                        self.file.name,
                        header.describe()
                    ),
                ));
            }
        }
        problems
    }
}

/// Checks one join table; returns its plan and whether its file exists.
fn plan_join(
    join: &JoinConfig,
    key_path: Vec<String>,
    kind: RecordKind,
    main: &FileSpec,
    ctx: &BuildContext,
    joined_fields: &mut BTreeMap<&'static str, Vec<String>>,
    problems: &mut Vec<Problem>,
) -> (JoinPlan, bool) {
    let encoding = match &join.encoding {
        Some(label) => check_encoding(Some(label), &key_path, problems).unwrap_or(main.encoding),
        None => main.encoding,
    };
    let delimiter = match &join.delimiter {
        Some(d) => check_delimiter(d, &key_path, problems).unwrap_or(main.delimiter),
        None => main.delimiter,
    };
    let path = ctx.resolve(&join.path);
    let ok = check_path(&path, &["path"], &key_path, problems);
    let format = source::format_by_name(&path).unwrap_or(main.format);
    if format == Format::Jsonl && join.delimiter.is_some() {
        problems.push(Problem::under(
            &key_path,
            &["delimiter"],
            "the joined file is JSONL, which has no delimiter; remove this key",
        ));
    }
    let (left, right) = (join.on.left().to_owned(), join.on.right().to_owned());
    if left.is_empty() || right.is_empty() {
        problems.push(Problem::under(
            &key_path,
            &["on"],
            "the key column name is empty",
        ));
    }
    if join.columns.is_empty() {
        problems.push(Problem::under(
            &key_path,
            &["columns"],
            "a join must fill at least one field, e.g. columns = { product_id = \"product_id\" }",
        ));
    }
    let mut columns = Vec::new();
    for (field, column) in &join.columns {
        let Some(known) = kind.field(field) else {
            problems.push(Problem::under(
                &key_path,
                &["columns", field],
                format!(
                    "unknown field {field:?} for records = \"{kind}\"; the fields are: {}",
                    kind.field_list()
                ),
            ));
            continue;
        };
        if column.is_empty() {
            problems.push(Problem::under(
                &key_path,
                &["columns", field],
                "the column name is empty",
            ));
        }
        if let Some(earlier) = joined_fields.get(known.name) {
            problems.push(Problem::under(
                &key_path,
                &["columns", field],
                format!(
                    "field {field} already comes from {}; a field can come from one join only",
                    restock_core::config::display_path(earlier)
                ),
            ));
        } else {
            joined_fields.insert(known.name, key_path.clone());
        }
        columns.push((known.name, column.clone()));
    }
    (
        JoinPlan {
            file: FileSpec::new(path, &join.path, format, encoding, delimiter),
            left,
            right,
            columns,
            key_path,
        },
        ok,
    )
}

fn check_encoding(
    label: Option<&str>,
    prefix: &[String],
    problems: &mut Vec<Problem>,
) -> Option<&'static Encoding> {
    let label = label?;
    let found = source::encoding_for(label);
    if found.is_none() {
        problems.push(Problem::under(
            prefix,
            &["encoding"],
            format!(
                "unknown encoding {label:?}; use a WHATWG label such as \"utf-8\", \"latin-1\", \
                 \"windows-1252\" or \"utf-16le\""
            ),
        ));
    }
    found
}

fn check_delimiter(text: &str, prefix: &[String], problems: &mut Vec<Problem>) -> Option<u8> {
    match text.as_bytes() {
        [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Some(*b),
        _ => {
            problems.push(Problem::under(
                prefix,
                &["delimiter"],
                format!(
                    "{text:?} is not one ASCII character other than a quote or line break; \
                     e.g. \",\", \";\" or \"\\t\""
                ),
            ));
            None
        }
    }
}

fn check_path(path: &Path, key: &[&str], prefix: &[String], problems: &mut Vec<Problem>) -> bool {
    let message = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => return true,
        Ok(_) => format!("{} is not a file", path.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("file not found: {}", path.display())
        }
        Err(e) => format!("cannot read {}: {e}", path.display()),
    };
    problems.push(Problem::under(prefix, key, message));
    false
}
