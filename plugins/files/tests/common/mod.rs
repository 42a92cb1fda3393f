//! Helpers shared by the integration tests: a config tree from TOML text, building a collector
//! through the registry, and collecting into a memory sink.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use restock_core::config::{ConfigKey, ConfigKind};
use restock_core::{
    BuildContext, Collector, ConfigErrors, ConfigValue, Context, Dataset, Diagnostic, MemorySink,
    Quarantined, Registry, Result,
};

/// A config tree from a TOML table body, with dummy spans.
pub fn table(text: &str) -> ConfigValue {
    let table: toml::Table = text.parse().expect("test TOML parses");
    from_table(table)
}

pub fn from_table(table: toml::Table) -> ConfigValue {
    let entries = table
        .into_iter()
        .map(|(name, value)| (ConfigKey { name, span: 0..0 }, from_value(value)))
        .collect();
    ConfigValue::new(ConfigKind::Table(entries), 0..0)
}

fn from_value(value: toml::Value) -> ConfigValue {
    let kind = match value {
        toml::Value::String(s) => ConfigKind::String(s),
        toml::Value::Integer(i) => ConfigKind::Integer(i),
        toml::Value::Float(f) => ConfigKind::Float(f),
        toml::Value::Boolean(b) => ConfigKind::Boolean(b),
        toml::Value::Datetime(d) => ConfigKind::Datetime(d.to_string()),
        toml::Value::Array(items) => ConfigKind::Array(items.into_iter().map(from_value).collect()),
        toml::Value::Table(t) => return from_table(t),
    };
    ConfigValue::new(kind, 0..0)
}

/// Builds a collector of `type_name` from `config` (TOML), paths relative to `base`.
pub fn build(
    type_name: &str,
    config: &str,
    base: &Path,
) -> std::result::Result<Box<dyn Collector>, ConfigErrors> {
    let mut registry = Registry::new();
    restock_files::register(&mut registry);
    let ctx = BuildContext {
        base_dir: base.to_path_buf(),
        component: "test".to_owned(),
    };
    registry
        .collectors
        .build(type_name, &table(config), &ctx)
        .expect("type registered")
}

/// The key paths of build errors, joined with dots (`columns.rattng`, `join[0].path`).
pub fn error_paths(errors: &ConfigErrors) -> Vec<String> {
    errors
        .0
        .iter()
        .map(|e| restock_core::config::display_path(&e.path))
        .collect()
}

/// What a collection gave.
pub struct Collected {
    pub result: Result<Dataset>,
    pub diagnostics: Vec<Diagnostic>,
    pub quarantined: Vec<Quarantined>,
}

impl Collected {
    /// The dataset; panics with the error if collection failed.
    pub fn dataset(&self) -> &Dataset {
        match &self.result {
            Ok(dataset) => dataset,
            Err(e) => panic!("collect failed: {e}"),
        }
    }

    /// The reasons of the quarantined rows.
    pub fn reasons(&self) -> Vec<&str> {
        self.quarantined.iter().map(|q| q.reason.as_str()).collect()
    }
}

/// Builds and runs a collector, returning what it read and reported.
pub async fn collect(type_name: &str, config: &str, base: &Path) -> Collected {
    let collector = match build(type_name, config, base) {
        Ok(collector) => collector,
        Err(errors) => panic!("build failed: {errors}"),
    };
    run(collector.as_ref()).await
}

/// Runs a built collector.
pub async fn run(collector: &dyn Collector) -> Collected {
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(
        "2018-08-01".parse().expect("date"),
        sink.clone() as Arc<dyn restock_core::DiagnosticSink>,
    )
    .for_component("test");
    let result = collector.collect(&ctx).await;
    let (diagnostics, quarantined) = sink.take();
    Collected {
        result,
        diagnostics,
        quarantined,
    }
}

/// Writes `bytes` to `name` in `dir`.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).expect("write test file");
}

/// Gzips `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}
