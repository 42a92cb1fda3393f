//! The `restock` command's library half: the registry of built-in plugins.
//!
//! The binary (`src/main.rs`) parses arguments and calls the runner; this file is the one place
//! that lists which plugin crates are linked in. Adding a built-in plugin family means adding
//! its crate to `Cargo.toml` and one line here.

#![deny(missing_docs)]

use restock_core::Registry;

/// A registry with every built-in plugin registered, language models live.
pub fn builtin_registry() -> Registry {
    builtin_registry_with_llm_mode(restock_llm::LlmMode::Live)
}

/// A registry with every built-in plugin registered, language models answering per `mode`
/// (live, or recording to / replaying from each model's `cassette`).
pub fn builtin_registry_with_llm_mode(mode: restock_llm::LlmMode) -> Registry {
    let mut registry = Registry::new();
    restock_files::register(&mut registry);
    restock_text::register(&mut registry);
    restock_privacy::register(&mut registry);
    restock_forecast::register(&mut registry);
    restock_lexicon::register(&mut registry);
    restock_llm::register_with_mode(&mut registry, mode);
    restock_web::register(&mut registry);
    restock_policy::register(&mut registry);
    registry
}

/// The plugin reference (`docs/plugins.md`): every type with its kind, doc, keys and example.
/// A test keeps the file equal to this; run it with `UPDATE_DOCS=1` to rewrite the file.
pub fn plugin_reference(registry: &Registry) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# Plugin reference\n\n\
         Generated from the registry by `cargo test --test docs` (set `UPDATE_DOCS=1` to \
         rewrite); `restock plugins --examples` prints the same.\n",
    );
    let outputs = restock_runner::output::TYPES.iter().map(|i| ("output", i));
    let all = registry
        .plugins()
        .into_iter()
        .map(|(kind, info)| (kind.as_str(), info))
        .chain(outputs);
    for (kind, info) in all {
        let _ = write!(
            out,
            "\n## `{}` ({kind})\n\n{}.\n\n| key | type | default | what it does |\n|---|---|---|---|\n",
            info.type_name,
            info.doc.trim_end_matches('.')
        );
        for key in info.keys {
            let default = match key.default {
                None => "required".to_owned(),
                // Prose defaults ("(not set)", "the main file's") are not TOML values.
                Some(d) if d.starts_with('(') || d.starts_with("the ") => d.to_owned(),
                Some(d) => format!("`{d}`"),
            };
            let ty = key.ty.replace('|', "\\|");
            let _ = writeln!(
                out,
                "| `{}` | {ty} | {default} | {} |",
                key.name,
                key.doc.replace('|', "\\|")
            );
        }
        let _ = write!(
            out,
            "\nExample:\n\n```toml\ntype = \"{}\"\n{}```\n",
            info.type_name, info.example
        );
    }
    out
}
