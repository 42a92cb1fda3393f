//! Runs docs/plugin-guide.md as a newcomer would: every ```` ```sh ```` block's commands in
//! order (`cd` changes the folder for the next ones), every ```` ```LANG file=PATH ```` block
//! written to PATH (relative to the current folder), and every ```` ```text contains ````
//! block's lines looked for in the output of the commands before it.
//!
//! Set-up the guide asks of the reader, done here: a Restock checkout at `../restock` (a
//! symbolic link to this workspace; dependency paths `"../restock/…"` in the files written are
//! given as this workspace's real path) and `restock` on `PATH` (the binary under test). The
//! guide's crate builds into this workspace's target folder (`CARGO_TARGET_DIR`, which its
//! manifest honours) with this workspace's lock file and profile for registry dependencies
//! (`.cargo/config.toml` above it), so those it shares with Restock are not compiled twice.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Debug)]
enum Step {
    Commands(Vec<String>),
    File { path: String, text: String },
    Contains(Vec<String>),
}

fn steps(markdown: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = Vec::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push(l.to_owned());
        }
        let words: Vec<&str> = info.split_whitespace().collect();
        let file = words.iter().find_map(|w| w.strip_prefix("file="));
        match (words.first().copied(), file) {
            (_, Some(path)) => steps.push(Step::File {
                path: path.to_owned(),
                text: body.join("\n") + "\n",
            }),
            (Some("sh"), None) => steps.push(Step::Commands(
                body.into_iter()
                    .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                    .collect(),
            )),
            (Some("text"), None) if words.get(1) == Some(&"contains") => {
                steps.push(Step::Contains(body))
            }
            _ => {}
        }
    }
    steps
}

/// The workspace's `[profile.dev.package."*"]` table, as its Cargo.toml writes it.
fn registry_profile() -> String {
    let text = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let mut lines = text
        .lines()
        .skip_while(|l| *l != "[profile.dev.package.\"*\"]");
    let header = lines
        .next()
        .expect("the workspace's Cargo.toml has a profile for its dependencies");
    let body: Vec<&str> = lines
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('['))
        .collect();
    format!("{header}\n{}\n", body.join("\n"))
}

/// The names of this workspace's packages (`name = "…"` of each member's `Cargo.toml`).
fn workspace_members() -> Vec<String> {
    let mut names = Vec::new();
    let root = Path::new(ROOT);
    let mut manifests = vec![root.join("Cargo.toml")];
    for folder in ["crates", "plugins", "crates/plugin/fixtures"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap().flatten() {
            manifests.push(entry.path().join("Cargo.toml"));
        }
    }
    manifests.push(root.join("examples/custom-plugin/Cargo.toml"));
    for manifest in manifests.iter().filter(|m| m.is_file()) {
        let text = std::fs::read_to_string(manifest).unwrap();
        if let Some(name) = text.lines().find_map(|l| {
            l.strip_prefix("name = \"")
                .and_then(|rest| rest.strip_suffix('"'))
        }) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(unix)]
#[test]
fn every_step_of_the_plugin_guide_works() {
    let guide = std::fs::read_to_string(Path::new(ROOT).join("docs/plugin-guide.md")).unwrap();
    let steps = steps(&guide);
    assert!(
        steps.len() >= 10,
        "the guide's steps were not found: {steps:?}"
    );

    let work = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(ROOT, work.path().join("restock")).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_restock")).parent().unwrap();
    let cargo_bin = Path::new(env!("CARGO")).parent().unwrap();
    let path = std::env::join_paths(
        [bin.to_path_buf(), cargo_bin.to_path_buf()]
            .into_iter()
            .chain(std::env::split_paths(
                &std::env::var_os("PATH").unwrap_or_default(),
            )),
    )
    .unwrap();
    let target = Path::new(ROOT).join("target");
    // The workspace's profile for the registry dependencies (a config file above the guide's
    // crate), so those it shares with Restock are reused, not rebuilt. Restock's own crates are
    // rebuilt whatever we do (cargo keys a path dependency's artifacts by its path relative to
    // the workspace root, which differs): without debug information, they build sooner.
    let mut config = registry_profile();
    for member in workspace_members() {
        config.push_str(&format!(
            "[profile.dev.package.{member}]\nopt-level = 0\ndebug = false\n"
        ));
    }
    std::fs::create_dir_all(work.path().join(".cargo")).unwrap();
    std::fs::write(work.path().join(".cargo/config.toml"), config).unwrap();

    let mut cwd: PathBuf = work.path().to_path_buf();
    let mut output = String::new();
    for step in &steps {
        match step {
            Step::File { path, text } => {
                let file = cwd.join(path);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                // `../restock` is this workspace: named by its real path, cargo sees the same
                // packages as the workspace build (a path through the link would be new ones).
                let text = text.replace("\"../restock/", &format!("\"{ROOT}/"));
                std::fs::write(&file, text).unwrap();
            }
            Step::Commands(commands) => {
                output.clear();
                for command in commands {
                    if let Some(dir) = command.strip_prefix("cd ") {
                        cwd = cwd.join(dir.trim());
                        // The new crate pins what Restock pins: no resolution, no download.
                        if cwd.join("Cargo.toml").exists() && !cwd.join("Cargo.lock").exists() {
                            std::fs::copy(
                                Path::new(ROOT).join("Cargo.lock"),
                                cwd.join("Cargo.lock"),
                            )
                            .unwrap();
                        }
                        continue;
                    }
                    let out = Command::new("sh")
                        .args(["-c", command])
                        .current_dir(&cwd)
                        .env("PATH", &path)
                        .env("CARGO_TARGET_DIR", &target)
                        .env("CARGO_INCREMENTAL", "0")
                        .env("CARGO_TERM_COLOR", "never")
                        .env_remove("RUST_LOG")
                        .env_remove("CI")
                        .output()
                        .unwrap_or_else(|e| panic!("`{command}` did not start: {e}"));
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    assert!(
                        out.status.success(),
                        "`{command}` (in {}) failed with {}:\n{stdout}\n{stderr}",
                        cwd.display(),
                        out.status
                    );
                    output.push_str(&stdout);
                }
            }
            Step::Contains(lines) => {
                for line in lines {
                    assert!(
                        output.lines().any(|l| l == line),
                        "the guide shows\n  {line}\nbut the commands printed:\n{output}"
                    );
                }
            }
        }
    }
    let snapshot = cwd.join("tests/snapshots/pipeline__decisions.snap");
    let snapshot = std::fs::read_to_string(&snapshot).expect("the guide's test wrote a snapshot");
    assert!(
        snapshot.contains("\"policy\": \"up_to_level\""),
        "{snapshot}"
    );
    assert!(snapshot.contains("\"order_quantity\": 12.0"), "{snapshot}");
}

#[test]
fn the_guide_parser_finds_commands_files_and_expected_output() {
    let steps = steps(
        "# t\n```sh\ncargo new x\n# a comment\ncd x\n```\n```toml file=Cargo.toml\n[package]\n```\n\
         ```text contains\nok\n```\n```rust\nignored\n```\n",
    );
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert!(matches!(&steps[0], Step::Commands(c) if c == &["cargo new x", "cd x"]));
    assert!(
        matches!(&steps[1], Step::File { path, text } if path == "Cargo.toml" && text == "[package]\n")
    );
    assert!(matches!(&steps[2], Step::Contains(l) if l == &["ok"]));
}
