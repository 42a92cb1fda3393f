//! The host side: load a plugin (a library or a process), check it, and register its
//! components in a [`Registry`] beside the built-in ones.
//!
//! ```ignore
//! let plugin = restock_plugin::host::load(&PluginSource::Library(path), base_dir)?;
//! plugin.register(&mut registry)?;          // its types are now buildable from a manifest
//! ```
//!
//! A loaded component is a proxy: each trait call is one request to the plugin, awaited on the
//! host's runtime. A failed call (panic, exit, unreadable answer) is an
//! [`restock_core::Error::Plugin`] for that call; the plugin's other components, and the run,
//! go on.

mod dylib;
mod process;
mod remote;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use restock_core::config::{ConfigError, ConfigErrors};
use restock_core::{
    BuildContext, ComponentKind, ConfigKeyDoc, PluginFailure, PluginInfo, Registry,
};

pub use dylib::{DeclarationInfo, check, core_compatible, library_file_name, resolve_library};

use crate::protocol::{ComponentDecl, Envelope, PROTOCOL_VERSION, Request, Response};

/// The answer to one request, or why there is none.
pub type Answer = Result<Response, (PluginFailure, String)>;

/// Called once with the answer.
pub(crate) type Reply = Box<dyn FnOnce(Answer) + Send>;

/// A way to send requests to a plugin.
pub(crate) trait Connection: Send + Sync {
    /// Sends `request` as `id`; `reply` is called exactly once.
    fn send(&self, id: u64, request: Request, reply: Reply);
}

/// `request` as the bytes of its envelope, or why it cannot be sent.
fn encode(id: u64, request: Request) -> Result<Vec<u8>, (PluginFailure, String)> {
    serde_json::to_vec(&Envelope { id, body: request }).map_err(|e| {
        (
            PluginFailure::Protocol,
            format!("the request does not serialise: {e}"),
        )
    })
}

fn parse_answer(bytes: &[u8]) -> Answer {
    serde_json::from_slice::<Envelope<Response>>(bytes)
        .map(|e| e.body)
        .map_err(|e| (PluginFailure::Protocol, format!("unreadable answer: {e}")))
}

/// Why a plugin could not be loaded. Nothing of the plugin ran beyond what the variant says.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// No file at the path.
    #[error("{}: no such file (build the plugin first: `cargo build` in its crate)", path.display())]
    NotFound {
        /// The library path.
        path: PathBuf,
    },
    /// The platform's loader refused the file.
    #[error("{}: cannot load: {message}", path.display())]
    Open {
        /// The library path.
        path: PathBuf,
        /// The loader's message.
        message: String,
    },
    /// The library has no Restock declaration.
    #[error(
        "{}: not a Restock plugin (no `restock_plugin_declaration`); a plugin crate calls \
         `restock_plugin::export!(register)` and builds with crate-type = [\"cdylib\"]",
        path.display()
    )]
    NotAPlugin {
        /// The library path.
        path: PathBuf,
    },
    /// Built for another plugin ABI: refused before any of its code ran.
    #[error(
        "{}: built for plugin ABI version {found}, but this restock loads version {expected}; \
         nothing of it was run. Rebuild the plugin against restock-plugin {sdk} \
         (`cargo update -p restock-plugin`, then `cargo build` in its crate)",
        path.display(), sdk = crate::abi::SDK_VERSION
    )]
    AbiMismatch {
        /// The library path.
        path: PathBuf,
        /// The library's ABI version.
        found: u32,
        /// The host's.
        expected: u32,
    },
    /// Built against an incompatible `restock-core`.
    #[error(
        "{}: built against restock-core {found}, but this restock has {expected}; nothing of it \
         was run. Rebuild the plugin with restock-plugin {sdk} (its `Cargo.toml`, then \
         `cargo build`)",
        path.display(), sdk = crate::abi::SDK_VERSION
    )]
    CoreMismatch {
        /// The library path.
        path: PathBuf,
        /// The library's `restock-core` version.
        found: String,
        /// The host's.
        expected: String,
    },
    /// Built by another compiler.
    #[error(
        "{}: built by {found}, but this restock was built by {expected}; nothing of it was \
         run. Rebuild the plugin with the same toolchain (`rustup run <version> cargo build`), \
         or rebuild restock with the plugin's",
        path.display()
    )]
    CompilerMismatch {
        /// The library path.
        path: PathBuf,
        /// The library's `rustc --version`.
        found: String,
        /// The host's.
        expected: String,
    },
    /// A process plugin could not be started.
    #[error("cannot start `{command}`: {message}")]
    Spawn {
        /// The command line.
        command: String,
        /// Why.
        message: String,
    },
    /// The plugin's hello was missing or wrong.
    #[error("{plugin}: {message}")]
    Handshake {
        /// The library path or command line.
        plugin: String,
        /// What went wrong.
        message: String,
    },
}

/// Where a plugin comes from: `[[plugin]] path = "…"` or `command = […]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginSource {
    /// A shared library (resolved by [`resolve_library`]).
    Library(PathBuf),
    /// A program and its arguments, run in the manifest's folder.
    Command(Vec<String>),
}

