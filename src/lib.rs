//! The `restock` command's library half: the registry of built-in plugins.
//!
//! The binary (`src/main.rs`) parses arguments and calls the runner; this file is the one place
//! that lists which plugin crates are linked in. Adding a built-in plugin family means adding
//! its crate to `Cargo.toml` and one line here.

#![deny(missing_docs)]

use restock_core::Registry;

/// A registry with every built-in plugin registered.
pub fn builtin_registry() -> Registry {
    let mut registry = Registry::new();
    restock_files::register(&mut registry);
    restock_text::register(&mut registry);
    restock_forecast::register(&mut registry);
    restock_policy::register(&mut registry);
    registry
}
