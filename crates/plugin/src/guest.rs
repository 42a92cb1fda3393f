//! The plugin side: answers [`crate::protocol`] requests from a [`Registry`] filled by the
//! plugin's own `register` function, behind [`crate::export!`] (a loaded library) or
//! [`serve_stdio`] (a process).
//!
//! Components run on a tokio runtime owned by the plugin (multi-threaded, two workers, time and
//! I/O drivers on): a library's copy of tokio cannot see the host's runtime, so `tokio::time`,
//! `tokio::net` and reqwest inside a plugin work only on a runtime of the plugin's own. The
//! host waits for the answer through the completion callback; nothing async crosses.
//!
//! Every call is wrapped: a panic in a factory or a component becomes a
//! [`Response::Error`] with `failure: panicked` and the panic message, for that call only.

use std::collections::HashMap;
use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use restock_core::config::{ConfigKey, ConfigKind, ConfigValue};
use restock_core::context::NoProgress;
use restock_core::{
    BuildContext, Collector, ComponentKind, Context, MemorySink, Model, Preprocessor, Registry,
    Strategy,
};

use crate::abi::CompletionFn;
use crate::protocol::{
    ComponentDecl, ContextData, Envelope, KeyDecl, PROTOCOL_VERSION, Request, Response,
    WireConfigError, WireFailure,
};

/// A built component.
#[derive(Clone)]
enum Instance {
    Collector(Arc<dyn Collector>),
    Preprocessor(Arc<dyn Preprocessor>),
    Model(Arc<dyn Model>),
    Strategy(Arc<dyn Strategy>),
}

/// A plugin's registry, its live components and its runtime.
pub struct Guest {
    name: &'static str,
    version: &'static str,
    registry: Registry,
    instances: Mutex<HashMap<u64, Instance>>,
    next: AtomicU64,
    runtime: tokio::runtime::Runtime,
}

impl Guest {
    /// A guest named `name` at `version` offering what `register` registers.
    ///
    /// # Panics
    /// When the runtime cannot be started (no threads available).
    pub fn new(name: &'static str, version: &'static str, register: fn(&mut Registry)) -> Self {
        let mut registry = Registry::new();
        register(&mut registry);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(format!("{name}-plugin"))
            .enable_all()
            .build()
            .expect("the plugin's tokio runtime starts");
        Self {
            name,
            version,
            registry,
            instances: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
            runtime,
        }
    }

    /// What the plugin offers.
    pub fn components(&self) -> Vec<ComponentDecl> {
        self.registry
            .plugins()
            .into_iter()
            .map(|(kind, info)| ComponentDecl {
                kind,
                type_name: info.type_name.to_owned(),
                doc: info.doc.to_owned(),
                keys: info
                    .keys
                    .iter()
                    .map(|k| KeyDecl {
                        name: k.name.to_owned(),
                        ty: k.ty.to_owned(),
                        default: k.default.map(str::to_owned),
                        doc: k.doc.to_owned(),
                    })
                    .collect(),
                example: info.example.to_owned(),
            })
            .collect()
    }

    /// Handles `request`; `respond` is called exactly once, now or later from a runtime thread.
    pub fn handle(&'static self, request: Request, respond: Box<dyn FnOnce(Response) + Send>) {
        let call = match request {
            Request::Hello { protocol, .. } => {
                return respond(if protocol == PROTOCOL_VERSION {
                    Response::Hello {
                        protocol: PROTOCOL_VERSION,
                        plugin: self.name.to_owned(),
                        version: self.version.to_owned(),
                        components: self.components(),
                    }
                } else {
                    protocol_error(format!(
                        "the host speaks protocol {protocol}, this plugin {PROTOCOL_VERSION}"
                    ))
                });
            }
            Request::Create {
                kind,
                type_name,
                component,
                config,
                base_dir,
            } => {
                let answer = catch_unwind(AssertUnwindSafe(|| {
                    self.create(kind, &type_name, component, config, base_dir)
                }))
                .unwrap_or_else(|panic| Response::Error {
                    failure: WireFailure::Panicked,
                    message: panic_message(panic.as_ref()),
                });
                return respond(answer);
            }
            other => other,
        };
        let (instance, context) = match &call {
            Request::Collect { instance, context }
            | Request::Process {
                instance, context, ..
            }
            | Request::Assess {
                instance, context, ..
            }
            | Request::Decide {
                instance, context, ..
            } => (*instance, context.clone()),
            Request::Hello { .. } | Request::Create { .. } => unreachable!("answered above"),
        };
        let Some(component) = self
            .instances
            .lock()
            .expect("instances")
            .get(&instance)
            .cloned()
        else {
            return respond(protocol_error(format!("no component instance {instance}")));
        };
        let work = self.runtime.spawn(run(component, call, context));
        self.runtime.spawn(async move {
            respond(match work.await {
                Ok(response) => response,
                Err(e) if e.is_panic() => Response::Error {
                    failure: WireFailure::Panicked,
                    message: panic_message(e.into_panic().as_ref()),
                },
                Err(e) => Response::Error {
                    failure: WireFailure::Failed,
                    message: e.to_string(),
                },
            })
        });
    }

