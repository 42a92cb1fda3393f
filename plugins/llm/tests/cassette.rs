//! Cassettes: record against a scripted loopback server, then replay with no network — the same
//! answers, retries replayed as recorded, a changed prompt a loud typed error, and the key never
//! in the file.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use restock_core::context::NoProgress;
use restock_core::{
    BuildContext, Context, Dataset, Document, DocumentKind, MemorySink, Model, Outlook, Product,
    Provenance,
};
use restock_llm::model::{OpenAiChat, OpenAiChatConfig};
use restock_llm::{ApiKey, ChatClient, ChatRequest, ClientConfig, LlmError, LlmMode, Message};
use serde_json::json;
use support::{Reply, Server};

const KEY: &str = "sk-test-SECRET-0123456789";

/// A base URL where nothing listens: any network attempt fails with a transport error.
async fn dead_base_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}/v1")
}

fn with_tape(mut config: ClientConfig, mode: LlmMode, cassette: &Path) -> ClientConfig {
    config.mode = mode;
    config.cassette = Some(cassette.to_path_buf());
    config.api_key = Some(ApiKey::new(KEY));
    config
}

fn question(text: &str) -> ChatRequest {
    ChatRequest::new(vec![
        Message::system("Answer in JSON."),
        Message::user(text),
    ])
}

