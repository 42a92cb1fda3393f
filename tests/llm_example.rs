//! `examples/olist/pipeline-llm.toml`, run through the library against an OpenAI-compatible
//! server on 127.0.0.1 that this test starts: the first request is answered 429 with
//! `Retry-After: 1`, every request (that one's retry included) with a schema-valid answer made
//! from the request itself. Issue 5's acceptance: the run completes, every category with review
//! text gets the LLM's assessment, the usage counts the retry, a second run on the same cache
//! sends nothing, and the API key is written nowhere.
//!
//! The same run replays from the example's cassette (`examples/olist/cassettes/`) with no
//! server and no network, snapshotted whole; the ignored `record_the_olist_cassette` records it.
//!
//! The server is blocking `std::net` on threads, not tokio: the root crate's tokio has no `net`
//! feature of its own.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use restock_core::{LlmAssessment, LlmUsage};
use restock_runner::report::Report;
use restock_runner::{RunOptions, load, run};
use restock_testkit::{Kit, LlmMode};
use serde_json::{Value, json};

const MANIFEST: &str = "examples/olist/pipeline-llm.toml";
/// The manifest's `cassette`, from the repository root.
const CASSETTE: &str = "examples/olist/cassettes/olist-llm.jsonl";
const KEY: &str = "sk-test-olist-0123456789abcdef";

/// A minimal OpenAI-compatible server: HTTP/1.1, one request per connection.
struct Server {
    base_url: String,
    /// Requests read, the refused first one included.
    calls: Arc<AtomicUsize>,
    /// Every request as received: when, its `Authorization` header, its body.
    log: Arc<Mutex<Vec<Received>>>,
}

struct Received {
    at: Instant,
    authorization: Option<String>,
    body: Vec<u8>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        let calls = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (calls.clone(), log.clone());
        // Lives as long as the test process; each connection gets its own thread.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (count, seen) = (count.clone(), seen.clone());
                std::thread::spawn(move || serve(stream, &count, &seen));
            }
        });
        Server {
            base_url,
            calls,
            log,
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream, calls: &AtomicUsize, log: &Mutex<Vec<Received>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let (mut length, mut authorization) = (0, None);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "authorization" => authorization = Some(value.trim().to_owned()),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    log.lock().unwrap().push(Received {
        at: Instant::now(),
        authorization,
        body: body.clone(),
    });
    let first = calls.fetch_add(1, Ordering::SeqCst) == 0;
    let (status, extra, body) = if first {
        (
            "429 Too Many Requests",
            "Retry-After: 1\r\n",
            r#"{"error": {"message": "rate limited", "type": "requests"}}"#.to_owned(),
        )
    } else {
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        ("200 OK", "", completion(&request).to_string())
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}connection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = stream;
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

/// A chat completion answering `request` by a fixed rule: the ids are the ones the prompt
/// listed (`[id] date …` lines after "Documents:"), the trend follows the number of documents,
/// the first id is cited. Usage is reported, derived from the body's length.
fn completion(request: &Value) -> Value {
    let prompt = request["messages"]
        .as_array()
        .and_then(|messages| messages.iter().find(|m| m["role"] == "user"))
        .and_then(|message| message["content"].as_str())
        .unwrap_or_default();
    let lines: Vec<&str> = prompt
        .split_once("\nDocuments:\n")
        .map(|(_, documents)| documents.lines().collect())
        .unwrap_or_default();
    let ids: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix('[')?.split_once("] "))
        .map(|(id, _)| id)
        .collect();
    let stockout_mentions = lines
        .iter()
        .filter(|line| line.to_lowercase().contains("estoque"))
        .count()
        .min(ids.len());
    let trend = match ids.len() {
        0..=4 => "decrease",
        5..=19 => "stable",
        _ => "increase",
    };
    let answer = json!({
        "trend": trend,
        "confidence": 0.6,
        "demand_drivers": ["reviews read"],
        "risks": if stockout_mentions > 0 { json!(["stock-outs mentioned"]) } else { json!([]) },
        "stockout_mentions": stockout_mentions,
        "quality_issues": [],
        "summary": format!("{} reviews read.", ids.len()),
        "supporting_document_ids": ids.first().map(|id| vec![*id]).unwrap_or_default(),
    });
    json!({
        "id": "chatcmpl-loopback",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request["model"],
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": answer.to_string() },
            "finish_reason": "stop",
        }],
        "usage": { "prompt_tokens": prompt.len() / 4, "completion_tokens": 40 },
    })
}