    fn create(
        &self,
        kind: ComponentKind,
        type_name: &str,
        component: String,
        config: serde_json::Value,
        base_dir: PathBuf,
    ) -> Response {
        let value = config_value(config);
        let ctx = BuildContext {
            base_dir,
            component,
        };
        let built = match kind {
            ComponentKind::Collector => self
                .registry
                .collectors
                .build(type_name, &value, &ctx)
                .map(|r| r.map(|c| Instance::Collector(Arc::from(c)))),
            ComponentKind::Preprocessor => self
                .registry
                .preprocessors
                .build(type_name, &value, &ctx)
                .map(|r| r.map(|c| Instance::Preprocessor(Arc::from(c)))),
            ComponentKind::Model => self
                .registry
                .models
                .build(type_name, &value, &ctx)
                .map(|r| r.map(|c| Instance::Model(Arc::from(c)))),
            ComponentKind::Strategy => self
                .registry
                .strategies
                .build(type_name, &value, &ctx)
                .map(|r| r.map(|c| Instance::Strategy(Arc::from(c)))),
        };
        match built {
            None => protocol_error(format!(
                "this plugin has no {} type `{type_name}`",
                kind.as_str()
            )),
            Some(Err(errors)) => Response::ConfigErrors {
                errors: errors
                    .0
                    .into_iter()
                    .map(|e| WireConfigError {
                        path: e.path,
                        message: e.message,
                    })
                    .collect(),
            },
            Some(Ok(instance)) => {
                let id = self.next.fetch_add(1, Ordering::Relaxed);
                self.instances
                    .lock()
                    .expect("instances")
                    .insert(id, instance);
                Response::Created { instance: id }
            }
        }
    }
}

/// Runs one component call on the plugin's runtime.
async fn run(component: Instance, call: Request, data: ContextData) -> Response {
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(data.as_of, sink.clone())
        .with_services(
            Arc::new(NoProgress),
            data.cache_dir,
            Arc::new(|name: &str| std::env::var(name).ok()),
        )
        .for_component(&data.component);
    let mismatch = || protocol_error("the request does not fit the component's kind".into());
    let result: Result<Response, restock_core::Error> = match (component, call) {
        (Instance::Collector(c), Request::Collect { .. }) => {
            c.collect(&ctx).await.map(|dataset| Response::Dataset {
                dataset,
                diagnostics: Vec::new(),
                quarantined: Vec::new(),
            })
        }
        (Instance::Preprocessor(p), Request::Process { dataset, .. }) => p
            .process(dataset, &ctx)
            .await
            .map(|dataset| Response::Dataset {
                dataset,
                diagnostics: Vec::new(),
                quarantined: Vec::new(),
            }),
        (
            Instance::Model(m),
            Request::Assess {
                dataset,
                mut outlook,
                documents,
                ..
            },
        ) => {
            outlook.documents = documents;
            m.assess(&dataset, &mut outlook, &ctx).await.map(|()| {
                let documents = std::mem::take(&mut outlook.documents);
                Response::Outlook {
                    outlook,
                    documents,
                    diagnostics: Vec::new(),
                    quarantined: Vec::new(),
                }
            })
        }
        (
            Instance::Strategy(s),
            Request::Decide {
                dataset, outlook, ..
            },
        ) => s
            .decide(&dataset, &outlook, &ctx)
            .await
            .map(|decisions| Response::Decisions {
                decisions,
                diagnostics: Vec::new(),
                quarantined: Vec::new(),
            }),
        _ => Ok(mismatch()),
    };
    let (said, set_aside) = sink.take();
    match result {
        Ok(mut response) => {
            if let Response::Dataset {
                diagnostics,
                quarantined,
                ..
            }
            | Response::Outlook {
                diagnostics,
                quarantined,
                ..
            }
            | Response::Decisions {
                diagnostics,
                quarantined,
                ..
            } = &mut response
            {
                *diagnostics = said;
                *quarantined = set_aside;
            }
            response
        }
        Err(e) => Response::Error {
            failure: WireFailure::Failed,
            message: e.to_string(),
        },
    }
}

fn protocol_error(message: String) -> Response {
    Response::Error {
        failure: WireFailure::Protocol,
        message,
    }
}

/// The text of a panic payload (`panic!("…")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}

