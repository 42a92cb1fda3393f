//! Answers on disk: one JSON file per request key under `{cache_dir}/llm/`, written as soon as
//! the answer is validated, atomically (a temporary file in the same folder, then a rename), so
//! a run killed halfway leaves only whole answers and a restart repeats no finished call.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::assessment::Answer;

/// Bumped when the stored shape changes; older files are then ignored.
const VERSION: u32 = 1;

/// One stored answer: what the model said (validated) and what it cost to get it. It holds no
/// request header and no key: the key is neither in the hash nor in the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub version: u32,
    /// The model that answered, as configured.
    pub model: String,
    /// Documents the request carried.
    pub documents: Vec<String>,
    pub answer: Answer,
    /// Requests the answer took (2 after a correction round).
    pub requests: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl Entry {
    pub(crate) fn new(
        model: &str,
        documents: &[String],
        answer: Answer,
        (requests, input_tokens, output_tokens): (u64, u64, u64),
    ) -> Self {
        Entry {
            version: VERSION,
            model: model.to_owned(),
            documents: documents.to_vec(),
            answer,
            requests,
            input_tokens,
            output_tokens,
        }
    }
}

/// The folder of answers.
#[derive(Debug, Clone)]
pub(crate) struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache under `cache_dir/folder` (`llm-replay` for answers replayed from a cassette,
    /// kept apart from the live ones).
    pub(crate) fn in_folder(cache_dir: &Path, folder: &str) -> Self {
        Cache {
            dir: cache_dir.join(folder),
        }
    }

    /// The cache under `cache_dir/llm`.
    pub(crate) fn new(cache_dir: &Path) -> Self {
        Cache {
            dir: cache_dir.join("llm"),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// Whether an answer for `key` is stored (for `plan`).
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.read(key).is_some()
    }

    /// The stored answer for `key`; a missing, unreadable or older file is a miss.
    pub(crate) fn read(&self, key: &str) -> Option<Entry> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.version == VERSION).then_some(entry)
    }

    /// Stores `entry` for `key`: written to a temporary file beside it, flushed, then renamed
    /// over the final name, so a reader never sees half a file.
    pub(crate) fn write(&self, key: &str, entry: &Entry) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let json = serde_json::to_vec_pretty(entry).map_err(std::io::Error::other)?;
        let temporary = self.dir.join(format!(
            ".{key}.{}.{:016x}.tmp",
            std::process::id(),
            fastrand::u64(..)
        ));
        let result = (|| {
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&json)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            std::fs::rename(&temporary, self.path(key))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        result
    }
}
