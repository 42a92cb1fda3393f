//! The messages between host and plugin, the same for a loaded library and for a process.
//!
//! Each message is one JSON object. A library receives and answers them through
//! [`crate::abi::CallFn`]; a process reads them from stdin and writes answers to stdout, each
//! framed by its length as a 4-byte big-endian unsigned integer ([`write_frame`],
//! [`read_frame`]). Every request carries an `id` the answer repeats, so a process may answer
//! out of order.
//!
//! ```text
//! → {"id":0,"method":"hello","protocol":1,"core_version":"0.1.0"}
//! ← {"id":0,"result":"hello","protocol":1,"plugin":"days-of-cover","version":"0.1.0",
//!    "components":[{"kind":"strategy","type_name":"days_of_cover","doc":"…","keys":[…],"example":"…"}]}
//! → {"id":1,"method":"create","kind":"strategy","type_name":"days_of_cover",
//!    "component":"policy","config":{"target_days":14},"base_dir":"/path/to/manifest/folder"}
//! ← {"id":1,"result":"created","instance":1}
//!   (or {"id":1,"result":"config_errors","errors":[{"path":["target_days"],"message":"…"}]})
//! → {"id":2,"method":"decide","instance":1,"dataset":{…},"outlook":{…},"context":{…}}
//! ← {"id":2,"result":"decisions","decisions":[…],"diagnostics":[],"quarantined":[]}
//!   (or {"id":2,"result":"error","failure":"panicked","message":"…"})
//! ```
//!
//! Records are the serde form of `restock_core`'s types, exactly as in the JSON report.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;

use restock_core::{
    ComponentKind, Dataset, Decision, Diagnostic, DocumentSentiment, Outlook, Quarantined,
};
use serde::{Deserialize, Serialize};

/// The version of these messages; `hello` carries it and both sides refuse another.
pub const PROTOCOL_VERSION: u32 = 1;

/// Frames larger than this are refused (1 GiB): a corrupted length must not allocate the
/// machine away.
pub const MAX_FRAME: u32 = 1 << 30;

/// A request with its id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Chosen by the host; the answer carries the same.
    pub id: u64,
    /// The message.
    #[serde(flatten)]
    pub body: T,
}

/// What the run knows that a component may ask its [`restock_core::Context`] for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContextData {
    /// "Today" for the run.
    pub as_of: chrono::NaiveDate,
    /// The component's name in the manifest.
    pub component: String,
    /// The run's cache folder.
    pub cache_dir: PathBuf,
}

/// Host → plugin.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Request {
    /// First message: versions. Answered by [`Response::Hello`].
    Hello {
        /// [`PROTOCOL_VERSION`] of the host.
        protocol: u32,
        /// The host's `restock-core` version.
        core_version: String,
    },
    /// Builds a component from its manifest table (without `type` and `name`).
    Create {
        /// Its kind.
        kind: ComponentKind,
        /// Its `type`.
        type_name: String,
        /// Its name in the manifest.
        component: String,
        /// Its keys, as plain JSON (TOML dates as strings).
        config: serde_json::Value,
        /// The manifest's folder: relative paths in `config` are relative to it.
        base_dir: PathBuf,
    },
    /// `Collector::collect`.
    Collect {
        /// From [`Response::Created`].
        instance: u64,
        /// The run.
        context: ContextData,
    },
    /// `Preprocessor::process`.
    Process {
        /// From [`Response::Created`].
        instance: u64,
        /// The dataset to transform.
        dataset: Dataset,
        /// The run.
        context: ContextData,
    },
    /// `Model::assess`.
    Assess {
        /// From [`Response::Created`].
        instance: u64,
        /// The dataset.
        dataset: Dataset,
        /// The outlook so far.
        outlook: Outlook,
        /// The outlook's sentiment per document (left out of `outlook`'s JSON form).
        #[serde(default)]
        documents: BTreeMap<String, DocumentSentiment>,
        /// The run.
        context: ContextData,
    },
    /// `Strategy::decide`.
    Decide {
        /// From [`Response::Created`].
        instance: u64,
        /// The dataset.
        dataset: Dataset,
        /// The outlook.
        outlook: Outlook,
        /// The run.
        context: ContextData,
    },
}

/// A component a plugin offers: what `restock plugins` shows and `validate` checks against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentDecl {
    /// Its kind.
    pub kind: ComponentKind,
    /// The `type` name in the manifest.
    pub type_name: String,
    /// One line on what it does.
    #[serde(default)]
    pub doc: String,
    /// Its configuration keys: the config schema.
    #[serde(default)]
    pub keys: Vec<KeyDecl>,
    /// An example table in TOML, without the `[[…]]` header.
    #[serde(default)]
    pub example: String,
}

/// One configuration key of a [`ComponentDecl`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyDecl {
    /// Key name.
    pub name: String,
    /// Value type as a user writes it (`integer`, `string`, `"a" | "b"`).
    #[serde(rename = "type", default)]
    pub ty: String,
    /// Default as TOML; absent when required.
    #[serde(default)]
    pub default: Option<String>,
    /// One line on what it does.
    #[serde(default)]
    pub doc: String,
}

