//! Restock plugins that load at run time.
//!
//! **Writing a plugin.** Implement the ordinary traits (`impl Strategy for MyPolicy`), register
//! them in a `register(&mut Registry)` function exactly as a built-in plugin family does, and
//! export it:
//!
//! ```ignore
//! use restock_plugin::core::{Registry, Strategy /* … */};
//!
//! pub fn register(registry: &mut Registry) {
//!     registry.add_strategy(MY_INFO, |config: MyConfig, _ctx| Ok(Box::new(MyPolicy::new(config))));
//! }
//!
//! restock_plugin::export!(register);
//! ```
//!
//! with `crate-type = ["cdylib"]` in the crate's `Cargo.toml`. A manifest loads the library
//! with `[[plugin]] path = "…"`; its types are then used like built-in ones. Use the
//! `restock-core` this crate re-exports as [`core`], so the declaration and the types agree.
//! The same `register` can also run as a process plugin: [`serve_stdio`].
//!
//! **What crosses the boundary.** Rust has no stable ABI, so nothing Rust-shaped does: the
//! library exports one `#[repr(C)]` [`abi::Declaration`] (ABI version, `restock-core` version,
//! compiler version, one `extern "C"` entry point) and every call is JSON bytes in, JSON bytes
//! out through a completion callback ([`protocol`]). No trait object, `String`, `TypeId`, tokio
//! handle or allocation crosses; panics are caught on the plugin's side of every entry point.
//! This crate is the only place in Restock with `unsafe` FFI code.
//!
//! **Async code.** A library's copy of tokio cannot reach the host's runtime (no reactor), so
//! the SDK starts a runtime of the plugin's own — multi-threaded, two workers, time and I/O
//! drivers on — the first time the host calls in, and runs every component call there:
//! `tokio::time::sleep`, `tokio::net` and reqwest work as usual. The host awaits the completion
//! callback; the plugin's runtime threads live as long as the process (libraries are never
//! unloaded).
//!
//! **Loading** (feature `host`, used by the runner): [`host::load`] checks the declaration
//! before calling anything else and refuses a library built for another ABI, another
//! `restock-core` (0.MINOR) or another compiler, with what differs and how to rebuild.
#![deny(missing_docs)]

pub mod abi;
pub mod guest;
#[cfg(feature = "host")]
pub mod host;
pub mod protocol;

pub use guest::serve_stdio;

/// The `restock-core` this SDK was built with: records, traits, registry, errors.
pub use restock_core as core;

/// `#[async_trait]`, for implementing the traits.
pub use async_trait::async_trait;

/// Exports a plugin library: `export!(register)` with `register: fn(&mut Registry)`.
///
/// Generates the [`abi::Declaration`] under the symbol `restock_plugin_declaration` and its
/// entry point; the crate must be built as a `cdylib`. Use it once per library.
#[macro_export]
macro_rules! export {
    ($register:path) => {
        #[doc(hidden)]
        #[unsafe(export_name = "restock_plugin_declaration")]
        pub static RESTOCK_PLUGIN_DECLARATION: $crate::abi::Declaration =
            $crate::abi::Declaration::new(
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION"),
                __restock_plugin_call,
            );

        unsafe extern "C" fn __restock_plugin_call(
            request: *const u8,
            len: usize,
            complete: $crate::abi::CompletionFn,
            ctx: *mut ::std::ffi::c_void,
        ) {
            static GUEST: ::std::sync::OnceLock<$crate::guest::Guest> =
                ::std::sync::OnceLock::new();
            // SAFETY: the host keeps the rules of `restock_plugin::abi`.
            unsafe {
                $crate::guest::call(
                    &GUEST,
                    $crate::guest::Exported {
                        name: env!("CARGO_PKG_NAME"),
                        version: env!("CARGO_PKG_VERSION"),
                        register: $register,
                    },
                    request,
                    len,
                    complete,
                    ctx,
                )
            }
        }
    };
}