/// A manifest table sent as plain JSON, back as a [`ConfigValue`] (no spans: the host locates
/// errors by their key paths).
fn config_value(value: serde_json::Value) -> ConfigValue {
    use serde_json::Value;
    let kind = match value {
        Value::Null => ConfigKind::Table(Vec::new()),
        Value::Bool(b) => ConfigKind::Boolean(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => ConfigKind::Integer(i),
            None => ConfigKind::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => ConfigKind::String(s),
        Value::Array(items) => ConfigKind::Array(items.into_iter().map(config_value).collect()),
        Value::Object(entries) => ConfigKind::Table(
            entries
                .into_iter()
                .map(|(name, v)| (ConfigKey { name, span: 0..0 }, config_value(v)))
                .collect(),
        ),
    };
    ConfigValue::new(kind, 0..0)
}

/// A raw pointer that may move to the thread that completes the call.
struct SendPtr(*mut c_void);
// SAFETY: the host's completion context is made to be completed from any thread (abi rules).
unsafe impl Send for SendPtr {}

/// What [`crate::export!`] knows of the plugin crate.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Exported {
    /// The crate's name.
    pub name: &'static str,
    /// The crate's version.
    pub version: &'static str,
    /// Its `register` function.
    pub register: fn(&mut Registry),
}

/// The body of a library's [`crate::abi::CallFn`], generated by [`crate::export!`].
///
/// # Safety
/// `request` must point to `len` readable bytes; `complete` and `ctx` must follow the rules in
/// [`crate::abi`].
#[doc(hidden)]
pub unsafe fn call(
    guest: &'static OnceLock<Guest>,
    plugin: Exported,
    request: *const u8,
    len: usize,
    complete: CompletionFn,
    ctx: *mut c_void,
) {
    // SAFETY: the host passes `len` readable bytes, borrowed for this call: copied now.
    let bytes = unsafe { std::slice::from_raw_parts(request, len) }.to_vec();
    let slot = Arc::new(Mutex::new(Some(SendPtr(ctx))));
    let send = {
        let slot = slot.clone();
        move |id: u64, response: Response| {
            let Some(ctx) = slot.lock().ok().and_then(|mut s| s.take()) else {
                return;
            };
            let body = serde_json::to_vec(&Envelope { id, body: response })
                .unwrap_or_else(|e| {
                    format!(
                        r#"{{"id":{id},"result":"error","failure":"protocol","message":"unserialisable answer: {}"}}"#,
                        e.to_string().replace('"', "'")
                    )
                    .into_bytes()
                });
            // SAFETY: `complete` and `ctx` came from the host for exactly one completion; the
            // slot hands `ctx` out once.
            unsafe { complete(ctx.0, body.as_ptr(), body.len()) };
        }
    };
    let send_on_panic = send.clone();
    let outcome = catch_unwind(AssertUnwindSafe(move || {
        let envelope: Envelope<Request> = match serde_json::from_slice(&bytes) {
            Ok(e) => e,
            Err(e) => return send(0, protocol_error(format!("unreadable request: {e}"))),
        };
        let guest = guest.get_or_init(|| Guest::new(plugin.name, plugin.version, plugin.register));
        let id = envelope.id;
        guest.handle(envelope.body, Box::new(move |r| send(id, r)));
    }));
    if let Err(panic) = outcome {
        send_on_panic(
            0,
            Response::Error {
                failure: WireFailure::Panicked,
                message: panic_message(panic.as_ref()),
            },
        );
    }
}

/// Serves the plugin over stdin/stdout (length-prefixed JSON, see [`crate::protocol`]) until
/// stdin closes: the out-of-process mode for a Rust plugin. Requests are answered concurrently,
/// each with its id.
///
/// ```no_run
/// fn register(registry: &mut restock_plugin::core::Registry) { /* add_strategy(…) */ }
/// fn main() {
///     restock_plugin::serve_stdio(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"), register);
/// }
/// ```
pub fn serve_stdio(name: &'static str, version: &'static str, register: fn(&mut Registry)) {
    static GUEST: OnceLock<Guest> = OnceLock::new();
    let guest = GUEST.get_or_init(|| Guest::new(name, version, register));
    let out = Arc::new(Mutex::new(std::io::stdout()));
    let mut input = std::io::stdin().lock();
    while let Ok(Some(frame)) = crate::protocol::read_frame(&mut input) {
        let out = out.clone();
        let reply = move |id: u64, response: Response| {
            let body =
                serde_json::to_vec(&Envelope { id, body: response }).expect("responses serialise");
            let mut out = out.lock().expect("stdout");
            let _ = crate::protocol::write_frame(&mut *out, &body);
        };
        match serde_json::from_slice::<Envelope<Request>>(&frame) {
            Ok(Envelope { id, body }) => guest.handle(body, Box::new(move |r| reply(id, r))),
            Err(e) => reply(0, protocol_error(format!("unreadable request: {e}"))),
        }
    }
}
