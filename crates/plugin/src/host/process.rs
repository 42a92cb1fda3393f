//! Process plugins: a command speaking [`crate::protocol`] over its stdin and stdout.
//!
//! One reader thread per process reads answers and hands each to the call waiting for its id.
//! When the process exits or closes its output, every waiting call and every later one fails
//! with [`PluginFailure::Exited`] and the exit status; the host goes on.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Component, Path, PathBuf};
use std::process::ExitStatus;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use restock_core::PluginFailure;

use crate::protocol::{Envelope, Request, Response, read_frame, write_frame};

use super::{Connection, LoadError, Reply};

struct State {
    waiting: HashMap<u64, Reply>,
    /// Every id sent so far: an answer to an id never sent breaks the protocol (an answer to
    /// one sent but no longer waited for is late, after a timeout, and dropped).
    sent: std::collections::HashSet<u64>,
    /// Why the connection is over, once it is.
    closed: Option<(PluginFailure, String)>,
}

pub(super) struct Process {
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    state: Arc<Mutex<State>>,
    child: Arc<Mutex<Child>>,
}

/// The `id` of a frame that is a JSON object with one.
fn framed_id(frame: &[u8]) -> Option<u64> {
    serde_json::from_slice::<serde_json::Value>(frame)
        .ok()?
        .get("id")?
        .as_u64()
}

/// Said of a process whose output is not the protocol: the usual cause.
const STDOUT_HINT: &str = " (is it printing to stdout? A plugin's stdout carries only \
     length-prefixed protocol messages; log to stderr)";

/// How long a process plugin may take to exit after its stdin closes before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(1);

