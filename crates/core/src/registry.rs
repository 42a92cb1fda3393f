//! The plugin registry: `type` names mapped to factories, one table per component kind.
//!
//! Registration is explicit: each plugin crate exposes `pub fn register(registry: &mut
//! Registry)` and the binary calls them in turn. A factory receives its own typed config,
//! deserialised from the component's [`ConfigValue`] with every error located, and a
//! [`BuildContext`] for resolving relative paths; it returns the boxed component or
//! [`ConfigErrors`] naming the keys at fault.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::{self, ConfigErrors, ConfigValue};
use crate::traits::{Collector, Model, Preprocessor, Strategy};

/// The four kinds of component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    /// `[[collect]]`
    Collector,
    /// `[[preprocess]]`
    Preprocessor,
    /// `[[model]]`
    Model,
    /// `[strategy]`
    Strategy,
}

impl ComponentKind {
    /// `collector`, `preprocessor`, `model` or `strategy`.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Collector => "collector",
            ComponentKind::Preprocessor => "preprocessor",
            ComponentKind::Model => "model",
            ComponentKind::Strategy => "strategy",
        }
    }
}

/// One configuration key of a plugin, for `restock plugins` and the manifest reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ConfigKeyDoc {
    /// Key name.
    pub name: &'static str,
    /// Value type as a user writes it (`string`, `integer`, `"day" | "week"`, `table`).
    pub ty: &'static str,
    /// Default as TOML, or `None` when the key is required.
    pub default: Option<&'static str>,
    /// One line on what it does.
    pub doc: &'static str,
}

/// What a plugin says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PluginInfo {
    /// The `type` name in the manifest.
    pub type_name: &'static str,
    /// One line on what it does.
    pub doc: &'static str,
    /// Every configuration key (besides `type` and `name`).
    pub keys: &'static [ConfigKeyDoc],
    /// A complete example component table in TOML, without the `[[…]]` header; it must
    /// validate (each plugin's tests check it does).
    pub example: &'static str,
}

/// What a factory may know while building a component.
#[derive(Debug, Clone)]
pub struct BuildContext {
    /// The manifest's folder; relative paths in configs are relative to it.
    pub base_dir: PathBuf,
    /// The component's name (`name` in the manifest, or `type#index`).
    pub component: String,
}

impl BuildContext {
    /// `path` resolved against the manifest's folder (absolute paths are kept).
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }
}

type Build<T> = Box<dyn Fn(&ConfigValue, &BuildContext) -> Result<T, ConfigErrors> + Send + Sync>;

/// The factories of one component kind, by `type` name.
pub struct Factories<T> {
    entries: BTreeMap<&'static str, (PluginInfo, Build<T>)>,
}

impl<T> Default for Factories<T> {
    fn default() -> Self {
        Self {
            entries: BTreeMap::new(),
        }
    }
}

impl<T> Factories<T> {
    fn add<C, F>(&mut self, info: PluginInfo, build: F)
    where
        C: DeserializeOwned + 'static,
        F: Fn(C, &BuildContext) -> Result<T, ConfigErrors> + Send + Sync + 'static,
    {
        let erased = move |value: &ConfigValue, ctx: &BuildContext| {
            let config: C = config::deserialize(value)?;
            build(config, ctx).map_err(|errors| locate(errors, value))
        };
        let previous = self
            .entries
            .insert(info.type_name, (info, Box::new(erased)));
        assert!(
            previous.is_none(),
            "plugin type `{}` registered twice",
            info.type_name
        );
    }

    /// True when `type_name` is registered.
    pub fn contains(&self, type_name: &str) -> bool {
        self.entries.contains_key(type_name)
    }

    /// Every registered plugin's description, sorted by type name.
    pub fn infos(&self) -> impl Iterator<Item = &PluginInfo> {
        self.entries.values().map(|e| &e.0)
    }