impl std::fmt::Display for PluginSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PluginSource::Library(p) => write!(f, "{}", p.display()),
            PluginSource::Command(c) => write!(f, "{}", c.join(" ")),
        }
    }
}

/// A loaded, checked plugin.
#[derive(Clone)]
pub struct Plugin {
    /// As the manifest gave it.
    pub source: PluginSource,
    /// The plugin's name (its crate's, or what the process said).
    pub name: String,
    /// Its version.
    pub version: String,
    /// The declaration, for libraries.
    pub declaration: Option<DeclarationInfo>,
    /// What it offers.
    pub components: Vec<ComponentDecl>,
    /// How long a component call may take; `None`: as long as it takes.
    pub call_timeout: Option<Duration>,
    connection: Arc<dyn Connection>,
    ids: Arc<AtomicU64>,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("source", &self.source)
            .field("name", &self.name)
            .field("components", &self.components)
            .finish_non_exhaustive()
    }
}

/// How long loading waits for a plugin's hello, and building for its answer to `create` (a
/// plugin's `timeout_seconds`, when set, applies to `create` instead).
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);

/// Loads the plugin at `source` (paths and commands relative to `base_dir`), checks its
/// declaration (libraries) and exchanges hellos. Libraries stay loaded for the life of the
/// process; processes run until the host exits.
///
/// # Errors
/// A [`LoadError`] saying what differs or failed; for a library refused on its declaration,
/// none of its code ran.
pub fn load(source: &PluginSource, base_dir: &Path) -> Result<Plugin, LoadError> {
    let (connection, declaration) = match source {
        PluginSource::Library(path) => {
            let path = resolve_library(&base_dir.join(path));
            let (c, d) = dylib::open(&path)?;
            (c, Some(d))
        }
        PluginSource::Command(command) => (process::spawn(command, base_dir)?, None),
    };
    let mut plugin = Plugin {
        source: source.clone(),
        name: String::new(),
        version: String::new(),
        declaration,
        components: Vec::new(),
        call_timeout: None,
        connection,
        ids: Arc::new(AtomicU64::new(0)),
    };
    let hello = Request::Hello {
        protocol: PROTOCOL_VERSION,
        core_version: restock_core::CORE_VERSION.to_owned(),
    };
    let handshake = |message: String| LoadError::Handshake {
        plugin: source.to_string(),
        message,
    };
    match plugin.call_blocking(hello, HANDSHAKE_TIMEOUT) {
        Ok(Response::Hello {
            protocol,
            plugin: name,
            version,
            components,
        }) => {
            if protocol != PROTOCOL_VERSION {
                return Err(handshake(format!(
                    "speaks plugin protocol {protocol}, this restock {PROTOCOL_VERSION}"
                )));
            }
            plugin.name = name;
            plugin.version = version;
            plugin.components = components;
        }
        Ok(Response::Error { message, .. }) => return Err(handshake(message)),
        Ok(other) => {
            return Err(handshake(format!(
                "answered hello with `{}`",
                response_name(&other)
            )));
        }
        Err((PluginFailure::TimedOut, message)) => {
            return Err(handshake(format!(
                "did not answer `hello`: {message}; a plugin program speaks Restock's plugin \
                 protocol on stdin and stdout (restock_plugin::serve_stdio in Rust, \
                 examples/custom-plugin/python/restock_plugin.py in Python)"
            )));
        }
        Err((_, message)) => return Err(handshake(message)),
    }
    Ok(plugin)
}

fn response_name(response: &Response) -> &'static str {
    match response {
        Response::Hello { .. } => "hello",
        Response::Created { .. } => "created",
        Response::ConfigErrors { .. } => "config_errors",
        Response::Dataset { .. } => "dataset",
        Response::Outlook { .. } => "outlook",
        Response::Decisions { .. } => "decisions",
        Response::Error { .. } => "error",
    }
}

/// Why a type of a plugin could not be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{plugin}: {kind} type `{type_name}` is already defined (built in or by another plugin)")]
pub struct Conflict {
    /// The plugin.
    pub plugin: String,
    /// The kind.
    pub kind: &'static str,
    /// The type name.
    pub type_name: String,
}

impl Plugin {
    fn next_id(&self) -> u64 {
        self.ids.fetch_add(1, Ordering::Relaxed)
    }

    /// Sends `request` and waits (blocking the thread) up to `timeout` for the answer.
    fn call_blocking(&self, request: Request, timeout: Duration) -> Answer {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.connection.send(
            self.next_id(),
            request,
            Box::new(move |answer| {
                let _ = tx.send(answer);
            }),
        );
        rx.recv_timeout(timeout).unwrap_or_else(|_| {
            Err((
                PluginFailure::TimedOut,
                format!("no answer within {} s", timeout.as_secs_f64()),
            ))
        })
    }