/// Runs the example through the library, as `restock run` would with `RESTOCK_LLM_BASE_URL`
/// and `OPENAI_API_KEY` set, writing to `out` and caching under `cache`.
fn run_example(base_url: &str, out: &Path, cache: &Path) -> Report {
    let registry = restock::builtin_registry();
    let env = |name: &str| match name {
        "RESTOCK_LLM_BASE_URL" => Some(base_url.to_owned()),
        "OPENAI_API_KEY" => Some(KEY.to_owned()),
        _ => None,
    };
    let mut pipeline = load(Path::new(MANIFEST), &registry, &env).unwrap_or_else(|e| panic!("{e}"));
    pipeline.manifest.pipeline.cache_dir = cache.to_path_buf();
    let options = RunOptions {
        out_dir: Some(out.to_path_buf()),
        progress: Arc::new(restock_runner::progress::TerminalProgress::new(false)),
        secrets: Arc::new(|_| None),
    };
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(run(pipeline, options))
        .unwrap_or_else(|e| panic!("{e}"))
        .report
}

fn assessments(report: &Report) -> BTreeMap<String, LlmAssessment> {
    report
        .outlook
        .items
        .iter()
        .filter_map(|(item, outlook)| Some((item.clone(), outlook.llm.as_ref()?.value.clone())))
        .collect()
}

