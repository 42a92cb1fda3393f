//! The `openai_chat` model against real HTTP servers on 127.0.0.1, scripted per test: packing,
//! correction round, one item's failure, retries, the cache (second run, resume, no key), and
//! `plan` with no server at all.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use restock_core::context::NoProgress;
use restock_core::{
    Context, Dataset, Document, DocumentKind, Grouping, MemorySink, Model, Outlook, Product,
    Provenance, Severity, TrendDirection,
};
use restock_llm::model::{OpenAiChat, OpenAiChatConfig, plan};
use serde_json::{Value, json};
use support::{Reply, Server};

const KEY: &str = "sk-test-SECRET-0123456789";

fn valid_answer(ids: &[&str]) -> Reply {
    Reply::ok(
        &json!({
            "trend": "increase",
            "confidence": 0.8,
            "demand_drivers": ["gift season"],
            "risks": ["late deliveries"],
            "stockout_mentions": 0,
            "quality_issues": [],
            "summary": "Customers like it and buy it as a gift.",
            "supporting_document_ids": ids,
        })
        .to_string(),
    )
}

fn doc(id: &str, product: &str, day: u32, text: &str) -> Document {
    Document {
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
    }
}

/// Three products with two reviews each; one review holds an e-mail address.
fn dataset() -> Dataset {
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
            doc(
                "a2",
                "pa",
                2,
                "Bought two more, write me at ana@example.com",
            ),
            doc("b1", "pb", 3, "Arrived late but works."),
            doc("b2", "pb", 4, "Out of stock for weeks, finally got it."),
            doc("c1", "pc", 5, "Leaks after a week."),
            doc("c2", "pc", 6, ""),
            doc("c3", "pc", 7, "Cheap and fine."),
        ],
        products: vec![product("pa"), product("pb"), product("pc")],
        ..Dataset::default()
    }
}

fn config(base_url: &str, extra: Value) -> OpenAiChatConfig {
    let mut value = json!({
        "base_url": base_url,
        "model": "test-model",
        "api_key": KEY,
        "concurrency": 1,
        "price_input_per_million": 2.0,
        "price_output_per_million": 8.0,
    });
    for (k, v) in extra.as_object().unwrap() {
        value[k] = v.clone();
    }
    serde_json::from_value(value).unwrap()
}

async fn run(config: OpenAiChatConfig, cache: &Path) -> (Outlook, Arc<MemorySink>) {
    let model = OpenAiChat::new(config, "llm").expect("valid config");
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new("2018-08-01".parse().unwrap(), sink.clone()).with_services(
        Arc::new(NoProgress),
        cache.to_path_buf(),
        Arc::new(|_| None),
    );
    let mut outlook = Outlook::default();
    model
        .assess(&dataset(), &mut outlook, &ctx.for_component("llm"))
        .await
        .expect("one item's failure never fails the model");
    (outlook, sink)
}

