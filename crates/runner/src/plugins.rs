//! `[[plugin]]`: loading the manifest's plugins into a registry of their own, beside the
//! built-in one. Every plugin that cannot be loaded is a manifest error at its entry, with what
//! differs and how to rebuild; the others are still loaded, so one run reports every mistake.

use std::path::{Path, PathBuf};

use restock_core::{ComponentKind, Registry};
use restock_plugin::host::{self, Plugin, PluginSource};

use crate::error::ManifestError;
use crate::manifest::{Manifest, PluginSpec};

/// The manifest's plugins, loaded, and their types registered in a registry of their own.
pub struct Loaded {
    /// The plugins, in manifest order (a folder gives one per library, by file name).
    pub plugins: Vec<Plugin>,
    /// Their types.
    pub registry: Registry,
}

/// Loads every `[[plugin]]` of `manifest`. A type already in `builtin` (or in an earlier
/// plugin) is refused, never replaced.
pub fn load(manifest: &Manifest, builtin: &Registry) -> (Loaded, Vec<ManifestError>) {
    let base = manifest.base_dir();
    let mut loaded = Loaded {
        plugins: Vec::new(),
        registry: Registry::new(),
    };
    let mut errors = Vec::new();
    for spec in &manifest.plugins {
        let key = format!("plugin[{}]", spec.index);
        let error = |message: String| manifest.error(Some(spec.span.clone()), key.clone(), message);
        let sources = match expand(spec, &base) {
            Ok(s) => s,
            Err(message) => {
                errors.push(error(message));
                continue;
            }
        };
        for source in sources {
            let plugin = match host::load(&source, &base) {
                Ok(p) => p.with_call_timeout(spec.timeout),
                Err(e) => {
                    errors.push(error(e.to_string()));
                    continue;
                }
            };
            for decl in &plugin.components {
                if builtin_has(builtin, decl.kind, &decl.type_name) {
                    errors.push(error(format!(
                        "{}: {} type `{}` is built in; a plugin cannot replace it (rename the \
                         plugin's type)",
                        plugin.source,
                        decl.kind.as_str(),
                        decl.type_name
                    )));
                }
            }
            if let Err(conflicts) = plugin.register(&mut loaded.registry) {
                for c in conflicts {
                    errors.push(error(c.to_string()));
                }
            }
            loaded.plugins.push(plugin);
        }
    }
    (loaded, errors)
}

fn builtin_has(registry: &Registry, kind: ComponentKind, type_name: &str) -> bool {
    match kind {
        ComponentKind::Collector => registry.collectors.contains(type_name),
        ComponentKind::Preprocessor => registry.preprocessors.contains(type_name),
        ComponentKind::Model => registry.models.contains(type_name),
        ComponentKind::Strategy => registry.strategies.contains(type_name),
    }
}

/// A folder stands for every library in it (sorted by name); anything else for itself.
fn expand(spec: &PluginSpec, base: &Path) -> Result<Vec<PluginSource>, String> {
    let PluginSource::Library(path) = &spec.source else {
        return Ok(vec![spec.source.clone()]);
    };
    let full = base.join(path);
    if !full.is_dir() {
        return Ok(vec![spec.source.clone()]);
    }
    let suffix = std::env::consts::DLL_SUFFIX;
    let mut libraries: Vec<PathBuf> = std::fs::read_dir(&full)
        .map_err(|e| format!("{}: cannot list the folder: {e}", full.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix))
        .collect();
    libraries.sort();
    if libraries.is_empty() {
        return Err(format!(
            "{}: the folder holds no plugin library (*{suffix})",
            full.display()
        ));
    }
    Ok(libraries.into_iter().map(PluginSource::Library).collect())
}