fn usage(report: &Report) -> LlmUsage {
    report
        .outlook
        .usage
        .get("llm")
        .expect("usage of `llm`")
        .clone()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn olist_llm_example_survives_a_429_caches_every_answer_and_never_writes_the_key() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));

    let report = run_example(&server.base_url, &out, &cache);

    // The refused request was sent again, the same, no sooner than Retry-After: 1 asked.
    {
        let log = server.log.lock().unwrap();
        let retry = log[1..]
            .iter()
            .find(|r| r.body == log[0].body)
            .expect("the refused request is sent again");
        let waited = retry.at - log[0].at;
        assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
        // The key was sent to the server with every request (and, below, written nowhere).
        assert!(
            log.iter()
                .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {KEY}"))),
            "a request without the key"
        );
    }

    // Every category with review text has the model's reading; none failed.
    let llm = assessments(&report);
    let with_text: Vec<&String> = report
        .outlook
        .items
        .iter()
        .filter(|(_, item)| {
            item.sentiment
                .as_ref()
                .is_some_and(|s| s.value.documents > 0)
        })
        .map(|(name, _)| name)
        .collect();
    assert!(with_text.len() >= 50, "{} categories", with_text.len());
    assert_eq!(llm.keys().collect::<Vec<_>>(), with_text);
    for (item, outlook) in &report.outlook.items {
        assert!(
            !outlook.errors.iter().any(|e| e.starts_with("llm:")),
            "{item}: {:?}",
            outlook.errors
        );
    }
    for (item, assessment) in &llm {
        // One id cited per request, joined across an item's requests.
        let cited = assessment.supporting_document_ids.len() as u64;
        assert!((1..=assessment.requests).contains(&cited), "{item}");
        assert!(
            assessment.documents > 0 && assessment.requests > 0,
            "{item}"
        );
    }

    // The strategy reads the model: where it weighed the language-model trend, the rationale
    // says so and the review the model cited is among the decision's evidence.
    let weighed: Vec<_> = report
        .decisions
        .iter()
        .filter(|d| d.rationale.contains("language-model trend"))
        .collect();
    assert!(!weighed.is_empty(), "no decision weighed the LLM trend");
    for decision in weighed {
        let cited = &llm[&decision.product_id].supporting_document_ids[0];
        assert!(
            decision.evidence.contains(cited),
            "{}: {cited} not in {:?}",
            decision.product_id,
            decision.evidence
        );
    }

    // The usage counts the refused request and its retry, and every request the server read.
    let first = usage(&report);
    assert!(first.retries >= 1, "{first:?}");
    assert_eq!(first.requests, server.calls() as u64, "{first:?}");
    assert_eq!(
        first.requests,
        llm.values().map(|a| a.requests).sum::<u64>() + first.retries,
        "{first:?}"
    );
    assert_eq!((first.cache_hits, first.failed_items), (0, 0), "{first:?}");
    assert!(
        first.input_tokens > 0 && first.output_tokens > 0,
        "{first:?}"
    );
    assert!(first.estimated_cost > 0.0, "{first:?}");
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    let row = format!(
        "| `llm` ({}) | {} | {} | 0 |",
        first.model, first.requests, first.retries
    );
    assert!(summary.contains("## LLM usage"), "{summary}");
    assert!(summary.contains(&row), "no `{row}` in\n{summary}");

    // A second run on the same cache asks nothing and reads the same answers.
    let calls = server.calls();
    let out_again = dir.path().join("out-again");
    let again = run_example(&server.base_url, &out_again, &cache);
    assert_eq!(server.calls(), calls, "the second run made HTTP calls");
    assert_eq!(assessments(&again), llm);
    let second = usage(&again);
    assert_eq!((second.requests, second.retries), (0, 0), "{second:?}");
    assert_eq!(
        second.cache_hits,
        llm.values().map(|a| a.requests).sum::<u64>(),
        "{second:?}"
    );

    for file in files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(KEY),
            "the API key is in {}",
            file.display()
        );
    }
    assert!(
        files_under(&cache).len() as u64 >= first.requests - first.retries,
        "one cache file per answer"
    );

    // The model's reading per category (deterministic: the packing and the server's rule) and
    // the usage, whose request and retry counts depend on timing and are redacted.
    // One line per category: trend, confidence, documents / requests, stock-out mentions,
    // the cited id and the summary.
    let lines: BTreeMap<&String, String> = llm
        .iter()
        .map(|(item, a)| {
            let line = format!(
                "{:?} {:.3} docs={} requests={} stockouts={} cites={} {:?}",
                a.trend,
                a.confidence,
                a.documents,
                a.requests,
                a.stockout_mentions,
                a.supporting_document_ids.join(","),
                a.summary
            );
            (item, line)
        })
        .collect();
    let mut first = serde_json::to_value(&first).unwrap();
    first["requests"] = json!("[requests]");
    first["retries"] = json!("[retries]");
    insta::assert_json_snapshot!("olist_llm", json!({ "usage": first, "assessments": lines }));
}

/// The categories with review text, each with the model's assessment and no `llm:` error.
fn assert_every_category_with_text_assessed(report: &Report) -> BTreeMap<String, LlmAssessment> {
    let llm = assessments(report);
    let with_text: Vec<&String> = report
        .outlook
        .items
        .iter()
        .filter(|(_, item)| {
            item.sentiment
                .as_ref()
                .is_some_and(|s| s.value.documents > 0)
        })
        .map(|(name, _)| name)
        .collect();
    assert!(with_text.len() >= 50, "{} categories", with_text.len());
    assert_eq!(llm.keys().collect::<Vec<_>>(), with_text);
    for (item, outlook) in &report.outlook.items {
        assert!(
            !outlook.errors.iter().any(|e| e.starts_with("llm:")),
            "{item}: {:?}",
            outlook.errors
        );
    }
    llm
}

