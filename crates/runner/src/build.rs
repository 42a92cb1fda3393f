//! Turning a parsed [`Manifest`] into runnable components: each component's type is looked up
//! in the [`Registry`] and its factory given the component's own config. Every error of every
//! component is collected before anything runs.

use std::sync::Arc;

use restock_core::config::ConfigErrors;
use restock_core::{BuildContext, Collector, Model, Preprocessor, Registry, Strategy};

use crate::error::{ManifestError, ManifestErrors};
use crate::manifest::{
    ComponentSpec, Manifest, Section, did_you_mean, drop_explained_missing, explain, prefixed,
};
use crate::output::Output;

/// A component ready to run, with the spec it was built from.
pub struct Built<T> {
    /// Where it was declared.
    pub spec: ComponentSpec,
    /// The component.
    pub component: T,
}

/// A manifest's components, built and checked.
pub struct Pipeline {
    /// The manifest.
    pub manifest: Manifest,
    /// `[[collect]]`, run concurrently.
    pub collectors: Vec<Built<Arc<dyn Collector>>>,
    /// `[[preprocess]]`, in order.
    pub preprocessors: Vec<Built<Box<dyn Preprocessor>>>,
    /// `[[model]]`, in order.
    pub models: Vec<Built<Box<dyn Model>>>,
    /// `[strategy]`, if any.
    pub strategy: Option<Built<Box<dyn Strategy>>>,
    /// `[[output]]`.
    pub outputs: Vec<Built<Output>>,
}

/// Builds every component of `manifest`, or returns every error found. The manifest's
/// `[[plugin]]`s are loaded first and their types looked up after the built-in ones.
pub fn build(manifest: Manifest, registry: &Registry) -> Result<Pipeline, ManifestErrors> {
    let mut errors: Vec<ManifestError> = manifest.errors.clone();
    let (loaded, plugin_errors) = crate::plugins::load(&manifest, registry);
    // A type unknown because its plugin did not load must not read as a typo.
    let unloaded = if plugin_errors.is_empty() {
        ""
    } else {
        " (or it comes from a [[plugin]] that did not load: see that error)"
    };
    errors.extend(plugin_errors);
    let extra = &loaded.registry;
    let base_dir = manifest.base_dir();
    let mut pipeline = Pipeline {
        collectors: Vec::new(),
        preprocessors: Vec::new(),
        models: Vec::new(),
        strategy: None,
        outputs: Vec::new(),
        manifest: manifest.clone(),
    };
    for spec in &manifest.components {
        let ctx = BuildContext {
            base_dir: base_dir.clone(),
            component: spec.name.clone(),
        };
        let names: Vec<&str>;
        let result = match spec.section {
            Section::Collect => {
                names = registry
                    .collectors
                    .infos()
                    .chain(extra.collectors.infos())
                    .map(|i| i.type_name)
                    .collect();
                registry
                    .collectors
                    .build(&spec.type_name, &spec.config, &ctx)
                    .or_else(|| extra.collectors.build(&spec.type_name, &spec.config, &ctx))
                    .map(|r| r.map(|c| pipeline.collectors.push(built(spec, Arc::from(c)))))
            }
            Section::Preprocess => {
                names = registry
                    .preprocessors
                    .infos()
                    .chain(extra.preprocessors.infos())
                    .map(|i| i.type_name)
                    .collect();
                registry
                    .preprocessors
                    .build(&spec.type_name, &spec.config, &ctx)
                    .or_else(|| {
                        extra
                            .preprocessors
                            .build(&spec.type_name, &spec.config, &ctx)
                    })
                    .map(|r| r.map(|c| pipeline.preprocessors.push(built(spec, c))))
            }
            Section::Model => {
                names = registry
                    .models
                    .infos()
                    .chain(extra.models.infos())
                    .map(|i| i.type_name)
                    .collect();
                registry
                    .models
                    .build(&spec.type_name, &spec.config, &ctx)
                    .or_else(|| extra.models.build(&spec.type_name, &spec.config, &ctx))
                    .map(|r| r.map(|c| pipeline.models.push(built(spec, c))))
            }
            Section::Strategy => {
                names = registry
                    .strategies
                    .infos()
                    .chain(extra.strategies.infos())
                    .map(|i| i.type_name)
                    .collect();
                registry
                    .strategies
                    .build(&spec.type_name, &spec.config, &ctx)
                    .or_else(|| extra.strategies.build(&spec.type_name, &spec.config, &ctx))
                    .map(|r| r.map(|c| pipeline.strategy = Some(built(spec, c))))
            }
            Section::Output => {
                names = crate::output::TYPES.iter().map(|i| i.type_name).collect();
                Output::build(&spec.type_name, &spec.config)
                    .map(|r| r.map(|c| pipeline.outputs.push(built(spec, c))))
            }
        };
        match result {
            None => {
                let hint = did_you_mean(&spec.type_name, names.iter().copied());
                errors.push(manifest.error(
                    Some(spec.type_span.clone()),
                    format!("{}.type", spec.path()),
                    format!(
                        "unknown {} type `{}`{hint}{unloaded}; known: {}",
                        kind_word(spec.section),
                        spec.type_name,
                        names.join(", ")
                    ),
                ));
            }
            Some(Err(ConfigErrors(errs))) => {
                // "unknown field `pth` (did you mean `path`?)" already says that `path` is
                // missing: a separate "missing field `path`" would repeat it.
                for e in drop_explained_missing(errs) {
                    let missing = e
                        .message
                        .strip_prefix("missing field `")
                        .and_then(|m| m.strip_suffix('`'));
                    // A value already reported as unreadable (an unset variable) is missing
                    // for that reason only.
                    if let Some(m) = missing {
                        let full = format!("{}.{m}", prefixed(&spec.path(), &e.path));
                        if manifest.dropped.contains(&full) {
                            continue;
                        }
                    }
                    let key = prefixed(&spec.path(), &e.path);
                    let named = if spec.name.contains('#') {
                        String::new()
                    } else {
                        format!(" ({})", spec.name)
                    };
                    errors.push(manifest.error(
                        e.span,
                        format!("{key}{named}"),
                        explain(&e.message),
                    ));
                }
            }
            Some(Ok(())) => {}
        }
    }
    check_output_paths(&manifest, &pipeline.outputs, &mut errors);
    check_forecast_reference(&manifest, &mut errors);
    if errors.is_empty() {
        Ok(pipeline)
    } else {
        errors.sort_by_key(|e| (e.line, e.column));
        Err(ManifestErrors(errors))
    }
}