    /// Limits every component call to `timeout` (`None`: no limit). A call over the limit fails
    /// with [`PluginFailure::TimedOut`]; a late answer is dropped.
    pub fn with_call_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// Sends `request` and awaits the answer (on the host's runtime; it needs its timer when a
    /// call timeout is set).
    pub(crate) async fn call(&self, request: Request) -> Answer {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.connection.send(
            self.next_id(),
            request,
            Box::new(move |answer| {
                let _ = tx.send(answer);
            }),
        );
        let dropped = |_| {
            Err((
                PluginFailure::Protocol,
                "the plugin dropped the call without answering".into(),
            ))
        };
        match self.call_timeout {
            None => rx.await.unwrap_or_else(dropped),
            Some(limit) => match tokio::time::timeout(limit, rx).await {
                Ok(answer) => answer.unwrap_or_else(dropped),
                Err(_) => Err((
                    PluginFailure::TimedOut,
                    format!("no answer within {} s", limit.as_secs_f64()),
                )),
            },
        }
    }

    /// Registers every component of the plugin in `registry`. Types already there are not
    /// replaced: each is a [`Conflict`], and the others are still registered.
    ///
    /// # Errors
    /// Every conflict.
    pub fn register(&self, registry: &mut Registry) -> Result<(), Vec<Conflict>> {
        let mut conflicts = Vec::new();
        for decl in &self.components {
            let taken = match decl.kind {
                ComponentKind::Collector => registry.collectors.contains(&decl.type_name),
                ComponentKind::Preprocessor => registry.preprocessors.contains(&decl.type_name),
                ComponentKind::Model => registry.models.contains(&decl.type_name),
                ComponentKind::Strategy => registry.strategies.contains(&decl.type_name),
            };
            if taken {
                conflicts.push(Conflict {
                    plugin: self.source.to_string(),
                    kind: decl.kind.as_str(),
                    type_name: decl.type_name.clone(),
                });
                continue;
            }
            let info = leak_info(decl);
            let factory = Factory {
                plugin: self.clone(),
                kind: decl.kind,
                type_name: decl.type_name.clone(),
            };
            match decl.kind {
                ComponentKind::Collector => registry.add_collector(info, move |c, ctx| {
                    factory.build(c, ctx).map(|r| Box::new(r) as _)
                }),
                ComponentKind::Preprocessor => registry.add_preprocessor(info, move |c, ctx| {
                    factory.build(c, ctx).map(|r| Box::new(r) as _)
                }),
                ComponentKind::Model => registry.add_model(info, move |c, ctx| {
                    factory.build(c, ctx).map(|r| Box::new(r) as _)
                }),
                ComponentKind::Strategy => registry.add_strategy(info, move |c, ctx| {
                    factory.build(c, ctx).map(|r| Box::new(r) as _)
                }),
            }
        }
        if conflicts.is_empty() {
            Ok(())
        } else {
            Err(conflicts)
        }
    }
}

/// The registry's descriptions are `'static`; a plugin's live as long as the process (plugins
/// are never unloaded), so they are leaked once per loaded type.
fn leak_info(decl: &ComponentDecl) -> PluginInfo {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let keys: Vec<ConfigKeyDoc> = decl
        .keys
        .iter()
        .map(|k| ConfigKeyDoc {
            name: leak(&k.name),
            ty: leak(&k.ty),
            default: k.default.as_deref().map(leak),
            doc: leak(&k.doc),
        })
        .collect();
    PluginInfo {
        type_name: leak(&decl.type_name),
        doc: leak(&decl.doc),
        keys: Box::leak(keys.into_boxed_slice()),
        example: leak(&decl.example),
    }
}

/// Builds proxies of one plugin type.
struct Factory {
    plugin: Plugin,
    kind: ComponentKind,
    type_name: String,
}

impl Factory {
    fn build(
        &self,
        config: serde_json::Value,
        ctx: &BuildContext,
    ) -> Result<remote::Remote, ConfigErrors> {
        let request = Request::Create {
            kind: self.kind,
            type_name: self.type_name.clone(),
            component: ctx.component.clone(),
            config,
            base_dir: ctx.base_dir.clone(),
        };
        let whole = |message: String| {
            ConfigErrors(vec![ConfigError {
                path: Vec::new(),
                span: None,
                message: format!("plugin {}: {message}", self.plugin.source),
            }])
        };
        let limit = self.plugin.call_timeout.unwrap_or(HANDSHAKE_TIMEOUT);
        match self.plugin.call_blocking(request, limit) {
            Ok(Response::Created { instance }) => Ok(remote::Remote {
                plugin: self.plugin.clone(),
                instance,
            }),
            Ok(Response::ConfigErrors { errors }) => Err(ConfigErrors(
                errors
                    .into_iter()
                    .map(|e| ConfigError {
                        path: e.path,
                        span: None,
                        message: e.message,
                    })
                    .collect(),
            )),
            Ok(Response::Error { message, failure }) => Err(whole(format!(
                "{}: {message}",
                remote::failure_word(failure)
            ))),
            Ok(other) => Err(whole(format!(
                "answered create with `{}`",
                response_name(&other)
            ))),
            Err((failure, message)) => Err(whole(format!("{failure}: {message}"))),
        }
    }
}