#[tokio::test]
async fn a_recording_replays_the_same_answers_and_retries_with_no_network() {
    let dir = tempfile::tempdir().unwrap();
    let cassette = dir.path().join("cassettes/test.jsonl");
    // The server quotes the key back (as OpenAI's 401 does) in a header and in a body.
    let server = Server::start(vec![
        Reply::status(429, &format!(r#"{{"error":"slow down, {KEY}"}}"#))
            .with_header("Retry-After", "0")
            .with_header("x-echo-key", KEY),
        Reply::ok(r#"{"answer": 1}"#),
        Reply::ok(&format!(r#"{{"answer": 2, "echo": "{KEY}"}}"#)),
    ])
    .await;
    let recorder = ChatClient::new(with_tape(server.config(), LlmMode::Record, &cassette)).unwrap();
    let first = recorder.complete(&question("first")).await.unwrap();
    let second = recorder
        .complete(&question(&format!("my key is {KEY}")))
        .await
        .unwrap();
    assert_eq!(first.attempts, 2, "the 429 was retried");
    assert_eq!(server.requests().len(), 3);

    // The key is nowhere in the file, nor the Authorization header; the kept headers are.
    let text = std::fs::read_to_string(&cassette).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(!text.contains(KEY), "{text}");
    assert!(!text.to_ascii_lowercase().contains("authorization"));
    assert!(!text.contains("Bearer"));
    assert!(!text.contains("x-echo-key"));
    assert!(text.contains(r#""retry-after":"0""#), "{text}");
    assert!(text.contains("my key is ***"), "{text}");

    // Replay against the same server: it sees no new request.
    let player = ChatClient::new(with_tape(server.config(), LlmMode::Replay, &cassette)).unwrap();
    let replayed = player.complete(&question("first")).await.unwrap();
    assert_eq!(replayed.content, first.content);
    assert_eq!(
        replayed.attempts, 2,
        "the recorded 429 is replayed and retried"
    );
    assert_eq!(player.stats().retries, 1);
    let replayed = player
        .complete(&question(&format!("my key is {KEY}")))
        .await
        .unwrap();
    // The answer is the recorded one, the key in it scrubbed.
    assert_eq!(replayed.content, second.content.replace(KEY, "***"));
    assert_eq!(server.requests().len(), 3, "replay made no HTTP call");

    // And with nothing listening at all.
    let mut config = with_tape(server.config(), LlmMode::Replay, &cassette);
    config.base_url = dead_base_url().await;
    let offline = ChatClient::new(config).unwrap();
    assert_eq!(
        offline.complete(&question("first")).await.unwrap().content,
        first.content
    );
}

#[tokio::test]
async fn a_changed_prompt_in_replay_is_a_typed_error_naming_the_cassette_never_a_network_call() {
    let dir = tempfile::tempdir().unwrap();
    let cassette = dir.path().join("olist.jsonl");
    let server = Server::start(vec![Reply::ok("{}")]).await;
    let recorder = ChatClient::new(with_tape(server.config(), LlmMode::Record, &cassette)).unwrap();
    recorder
        .complete(&question("How is demand for product pa going?"))
        .await
        .unwrap();

    let mut config = with_tape(server.config(), LlmMode::Replay, &cassette);
    config.base_url = dead_base_url().await;
    let player = ChatClient::new(config).unwrap();
    let error = player
        .complete(&question("How is demand for product pb going?"))
        .await
        .unwrap_err();
    let LlmError::CassetteMiss {
        cassette: named,
        request,
        diff,
    } = &error
    else {
        panic!("expected a cassette miss, got {error:?}");
    };
    assert_eq!(named, &cassette);
    assert!(request.starts_with("POST /v1/chat/completions body sha256 "));
    assert!(diff.contains("- ") && diff.contains("product pa"), "{diff}");
    assert!(diff.contains("+ ") && diff.contains("product pb"), "{diff}");
    let message = error.to_string();
    assert!(message.contains("olist.jsonl"), "{message}");
    assert!(message.contains("RESTOCK_LLM=record"), "{message}");
    assert_eq!(player.stats().requests, 1);
    assert_eq!(player.stats().retries, 0, "a miss is not retried");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn replay_without_a_cassette_file_or_setting_fails_when_the_client_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.jsonl");
    let config = with_tape(
        ClientConfig::new("http://127.0.0.1:1/v1", "m"),
        LlmMode::Replay,
        &missing,
    );
    let error = ChatClient::new(config).unwrap_err();
    assert!(matches!(error, LlmError::Cassette { .. }), "{error:?}");
    assert!(error.to_string().contains("none.jsonl"));

    let mut config = ClientConfig::new("http://127.0.0.1:1/v1", "m");
    config.mode = LlmMode::Record;
    let error = ChatClient::new(config).unwrap_err();
    assert!(error.to_string().contains("needs a cassette"), "{error}");
}

fn dataset() -> Dataset {
    let doc = |id: &str, product: &str, day: u32, text: &str| Document {
        id: id.into(),
        product_id: Some(product.into()),
        kind: DocumentKind::Review,
        title: None,
        text: text.into(),
        rating: Some(4.0),
        created_at: Utc.with_ymd_and_hms(2018, 5, day, 12, 0, 0).unwrap(),
        lang: None,
        extra: Default::default(),
        provenance: Provenance::at("reviews.csv", u64::from(day)),
    };
    let product = |id: &str| Product {
        id: id.into(),
        title: None,
        category: Some("beauty".into()),
        price: None,
        provenance: Provenance::at("products.csv", 1),
    };
    Dataset {
        documents: vec![
            doc("a1", "pa", 1, "Great gift, my sister loved it."),
            doc("b1", "pb", 3, "Out of stock for weeks, finally got it."),
        ],
        products: vec![product("pa"), product("pb")],
        ..Dataset::default()
    }
}

fn answer(id: &str) -> Reply {
    Reply::ok(
        &json!({
            "trend": "increase", "confidence": 0.7, "demand_drivers": ["gifts"], "risks": [],
            "stockout_mentions": 0, "quality_issues": [], "summary": "Demand grows.",
            "supporting_document_ids": [id],
        })
        .to_string(),
    )
}

async fn assess(base_url: &str, mode: LlmMode, dir: &Path, prompt: Option<&str>) -> Outlook {
    let mut config = json!({
        "base_url": base_url, "model": "test-model", "api_key": KEY, "concurrency": 1,
        "cassette": "cassettes/reviews.jsonl",
    });
    if let Some(prompt) = prompt {
        config["prompt"] = json!(prompt);
    }
    let config: OpenAiChatConfig = serde_json::from_value(config).unwrap();
    let ctx = BuildContext {
        base_dir: dir.to_path_buf(),
        component: "llm".into(),
    };
    let model = OpenAiChat::build(config, &ctx, mode).expect("builds");
    // A fresh cache each time, so every answer comes from the server or the cassette.
    let cache = tempfile::tempdir().unwrap();
    let ctx = Context::new(
        "2018-08-01".parse().unwrap(),
        Arc::new(MemorySink::default()),
    )
    .with_services(
        Arc::new(NoProgress),
        cache.path().to_path_buf(),
        Arc::new(|_| None),
    );
    let mut outlook = Outlook::default();
    model
        .assess(&dataset(), &mut outlook, &ctx.for_component("llm"))
        .await
        .unwrap();
    outlook
}

#[tokio::test]
async fn the_model_records_then_replays_the_same_outlook_with_the_server_gone() {
    let dir = tempfile::tempdir().unwrap();
    let cassette: PathBuf = dir.path().join("cassettes/reviews.jsonl");
    let recorded = {
        let server = Server::start(vec![answer("a1"), answer("b1")]).await;
        let outlook = assess(&server.base_url, LlmMode::Record, dir.path(), None).await;
        assert_eq!(server.requests().len(), 2);
        outlook
    };
    assert_eq!(recorded.items.len(), 2);
    assert!(recorded.items.values().all(|item| item.llm.is_some()));
    assert!(!std::fs::read_to_string(&cassette).unwrap().contains(KEY));

    let replayed = assess(&dead_base_url().await, LlmMode::Replay, dir.path(), None).await;
    assert_eq!(replayed.items, recorded.items);
    assert_eq!(replayed.usage["llm"].input_tokens, 22);

    // A changed prompt: each item fails with the typed miss, the model still completes.
    let changed = assess(
        &dead_base_url().await,
        LlmMode::Replay,
        dir.path(),
        Some("Judge {item}: {documents}"),
    )
    .await;
    for item in ["pa", "pb"] {
        let errors = &changed.items[item].errors;
        assert!(
            errors
                .iter()
                .any(|e| e.contains("no recording in the cassette") && e.contains("reviews.jsonl")),
            "{errors:?}"
        );
    }
    assert_eq!(changed.usage["llm"].failed_items, 2);
}

#[tokio::test]
async fn replay_of_a_missing_cassette_is_a_config_error_at_the_cassette_key() {
    let dir = tempfile::tempdir().unwrap();
    let config: OpenAiChatConfig = serde_json::from_value(json!({
        "base_url": "http://127.0.0.1:1/v1", "model": "m", "cassette": "cassettes/none.jsonl",
    }))
    .unwrap();
    let ctx = BuildContext {
        base_dir: dir.path().to_path_buf(),
        component: "llm".into(),
    };
    let errors = OpenAiChat::build(config.clone(), &ctx, LlmMode::Replay).unwrap_err();
    assert_eq!(errors.0[0].path, ["cassette"]);
    assert!(errors.0[0].message.contains("none.jsonl"), "{errors:?}");
    // Live ignores the cassette.
    assert!(OpenAiChat::build(config, &ctx, LlmMode::Live).is_ok());
}