/// A strategy's `forecast = "NAME"` key names the `[[model]]` whose forecast it reads (the
/// convention of the policy strategies): a name no model has would fail every item at run time,
/// so it is a manifest error here, with a suggestion.
fn check_forecast_reference(manifest: &Manifest, errors: &mut Vec<ManifestError>) {
    let models: Vec<&str> = manifest
        .components
        .iter()
        .filter(|c| c.section == Section::Model)
        .map(|c| c.name.as_str())
        .collect();
    for spec in manifest
        .components
        .iter()
        .filter(|c| c.section == Section::Strategy)
    {
        let Some(value) = spec.config.get("forecast") else {
            continue;
        };
        let Some(name) = value.as_str() else {
            continue; // a type error, reported by the strategy's own config
        };
        if !models.contains(&name) {
            let hint = did_you_mean(name, models.iter().copied());
            errors.push(manifest.error(
                Some(value.span.clone()),
                format!("{}.forecast", spec.path()),
                format!(
                    "no [[model]] is named `{name}`{hint}; models: {}",
                    if models.is_empty() {
                        "none".to_owned()
                    } else {
                        models.join(", ")
                    }
                ),
            ));
        }
    }
}

/// Two outputs writing one file, or an output overwriting the quarantine file, would lose one
/// of them silently.
fn check_output_paths(
    manifest: &Manifest,
    outputs: &[Built<Output>],
    errors: &mut Vec<ManifestError>,
) {
    let mut seen: Vec<(&std::path::Path, &ComponentSpec)> = Vec::new();
    for o in outputs {
        let path = o.component.path();
        let span = o.spec.config.key_span("path");
        if path == std::path::Path::new(crate::run::QUARANTINE_FILE) {
            errors.push(manifest.error(
                span.clone(),
                format!("{}.path", o.spec.path()),
                format!(
                    "`{}` is where unreadable rows are written; choose another name",
                    crate::run::QUARANTINE_FILE
                ),
            ));
        }
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == path) {
            errors.push(manifest.error(
                span,
                format!("{}.path", o.spec.path()),
                format!(
                    "`{}` is also written by {}; each output needs its own file",
                    path.display(),
                    first.path()
                ),
            ));
        }
        seen.push((path, &o.spec));
    }
}

fn built<T>(spec: &ComponentSpec, component: T) -> Built<T> {
    Built {
        spec: spec.clone(),
        component,
    }
}

fn kind_word(section: Section) -> &'static str {
    match section {
        Section::Collect => "collector",
        Section::Preprocess => "preprocessor",
        Section::Model => "model",
        Section::Strategy => "strategy",
        Section::Output => "output",
    }
}