/// One configuration mistake, at a key path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireConfigError {
    /// Keys from the component table down (`["costs", "holding"]`); array elements as `[i]`.
    #[serde(default)]
    pub path: Vec<String>,
    /// What is wrong.
    pub message: String,
}

/// How a call failed, on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireFailure {
    /// The plugin's code panicked (or raised an exception).
    Panicked,
    /// The component returned an error.
    Failed,
    /// The request could not be understood.
    Protocol,
}

/// Plugin → host.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Response {
    /// Answer to [`Request::Hello`].
    Hello {
        /// The plugin's [`PROTOCOL_VERSION`].
        protocol: u32,
        /// The plugin's name.
        plugin: String,
        /// The plugin's version.
        #[serde(default)]
        version: String,
        /// What it offers.
        components: Vec<ComponentDecl>,
    },
    /// Answer to [`Request::Create`]: the instance to name in later calls.
    Created {
        /// Chosen by the plugin.
        instance: u64,
    },
    /// Answer to [`Request::Create`]: the config has mistakes (all of them).
    ConfigErrors {
        /// Every mistake found.
        errors: Vec<WireConfigError>,
    },
    /// Answer to [`Request::Collect`] and [`Request::Process`].
    Dataset {
        /// The records.
        dataset: Dataset,
        /// What the component reported.
        #[serde(default)]
        diagnostics: Vec<Diagnostic>,
        /// Rows it set aside.
        #[serde(default)]
        quarantined: Vec<Quarantined>,
    },
    /// Answer to [`Request::Assess`]: the whole new outlook.
    Outlook {
        /// The outlook after the model.
        outlook: Outlook,
        /// Sentiment per document after the model.
        #[serde(default)]
        documents: BTreeMap<String, DocumentSentiment>,
        /// What the component reported.
        #[serde(default)]
        diagnostics: Vec<Diagnostic>,
        /// Rows it set aside.
        #[serde(default)]
        quarantined: Vec<Quarantined>,
    },
    /// Answer to [`Request::Decide`].
    Decisions {
        /// One per item decided.
        decisions: Vec<Decision>,
        /// What the component reported.
        #[serde(default)]
        diagnostics: Vec<Diagnostic>,
        /// Rows it set aside.
        #[serde(default)]
        quarantined: Vec<Quarantined>,
    },
    /// The call failed.
    Error {
        /// How.
        failure: WireFailure,
        /// What happened.
        message: String,
    },
}

/// Writes one frame: the length of `body` (4 bytes, big-endian), then `body`.
///
/// # Errors
/// The writer's, or `InvalidInput` when `body` is longer than [`MAX_FRAME`].
pub fn write_frame(writer: &mut impl Write, body: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(body.len())
        .ok()
        .filter(|&n| n <= MAX_FRAME)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "frame too large"))?;
    writer.write_all(&len.to_be_bytes())?;
    writer.write_all(body)?;
    writer.flush()
}

/// Reads one frame; `Ok(None)` at a clean end of input (before a length).
///
/// # Errors
/// The reader's; `UnexpectedEof` when the input ends inside a frame; `InvalidData` for a
/// length over [`MAX_FRAME`].
pub fn read_frame(reader: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    let mut filled = 0;
    while filled < 4 {
        match reader.read(&mut len[filled..])? {
            0 if filled == 0 => return Ok(None),
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => filled += n,
        }
    }
    let len = u32::from_be_bytes(len);
    if len > MAX_FRAME {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "a frame of {len} bytes was announced (its first 4 bytes, {:?}), over the \
                 {MAX_FRAME}-byte limit",
                String::from_utf8_lossy(&len.to_be_bytes())
            ),
        ));
    }
    let mut body = vec![0u8; len as usize];
    reader.read_exact(&mut body)?;
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_cut_frame_is_an_error() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"{\"id\":1}").unwrap();
        write_frame(&mut buf, b"").unwrap();
        assert_eq!(&buf[..4], &[0, 0, 0, 8]);
        let mut r = &buf[..];
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"{\"id\":1}");
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"");
        assert!(read_frame(&mut r).unwrap().is_none());
        let mut cut = &buf[..6];
        let err = read_frame(&mut cut).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn requests_are_tagged_by_method_with_the_id_beside() {
        let request = Envelope {
            id: 7,
            body: Request::Hello {
                protocol: 1,
                core_version: "0.1.0".into(),
            },
        };
        let json = serde_json::to_string(&request).unwrap();
        assert_eq!(
            json,
            r#"{"id":7,"method":"hello","protocol":1,"core_version":"0.1.0"}"#
        );
        let back: Envelope<Request> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.id, 7);
        let answer: Envelope<Response> =
            serde_json::from_str(r#"{"id":3,"result":"created","instance":2}"#).unwrap();
        assert!(matches!(answer.body, Response::Created { instance: 2 }));
    }
}
