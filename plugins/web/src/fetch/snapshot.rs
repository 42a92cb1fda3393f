//! Saved pages: every page fetched can be written to a folder (`snapshot_dir`) and read back
//! from it instead of the network (`offline = true`), so a scrape can be re-run and tested
//! deterministically. A page is stored as the body received (decompressed, not yet decoded) in
//! `<hash>.body`, the hash a stable FNV-1a 64 of the requested URL; `index.json` maps each
//! requested URL to its file, the final URL (after redirects), the HTTP status, the
//! `Content-Type` and the character set the page was decoded with. Replay decodes the saved
//! bytes with the saved `Content-Type`, so it gives the same text as the live fetch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The index's file name inside the snapshot folder.
pub const INDEX_FILE: &str = "index.json";

/// One saved page, as listed in `index.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The page's file in the folder.
    pub file: String,
    /// The URL the body came from (after redirects).
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header, when there was one.
    #[serde(default)]
    pub content_type: Option<String>,
    /// The character set the page was decoded with (WHATWG name).
    pub charset: String,
}

/// The stable name of `url`'s file: FNV-1a 64 of its bytes, in hex.
pub fn file_name(url: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in url.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}.body")
}

/// Writes to one folder are serialised across fetchers (two collectors may share a folder).
static WRITE: Mutex<()> = Mutex::new(());

/// A snapshot folder, for recording or replay.
pub(crate) struct Snapshots {
    dir: PathBuf,
    replay: bool,
    index: BTreeMap<String, Entry>,
}

impl Snapshots {
    /// Opens `dir`; for replay its index must exist and parse.
    pub(crate) fn open(dir: &Path, replay: bool) -> Result<Self, String> {
        let index_path = dir.join(INDEX_FILE);
        let index = match std::fs::read_to_string(&index_path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| format!("{} is not a snapshot index: {e}", index_path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !replay => BTreeMap::new(),
            Err(e) => {
                return Err(format!(
                    "offline: cannot read the snapshot index {}: {e} (run once without `offline` to record the pages)",
                    index_path.display()
                ));
            }
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            replay,
            index,
        })
    }

    /// Whether pages are read from the folder instead of the network.
    pub(crate) fn replay(&self) -> bool {
        self.replay
    }

    /// The folder.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The saved page for `url` and its body, if it was saved.
    pub(crate) fn load(&self, url: &str) -> Result<Option<(Entry, Vec<u8>)>, String> {
        let Some(entry) = self.index.get(url) else {
            return Ok(None);
        };
        let path = self.dir.join(&entry.file);
        let body = std::fs::read(&path)
            .map_err(|e| format!("{url}: cannot read the saved page {}: {e}", path.display()))?;
        Ok(Some((entry.clone(), body)))
    }

    /// Saves `body` for `requested`, and rewrites the index (merged with what other fetchers
    /// wrote to the same folder meanwhile).
    pub(crate) fn save(&self, requested: &str, entry: Entry, body: &[u8]) -> Result<(), String> {
        let _guard = WRITE.lock().unwrap_or_else(|e| e.into_inner());
        let fail = |what: &Path, e: std::io::Error| format!("snapshot {}: {e}", what.display());
        std::fs::create_dir_all(&self.dir).map_err(|e| fail(&self.dir, e))?;
        let path = self.dir.join(&entry.file);
        std::fs::write(&path, body).map_err(|e| fail(&path, e))?;
        let index_path = self.dir.join(INDEX_FILE);
        let mut index: BTreeMap<String, Entry> = std::fs::read_to_string(&index_path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        index.insert(requested.to_owned(), entry);
        let mut text = serde_json::to_string_pretty(&index).expect("an index serialises");
        text.push('\n');
        let tmp = self.dir.join(format!("{INDEX_FILE}.tmp"));
        std::fs::write(&tmp, text).map_err(|e| fail(&tmp, e))?;
        std::fs::rename(&tmp, &index_path).map_err(|e| fail(&index_path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_stable() {
        assert_eq!(file_name(""), "cbf29ce484222325.body");
        assert_eq!(file_name("a"), "af63dc4c8601ec8c.body");
        assert_ne!(file_name("http://x/1"), file_name("http://x/2"));
    }
}
