//! Helpers shared by the tests that run the `restock` binary the way a user runs it. Each test
//! file uses some of them (hence `dead_code` is allowed: every file compiles its own copy).
#![allow(dead_code)]

use std::process::{Command, Output};

/// `restock ARGS`, run from the workspace root without the caller's `RUST_LOG` and
/// `RUST_BACKTRACE` (which would change what it prints); add to it before running.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_restock"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE");
    command
}

/// Runs `restock ARGS` (see [`command`]) to its end.
pub fn restock(args: &[&str]) -> Output {
    command(args).output().expect("the restock binary runs")
}

/// Output bytes as text (invalid UTF-8 replaced).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
