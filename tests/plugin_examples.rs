//! Every plugin's example config (shown by `restock plugins --examples`) builds, and every
//! required key it documents is in its example.
//!
//! Collectors' examples name data files; `plugins/files/tests/plugin_info.rs` builds and runs
//! them against files it writes. Here they are parsed and deserialised only.

use restock_core::{BuildContext, ComponentKind};
use restock_runner::parse_config;

#[test]
fn every_example_builds() {
    let registry = restock::builtin_registry();
    // Examples name files as the Olist example's manifest would.
    let ctx = BuildContext {
        base_dir: "examples/olist".into(),
        component: "example".into(),
    };
    type Built = Option<Result<(), restock_core::ConfigErrors>>;
    let plugins = registry.plugins();
    assert!(plugins.len() >= 5);
    for (kind, info) in plugins {
        let value =
            parse_config(info.example).unwrap_or_else(|e| panic!("{}: {e}", info.type_name));
        let built: Built = match kind {
            // The file collectors' examples name files that are not here; the others build
            // (building a web collector opens no socket).
            ComponentKind::Collector if matches!(info.type_name, "csv" | "jsonl") => {
                assert!(registry.collectors.contains(info.type_name));
                restock_core::config::deserialize::<restock_files::FilesConfig>(&value)
                    .map(drop)
                    .into()
            }
            ComponentKind::Collector => registry
                .collectors
                .build(info.type_name, &value, &ctx)
                .map(|r| r.map(drop)),
            ComponentKind::Preprocessor => registry
                .preprocessors
                .build(info.type_name, &value, &ctx)
                .map(|r| r.map(drop)),
            ComponentKind::Model => registry
                .models
                .build(info.type_name, &value, &ctx)
                .map(|r| r.map(drop)),
            ComponentKind::Strategy => registry
                .strategies
                .build(info.type_name, &value, &ctx)
                .map(|r| r.map(drop)),
        };
        match built {
            Some(Ok(())) => {}
            Some(Err(e)) => panic!(
                "{} example does not build: {e}\n{}",
                info.type_name, info.example
            ),
            None => panic!("{} is listed but not buildable", info.type_name),
        }
        for key in info.keys {
            // Nested keys (`join.path`) are required only inside their table, when it is given.
            let parent = key.name.split('.').next().unwrap();
            if parent != key.name && !info.example.contains(&format!("{parent} =")) {
                continue;
            }
            let last = key.name.rsplit('.').next().unwrap();
            assert!(
                info.example.contains(&format!("{last} =")) || key.default.is_some(),
                "{}: required key {} is missing from the example",
                info.type_name,
                key.name
            );
        }
    }
}