    /// Builds a component of `type_name` from its config table (without `type` and `name`).
    /// `None` when the type is not registered.
    pub fn build(
        &self,
        type_name: &str,
        config: &ConfigValue,
        ctx: &BuildContext,
    ) -> Option<Result<T, ConfigErrors>> {
        self.entries
            .get(type_name)
            .map(|(_, build)| build(config, ctx))
    }
}

/// Fills in spans of factory errors that name a key but no span.
fn locate(mut errors: ConfigErrors, value: &ConfigValue) -> ConfigErrors {
    for error in &mut errors.0 {
        if error.span.is_some() {
            continue;
        }
        error.span = match error.path.split_last() {
            // A key that is not there (a required one, missing) is placed at the table
            // nearest to it that is.
            Some((last, parent)) => value
                .find(parent)
                .and_then(|p| p.key_span(last))
                .or_else(|| value.find(&error.path).map(|v| v.span.clone()))
                .or_else(|| {
                    (0..=parent.len())
                        .rev()
                        .find_map(|n| value.find(&parent[..n]))
                        .map(|v| v.span.clone())
                }),
            None => Some(value.span.clone()),
        };
    }
    errors
}

/// Every plugin type the pipeline can build, by kind.
#[derive(Default)]
pub struct Registry {
    /// `[[collect]]` types.
    pub collectors: Factories<Box<dyn Collector>>,
    /// `[[preprocess]]` types.
    pub preprocessors: Factories<Box<dyn Preprocessor>>,
    /// `[[model]]` types.
    pub models: Factories<Box<dyn Model>>,
    /// `[strategy]` types.
    pub strategies: Factories<Box<dyn Strategy>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a collector type. Panics if `info.type_name` is taken.
    pub fn add_collector<C, F>(&mut self, info: PluginInfo, build: F)
    where
        C: DeserializeOwned + 'static,
        F: Fn(C, &BuildContext) -> Result<Box<dyn Collector>, ConfigErrors> + Send + Sync + 'static,
    {
        self.collectors.add(info, build);
    }

    /// Registers a preprocessor type. Panics if `info.type_name` is taken.
    pub fn add_preprocessor<C, F>(&mut self, info: PluginInfo, build: F)
    where
        C: DeserializeOwned + 'static,
        F: Fn(C, &BuildContext) -> Result<Box<dyn Preprocessor>, ConfigErrors>
            + Send
            + Sync
            + 'static,
    {
        self.preprocessors.add(info, build);
    }

    /// Registers a model type. Panics if `info.type_name` is taken.
    pub fn add_model<C, F>(&mut self, info: PluginInfo, build: F)
    where
        C: DeserializeOwned + 'static,
        F: Fn(C, &BuildContext) -> Result<Box<dyn Model>, ConfigErrors> + Send + Sync + 'static,
    {
        self.models.add(info, build);
    }

    /// Registers a strategy type. Panics if `info.type_name` is taken.
    pub fn add_strategy<C, F>(&mut self, info: PluginInfo, build: F)
    where
        C: DeserializeOwned + 'static,
        F: Fn(C, &BuildContext) -> Result<Box<dyn Strategy>, ConfigErrors> + Send + Sync + 'static,
    {
        self.strategies.add(info, build);
    }

    /// Every registered plugin with its kind, sorted by kind then type name.
    pub fn plugins(&self) -> Vec<(ComponentKind, &PluginInfo)> {
        let mut all = Vec::new();
        all.extend(
            self.collectors
                .infos()
                .map(|i| (ComponentKind::Collector, i)),
        );
        all.extend(
            self.preprocessors
                .infos()
                .map(|i| (ComponentKind::Preprocessor, i)),
        );
        all.extend(self.models.infos().map(|i| (ComponentKind::Model, i)));
        all.extend(
            self.strategies
                .infos()
                .map(|i| (ComponentKind::Strategy, i)),
        );
        all
    }
}