fn cache_files(cache: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(cache.join("llm"))
        .map(|dir| {
            dir.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[tokio::test]
async fn every_item_is_assessed_and_a_second_run_makes_no_http_call() {
    let cache = tempfile::tempdir().unwrap();
    let server = Server::start(vec![
        valid_answer(&["a1"]),
        valid_answer(&["b2"]),
        valid_answer(&[]),
    ])
    .await;
    let (outlook, _) = run(config(&server.base_url, json!({})), cache.path()).await;
    let sent = server.requests();
    assert_eq!(sent.len(), 3, "one request per product");
    assert_eq!(outlook.items.len(), 3);
    for item in ["pa", "pb", "pc"] {
        let llm = outlook.items[item].llm.as_ref().expect(item);
        assert_eq!(llm.model, "llm");
        assert_eq!(llm.value.trend, TrendDirection::Increase);
        assert_eq!(llm.value.requests, 1);
        assert_eq!((llm.value.input_tokens, llm.value.output_tokens), (11, 7));
    }
    // The empty review c2 is not sent.
    assert_eq!(outlook.items["pc"].llm.as_ref().unwrap().value.documents, 2);
    assert_eq!(outlook.items["pb"].category.as_deref(), Some("beauty"));

    // The request: json_schema, the authorisation header, documents redacted.
    let body = &sent[0].body;
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(
        body["response_format"]["json_schema"]["name"],
        "demand_assessment"
    );
    assert_eq!(body["max_tokens"], 600);
    assert_eq!(body["temperature"], 0.0);
    let prompt = body["messages"][1]["content"].as_str().unwrap();
    assert!(prompt.contains("[a1] 2018-05-01 (rating 4/5): Great gift"));
    assert!(prompt.contains("write me at [EMAIL]"), "{prompt}");
    assert!(!body.to_string().contains("ana@example.com"));
    assert!(sent[0].head.contains(KEY), "the key is sent as a header");

    let usage = &outlook.usage["llm"];
    assert_eq!(
        (
            usage.requests,
            usage.retries,
            usage.cache_hits,
            usage.failed_items
        ),
        (3, 0, 0, 0)
    );
    assert_eq!((usage.input_tokens, usage.output_tokens), (33, 21));
    assert!((usage.estimated_cost - (33.0 * 2.0 + 21.0 * 8.0) / 1e6).abs() < 1e-15);

    // Cached: one file per request, none holding the key.
    let files = cache_files(cache.path());
    assert_eq!(files.len(), 3);
    for file in &files {
        assert!(!file.contains(KEY), "{file}");
        assert!(!file.contains("sk-test"), "{file}");
    }

    // Second run, same server (whose script is spent: it would answer 500): no call, and a
    // different key does not change the cache key.
    let (again, _) = run(
        config(&server.base_url, json!({"api_key": "sk-other"})),
        cache.path(),
    )
    .await;
    assert_eq!(server.requests().len(), 3);
    let usage = &again.usage["llm"];
    assert_eq!((usage.requests, usage.cache_hits), (0, 3));
    assert_eq!(usage.estimated_cost, 0.0);
    assert_eq!(
        again.items, outlook.items,
        "the same assessments from the cache"
    );
}

#[tokio::test]
async fn an_item_whose_answer_stays_invalid_fails_alone_and_a_rerun_asks_only_for_it() {
    let cache = tempfile::tempdir().unwrap();
    // With one request at a time, the first item gets both bad replies (its correction round
    // follows at once), the other two the good ones.
    let server = Server::start(vec![
        Reply::ok("this is not JSON"),
        Reply::ok("{\"trend\": \"up\""),
        valid_answer(&[]),
        valid_answer(&[]),
    ])
    .await;
    let (outlook, sink) = run(config(&server.base_url, json!({})), cache.path()).await;
    let sent = server.requests();
    assert_eq!(sent.len(), 4);
    // The correction round repeats the question and says what was wrong.
    let correction = sent[1].body["messages"].as_array().unwrap();
    assert_eq!(correction.len(), 3);
    assert_eq!(correction[0], sent[0].body["messages"][0]);
    let said = correction[2]["content"].as_str().unwrap();
    assert!(said.contains("not valid JSON"), "{said}");

    let failed: Vec<&String> = outlook
        .items
        .iter()
        .filter(|(_, item)| item.llm.is_none())
        .map(|(id, _)| id)
        .collect();
    assert_eq!(failed.len(), 1, "{:?}", outlook.items);
    let errors = &outlook.items[failed[0]].errors;
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("llm: invalid answer, also after one correction:"),
        "{errors:?}"
    );
    let (diagnostics, _) = sink.take();
    assert!(diagnostics.iter().any(|d| d.severity == Severity::Error
        && d.item.as_deref() == Some(failed[0].as_str())));
    assert_eq!(outlook.usage["llm"].failed_items, 1);
    assert_eq!(outlook.usage["llm"].requests, 4);

    // A restart repeats no finished call: only the failed item is asked again.
    server.then(vec![valid_answer(&[])]);
    let (again, _) = run(config(&server.base_url, json!({})), cache.path()).await;
    assert_eq!(server.requests().len(), 5);
    assert!(again.items.values().all(|item| item.llm.is_some()));
    assert_eq!(again.usage["llm"].cache_hits, 2);
}

#[tokio::test]
async fn an_answer_citing_unsent_ids_is_corrected_once() {
    let cache = tempfile::tempdir().unwrap();
    let server = Server::start(vec![
        valid_answer(&["zz9"]),
        valid_answer(&["a2"]),
        valid_answer(&[]),
        valid_answer(&[]),
    ])
    .await;
    let (outlook, _) = run(config(&server.base_url, json!({})), cache.path()).await;
    let sent = server.requests();
    assert_eq!(sent.len(), 4);
    let correction = sent[1].body["messages"].as_array().unwrap();
    assert_eq!(correction[2]["role"], "assistant");
    assert!(
        correction[3]["content"]
            .as_str()
            .unwrap()
            .contains("ids that were not sent: zz9")
    );
    let corrected = outlook
        .items
        .values()
        .find_map(|item| item.llm.as_ref().filter(|llm| llm.value.requests == 2))
        .expect("one item took two requests");
    assert_eq!(corrected.value.supporting_document_ids, vec!["a2"]);
}

#[tokio::test]
async fn too_many_requests_with_retry_after_waits_and_the_usage_counts_the_retry() {
    let cache = tempfile::tempdir().unwrap();
    let server = Server::start(vec![
        Reply::status(429, r#"{"error": {"message": "rate limited"}}"#)
            .with_header("Retry-After", "1"),
        valid_answer(&[]),
        valid_answer(&[]),
        valid_answer(&[]),
    ])
    .await;
    let started = Instant::now();
    let (outlook, _) = run(config(&server.base_url, json!({})), cache.path()).await;
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(outlook.items.values().all(|item| item.llm.is_some()));
    let usage = &outlook.usage["llm"];
    assert_eq!((usage.requests, usage.retries), (4, 1));
}

#[tokio::test]
async fn documents_are_packed_into_as_few_requests_as_the_budget_allows() {
    let cache = tempfile::tempdir().unwrap();
    let config = |url: &str| {
        config(
            url,
            json!({
                "group_by": "category",
                "prompt": "Item {item}. Documents:\n{documents}",
                "max_input_tokens": 70,
            }),
        )
    };
    // No server at all: the plan opens no socket.
    let planned = plan(
        &config("http://127.0.0.1:9/v1"),
        &dataset(),
        Grouping::Category,
        "2018-08-01".parse().unwrap(),
        Some(cache.path()),
    )
    .unwrap();
    assert_eq!((planned.items, planned.documents), (1, 6));
    assert!(planned.requests >= 2, "{planned:?}");
    assert_eq!(planned.cached, 0);
    assert!(planned.input_tokens <= 70 * planned.requests as u64);
    assert_eq!(planned.output_tokens, 600 * planned.requests as u64);
    let cost = (planned.input_tokens as f64 * 2.0 + planned.output_tokens as f64 * 8.0) / 1e6;
    assert!((planned.estimated_cost - cost).abs() < 1e-15);

    let server = Server::start((0..planned.requests).map(|_| valid_answer(&[])).collect()).await;
    let (outlook, _) = run(config(&server.base_url), cache.path()).await;
    assert_eq!(outlook.grouping, Grouping::Category);
    assert_eq!(server.requests().len(), planned.requests);
    let llm = &outlook.items["beauty"].llm.as_ref().unwrap().value;
    assert_eq!(
        (llm.documents, llm.requests as usize),
        (6, planned.requests)
    );
    for request in server.requests() {
        let prompt = request.body["messages"][1]["content"].as_str().unwrap();
        assert!(prompt.starts_with("Item beauty. Documents:\n["));
    }

    // After the run, the plan finds every answer cached: nothing left to pay for, and the
    // server hears nothing.
    let replanned = plan(
        &config(&server.base_url),
        &dataset(),
        Grouping::Category,
        "2018-08-01".parse().unwrap(),
        Some(cache.path()),
    )
    .unwrap();
    assert_eq!(
        (
            replanned.cached,
            replanned.input_tokens,
            replanned.estimated_cost
        ),
        (planned.requests, 0, 0.0)
    );
    assert_eq!(server.requests().len(), planned.requests);
}

#[test]
fn configuration_mistakes_name_their_keys() {
    let bad = config(
        "ftp://example.com",
        json!({"temperature": 3.0, "concurrency": 0, "requests_per_minute": 0}),
    );
    let errors = OpenAiChat::new(bad, "llm").unwrap_err();
    let text = format!("{errors:?}");
    for key in ["temperature", "concurrency", "requests_per_minute"] {
        assert!(text.contains(key), "{key}: {text}");
    }
    let bad = config("ftp://example.com", json!({}));
    let text = format!("{:?}", OpenAiChat::new(bad, "llm").unwrap_err());
    assert!(text.contains("base_url"), "{text}");
    let bad = config("http://127.0.0.1:1/v1", json!({"prompt": "{item} {docs}"}));
    let text = format!("{:?}", OpenAiChat::new(bad, "llm").unwrap_err());
    assert!(text.contains("unknown placeholder {docs}"), "{text}");
    assert!(!text.contains(KEY));
    let model = OpenAiChat::new(config("http://127.0.0.1:1/v1", json!({})), "llm").unwrap();
    assert!(!format!("{model:?}").contains(KEY));
    assert!(!format!("{:?}", config("http://x/v1", json!({}))).contains(KEY));
}