/// Polls `child` until it exits or `limit` passes; its status when it did.
fn wait_for(child: &Mutex<Child>, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        match child.lock().expect("child").try_wait() {
            Ok(Some(status)) => return Some(status),
            Err(_) => return None,
            Ok(None) if Instant::now() >= deadline => return None,
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

impl Drop for Process {
    /// When the last component of the plugin is gone: close its stdin (the protocol's "we are
    /// done"), give it [`EXIT_GRACE`] to exit, then kill it, so that no plugin process outlives
    /// the run (one stuck in a call included).
    fn drop(&mut self) {
        // A writer stuck on a plugin that stops reading holds the lock: then the kill below
        // ends its write.
        if let Ok(mut stdin) = self.stdin.try_lock() {
            drop(stdin.take());
        }
        if wait_for(&self.child, EXIT_GRACE).is_none() {
            let mut child = self.child.lock().expect("child");
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `command` (program and arguments) in `dir`. A program given with a `/` is resolved
/// against `dir`; a bare name is looked up on `PATH`.
pub(super) fn spawn(command: &[String], dir: &Path) -> Result<Arc<dyn Connection>, LoadError> {
    let Some((program, args)) = command.split_first() else {
        return Err(LoadError::Spawn {
            command: String::new(),
            message: "the command is empty".into(),
        });
    };
    // Where the program is looked for (said if it cannot be started).
    let (program_path, looked_for) = if program.contains('/') || program.contains('\\') {
        let path = dir.join(program);
        let shown: PathBuf = path
            .components()
            .filter(|c| *c != Component::CurDir)
            .collect();
        let looked_for = format!("looked for {}", shown.display());
        (path, looked_for)
    } else {
        let looked_for = format!("`{program}` is looked up on PATH");
        (PathBuf::from(program), looked_for)
    };
    let mut child = Command::new(&program_path)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| LoadError::Spawn {
            command: command.join(" "),
            message: format!("{e} ({looked_for})"),
        })?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().expect("stdout is piped");
    let state = Arc::new(Mutex::new(State {
        waiting: HashMap::new(),
        sent: std::collections::HashSet::new(),
        closed: None,
    }));
    let reader_state = state.clone();
    let name = command.join(" ");
    let child = Arc::new(Mutex::new(child));
    let reader_child = child.clone();
    std::thread::Builder::new()
        .name("restock-plugin-reader".into())
        .spawn(move || read_answers(stdout, reader_child, reader_state, name))
        .map_err(|e| LoadError::Spawn {
            command: command.join(" "),
            message: e.to_string(),
        })?;
    Ok(Arc::new(Process {
        stdin: Arc::new(Mutex::new(stdin)),
        state,
        child,
    }))
}

fn read_answers(
    stdout: std::process::ChildStdout,
    child: Arc<Mutex<Child>>,
    state: Arc<Mutex<State>>,
    name: String,
) {
    let mut reader = BufReader::new(stdout);
    let why = loop {
        match read_frame(&mut reader) {
            Ok(Some(frame)) => match serde_json::from_slice::<Envelope<Response>>(&frame) {
                // Well framed, JSON, with an id, but not an answer we can read: that call
                // fails; the plugin's other calls go on.
                Err(e) if let Some(id) = framed_id(&frame) => {
                    let reply = state.lock().expect("state").waiting.remove(&id);
                    if let Some(reply) = reply {
                        reply(Err((
                            PluginFailure::Protocol,
                            format!("unreadable answer from `{name}`: {e}"),
                        )));
                    }
                }
                Ok(answer) => {
                    let (reply, known) = {
                        let mut state = state.lock().expect("state");
                        let known = state.sent.contains(&answer.id);
                        (state.waiting.remove(&answer.id), known)
                    };
                    match reply {
                        Some(reply) => reply(Ok(answer.body)),
                        None if !known => {
                            break (
                                PluginFailure::Protocol,
                                format!(
                                    "`{name}` answered request {}, which was never sent (an \
                                     answer repeats its request's `id`)",
                                    answer.id
                                ),
                            );
                        }
                        None => {}
                    }
                }
                Err(e) => {
                    break (
                        PluginFailure::Protocol,
                        format!("unreadable answer from `{name}`: {e}{STDOUT_HINT}"),
                    );
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                break (
                    PluginFailure::Protocol,
                    format!("`{name}` does not speak Restock's plugin protocol: {e}{STDOUT_HINT}"),
                );
            }
            Ok(None) | Err(_) => {
                // Output closed: the process is exiting (or closed stdout and lives on).
                let status = match wait_for(&child, Duration::from_secs(5)) {
                    Some(status) => status.to_string(),
                    None => "still running, its output closed".to_owned(),
                };
                break (
                    PluginFailure::Exited,
                    format!("the process `{name}` ended before answering ({status})"),
                );
            }
        }
    };
    if why.0 == PluginFailure::Protocol {
        let mut child = child.lock().expect("child");
        let _ = child.kill();
        let _ = child.wait();
    }
    let waiting: Vec<Reply> = {
        let mut state = state.lock().expect("state");
        state.closed = Some(why.clone());
        state.waiting.drain().map(|(_, r)| r).collect()
    };
    for reply in waiting {
        reply(Err(why.clone()));
    }
}

impl Connection for Process {
    fn send(&self, id: u64, request: Request, reply: Reply) {
        let body = match super::encode(id, request) {
            Ok(b) => b,
            Err(why) => return reply(Err(why)),
        };
        {
            let mut state = self.state.lock().expect("state");
            if let Some(why) = state.closed.clone() {
                drop(state);
                return reply(Err(why));
            }
            state.waiting.insert(id, reply);
            state.sent.insert(id);
        }
        // Written on a thread of its own: a plugin that stops reading its input must not block
        // the caller (whose timeout would then never start).
        let stdin = self.stdin.clone();
        let state = self.state.clone();
        let spawned = std::thread::Builder::new()
            .name("restock-plugin-writer".into())
            .spawn(move || {
                let written = match stdin.lock().expect("stdin").as_mut() {
                    Some(stdin) => write_frame(stdin, &body),
                    None => Err(std::io::ErrorKind::BrokenPipe.into()),
                };
                if let Err(e) = written {
                    // The reader thread reports the exit to waiting calls; if it already has,
                    // this call is still waiting and is answered here.
                    let reply = state.lock().expect("state").waiting.remove(&id);
                    if let Some(reply) = reply {
                        reply(Err((
                            PluginFailure::Exited,
                            format!("the plugin process no longer reads its input ({e})"),
                        )));
                    }
                }
            });
        if let Err(e) = spawned {
            let reply = self.state.lock().expect("state").waiting.remove(&id);
            if let Some(reply) = reply {
                reply(Err((PluginFailure::Exited, format!("cannot write: {e}"))));
            }
        }
    }
}