/// Records `examples/olist/cassettes/olist-llm.jsonl` (deleted first: record appends) through
/// the test kit in record mode, with a fresh cache so every request is sent. Against the
/// scripted server above (429 first, then answers made from the request) unless
/// `RESTOCK_LLM_BASE_URL` is set: then against that server, with `OPENAI_API_KEY` and
/// `RESTOCK_LLM_MODEL` from the environment. Review the cassette's diff, then the snapshot of
/// `olist_llm_example_replays_its_cassette_with_no_network`.
#[test]
#[ignore = "rewrites examples/olist/cassettes/olist-llm.jsonl"]
fn record_the_olist_cassette() {
    let cassette = Path::new(CASSETTE);
    match std::fs::remove_file(cassette) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("cannot delete {}: {e}", cassette.display()),
    }
    let mut kit = Kit::new().mode(LlmMode::Record);
    let mut key = std::env::var("OPENAI_API_KEY").unwrap_or_default();
    let server = std::env::var_os("RESTOCK_LLM_BASE_URL")
        .is_none()
        .then(Server::start);
    if let Some(server) = &server {
        key = KEY.to_owned();
        kit = kit
            .env("RESTOCK_LLM_BASE_URL", &server.base_url)
            .env("OPENAI_API_KEY", KEY)
            .env("RESTOCK_LLM_MODEL", "gpt-4o-mini");
    }

    let run = kit.run(MANIFEST).unwrap_or_else(|e| panic!("{e}"));
    assert_every_category_with_text_assessed(&run.report);

    let text = std::fs::read_to_string(cassette).expect("the cassette was written");
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines > 0, "an empty cassette");
    if let Some(server) = &server {
        assert_eq!(
            lines,
            server.calls(),
            "one line per request the server read"
        );
    }
    if !key.trim().is_empty() {
        assert!(!text.contains(&key), "the API key is in the cassette");
    }
    let lower = text.to_ascii_lowercase();
    assert!(
        !lower.contains("authorization") && !lower.contains("bearer"),
        "a request header is in the cassette"
    );
}

/// The example as CI runs it: every answer from the cassette, no server started, no socket
/// opened (replay cannot reach the network), no key; the whole report snapshotted.
#[test]
fn olist_llm_example_replays_its_cassette_with_no_network() {
    let run = Kit::new()
        .mode(LlmMode::Replay)
        .run(MANIFEST)
        .unwrap_or_else(|e| panic!("{e}"));
    // Replayed answers are cached apart: a later live run must never serve them as the model's.
    let cache = run.cache_dir.path();
    assert!(!cache.join("llm").exists(), "replay wrote the live cache");
    assert!(
        cache
            .join("llm-replay")
            .read_dir()
            .unwrap()
            .next()
            .is_some()
    );
    let report = run.report;
    let llm = assert_every_category_with_text_assessed(&report);
    assert!(llm.values().all(|a| a.requests > 0 && a.documents > 0));
    let usage = usage(&report);
    assert_eq!((usage.failed_items, usage.cache_hits), (0, 0), "{usage:?}");
    assert_eq!(
        usage.requests,
        llm.values().map(|a| a.requests).sum::<u64>() + usage.retries,
        "{usage:?}"
    );
    // The part of the report this example adds over olist_example's snapshot: the usage, the
    // assessment per category, and what each decision made of it (small enough to read).
    let full = restock_testkit::redacted(&report);
    let llm_part = json!({
        "usage": full["outlook"]["usage"],
        "llm": full["outlook"]["items"]
            .as_object()
            .map(|items| items
                .iter()
                .filter_map(|(k, v)| v.get("llm").map(|l| (k.clone(), l.clone())))
                .collect::<serde_json::Map<_, _>>()),
        "decisions": full["decisions"]
            .as_array()
            .map(|ds| ds
                .iter()
                .map(|d| json!({
                    "product_id": d["product_id"],
                    "action": d["action"],
                    "order_quantity": d["order_quantity"],
                    "demand_adjustment": d["demand_adjustment"],
                    "evidence": d["evidence"],
                }))
                .collect::<Vec<_>>()),
    });
    insta::assert_json_snapshot!("olist_llm_replay", llm_part);
}
