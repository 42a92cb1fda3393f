//! The client against real HTTP servers on 127.0.0.1, scripted per test.

mod support;

use std::num::NonZeroU32;
use std::time::{Duration, Instant, SystemTime};

use restock_llm::{
    ApiKey, ChatClient, ChatRequest, ClientConfig, FinishReason, LlmError, Message, ResponseFormat,
};
use serde_json::{Value, json};
use support::{Reply, Server, completion};

fn request() -> ChatRequest {
    ChatRequest::new(vec![
        Message::system("Answer in JSON."),
        Message::user("How is demand?"),
    ])
}

fn client(config: ClientConfig) -> ChatClient {
    ChatClient::new(config).expect("valid config")
}

fn schema_format() -> ResponseFormat {
    ResponseFormat::JsonSchema {
        name: "outlook".to_owned(),
        schema: json!({"type": "object", "properties": {"trend": {"type": "string"}}}),
        strict: true,
    }
}

#[tokio::test]
async fn sends_the_configured_request_and_reads_the_reply() {
    let server = Server::start(vec![Reply::ok("{\"trend\": \"stable\"}")]).await;
    let mut config = server.config();
    config.api_key = Some(ApiKey::new("sk-test-123"));
    config.temperature = Some(0.2);
    config.max_tokens = Some(300);
    let client = client(config);
    let completion = client
        .complete(&request().with_format(schema_format()))
        .await
        .unwrap();
    assert_eq!(completion.content, "{\"trend\": \"stable\"}");
    assert_eq!(completion.finish_reason, FinishReason::Stop);
    assert_eq!(completion.attempts, 1);
    assert_eq!(completion.model.as_deref(), Some("test-model"));
    let usage = completion.usage.unwrap();
    assert_eq!(
        (usage.prompt_tokens, usage.completion_tokens),
        (Some(11), Some(7))
    );

    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0]
            .head
            .starts_with("POST /v1/chat/completions HTTP/1.1"),
        "{}",
        sent[0].head
    );
    assert!(
        sent[0]
            .head
            .to_ascii_lowercase()
            .contains("authorization: bearer sk-test-123")
    );
    assert_eq!(
        sent[0].body,
        json!({
            "model": "test-model",
            "messages": [
                {"role": "system", "content": "Answer in JSON."},
                {"role": "user", "content": "How is demand?"},
            ],
            "temperature": 0.2,
            "max_tokens": 300,
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": "outlook",
                    "schema": {"type": "object", "properties": {"trend": {"type": "string"}}},
                    "strict": true,
                },
            },
            "stream": false,
        })
    );
    let stats = client.stats();
    assert_eq!(
        (
            stats.requests,
            stats.retries,
            stats.prompt_tokens,
            stats.completion_tokens
        ),
        (1, 0, 11, 7)
    );
}

#[tokio::test]
async fn no_api_key_sends_no_authorization_and_a_trailing_slash_is_ignored() {
    let server = Server::start(vec![Reply::ok("{}")]).await;
    let mut config = server.config();
    config.base_url.push('/');
    client(config).complete(&request()).await.unwrap();
    let sent = server.requests();
    assert!(sent[0].head.starts_with("POST /v1/chat/completions "));
    assert!(!sent[0].head.to_ascii_lowercase().contains("authorization"));
    assert!(
        sent[0].body.get("response_format").is_none(),
        "text sends no response_format"
    );
    assert!(sent[0].body.get("temperature").is_none());
}

#[tokio::test]
async fn too_many_requests_with_retry_after_seconds_waits_then_succeeds() {
    let server = Server::start(vec![
        Reply::status(429, r#"{"error": {"message": "rate limited"}}"#)
            .with_header("Retry-After", "1"),
        Reply::ok("{\"a\": 1}"),
    ])
    .await;
    let client = client(server.config());
    let started = Instant::now();
    let completion = client.complete(&request()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(completion.attempts, 2);
    assert_eq!(client.stats().retries, 1);
    assert_eq!(client.stats().requests, 2);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn too_many_requests_with_retry_after_http_date_waits_then_succeeds() {
    // An HTTP date has one-second resolution: two seconds ahead is at least one second away.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = Server::start(vec![
        Reply::status(429, "slow down").with_header("Retry-After", &date),
        Reply::ok("{\"a\": 1}"),
    ])
    .await;
    let client = client(server.config());
    let started = Instant::now();
    let completion = client.complete(&request()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(completion.attempts, 2);
    assert_eq!(client.stats().retries, 1);
}

#[tokio::test]
async fn retry_after_is_capped_by_max_retry_after() {
    let server = Server::start(vec![
        Reply::status(429, "").with_header("Retry-After", "30"),
        Reply::ok("{}"),
    ])
    .await;
    let mut config = server.config();
    config.max_retry_after = Duration::from_millis(100);
    let started = Instant::now();
    client(config).complete(&request()).await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(100) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn request_timeout_408_is_retried() {
    let server = Server::start(vec![Reply::status(408, "request timeout"), Reply::ok("{}")]).await;
    let client = client(server.config());
    let completion = client.complete(&request()).await.unwrap();
    assert_eq!(completion.attempts, 2);
    assert_eq!(client.stats().retries, 1);
}

#[tokio::test]
async fn server_error_500_then_success() {
    let server = Server::start(vec![
        Reply::status(500, "oops"),
        Reply::ok("{\"ok\": true}"),
    ])
    .await;
    let client = client(server.config());
    let completion = client.complete(&request()).await.unwrap();
    assert_eq!(completion.content, "{\"ok\": true}");
    assert_eq!(completion.attempts, 2);
    assert_eq!(server.requests().len(), 2);
    // The retried request is the same request.
    assert_eq!(server.requests()[0].body, server.requests()[1].body);
}

#[tokio::test]
async fn server_errors_exhaust_the_attempts_with_a_typed_error() {
    let server = Server::start(vec![
        Reply::status(503, "busy"),
        Reply::status(502, "bad gateway"),
        Reply::status(500, "still broken"),
        Reply::ok("{}"),
    ])
    .await;
    let client = client(server.config());
    let error = client.complete(&request()).await.unwrap_err();
    match &error {
        LlmError::RetriesExhausted { attempts: 3, last } => match last.as_ref() {
            LlmError::Http { status: 500, body } => assert_eq!(body, "still broken"),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 3);
    assert_eq!(client.stats().retries, 2);
    assert!(
        error
            .to_string()
            .contains("gave up after 3 attempts: HTTP 500"),
        "{error}"
    );
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 422] {
        let server = Server::start(vec![Reply::status(status, "no"), Reply::ok("{}")]).await;
        let error = client(server.config())
            .complete(&request())
            .await
            .unwrap_err();
        assert!(
            matches!(error, LlmError::Http { status: s, .. } if s == status),
            "{error:?}"
        );
        assert_eq!(server.requests().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_is_retried_then_gives_a_typed_error() {
    let server = Server::start(vec![Reply::Hang, Reply::Hang, Reply::ok("{}")]).await;
    let mut config = server.config();
    config.timeout = Duration::from_millis(200);
    config.max_attempts = 2;
    let client = client(config);
    let started = Instant::now();
    let error = client.complete(&request()).await.unwrap_err();
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    match error {
        LlmError::RetriesExhausted { attempts: 2, last } => {
            assert!(
                matches!(*last, LlmError::Timeout { after } if after == Duration::from_millis(200)),
                "{last:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
    assert_eq!(client.stats().retries, 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_gives_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let mut config = ClientConfig::new(format!("http://{address}/v1"), "m");
    config.max_attempts = 2;
    config.initial_backoff = Duration::from_millis(10);
    let error = client(config).complete(&request()).await.unwrap_err();
    match error {
        LlmError::RetriesExhausted { attempts: 2, last } => {
            assert!(matches!(*last, LlmError::Transport { .. }), "{last:?}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn finish_reason_length_is_truncated_never_repaired() {
    let body = completion(json!("{\"trend\": \"incr"), json!("length"));
    let server = Server::start(vec![Reply::json(body), Reply::ok("{}")]).await;
    let client = client(server.config());
    let error = client.complete_json(&request()).await.unwrap_err();
    match error {
        LlmError::Truncated {
            partial,
            completion_tokens,
        } => {
            assert_eq!(partial, "{\"trend\": \"incr");
            assert_eq!(completion_tokens, Some(7));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "a truncation is not retried");
    assert_eq!(
        client.stats().completion_tokens,
        7,
        "the tokens were still spent"
    );
}

#[tokio::test]
async fn content_filter_with_null_content_is_content_filtered() {
    let body = completion(Value::Null, json!("content_filter"));
    let server = Server::start(vec![Reply::json(body)]).await;
    let error = client(server.config())
        .complete(&request())
        .await
        .unwrap_err();
    assert!(
        matches!(error, LlmError::ContentFiltered { refusal: None }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_refusal_is_content_filtered_with_its_text() {
    let mut body = completion(Value::Null, json!("stop"));
    body["choices"][0]["message"]["refusal"] = json!("I can't help with that.");
    let server = Server::start(vec![Reply::json(body)]).await;
    let error = client(server.config())
        .complete(&request())
        .await
        .unwrap_err();
    match error {
        LlmError::ContentFiltered { refusal } => {
            assert_eq!(refusal.as_deref(), Some("I can't help with that."))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn null_content_without_a_reason_is_an_invalid_answer() {
    let server = Server::start(vec![Reply::json(completion(Value::Null, json!("stop")))]).await;
    let error = client(server.config())
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(error, LlmError::InvalidAnswer { .. }), "{error:?}");
}

#[tokio::test]
async fn compatible_servers_quirks_decode() {
    let cases: Vec<(Value, FinishReason)> = vec![
        // Unknown fields everywhere, an unknown finish_reason.
        (
            json!({"id": "x", "object": "chat.completion", "system_fingerprint": "fp", "x_groq": {"id": 1},
                   "choices": [{"index": 0, "logprobs": null, "message": {"role": "assistant", "content": "{}",
                   "reasoning_content": "hmm", "tool_calls": []}, "finish_reason": "eos_token", "stop_reason": 2}],
                   "usage": {"prompt_tokens": 3, "completion_tokens": 1, "prompt_tokens_details": {"cached_tokens": 0}}}),
            FinishReason::Other("eos_token".to_owned()),
        ),
        // No object, no id, no model, no usage, no finish_reason.
        (
            json!({"choices": [{"message": {"content": "{}"}}]}),
            FinishReason::Unspecified,
        ),
        // An empty and a null finish_reason, a null usage.
        (
            json!({"choices": [{"message": {"content": "{}"}, "finish_reason": ""}], "usage": null}),
            FinishReason::Unspecified,
        ),
        (
            json!({"choices": [{"message": {"content": "{}"}, "finish_reason": null}]}),
            FinishReason::Unspecified,
        ),
        // A usage with a missing count and one given as a string.
        (
            json!({"choices": [{"message": {"content": "{}"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": "5"}}),
            FinishReason::Stop,
        ),
        // Content as an array of text parts.
        (
            json!({"choices": [{"message": {"content": [{"type": "text", "text": "{"}, {"type": "text", "text": "}"}]}, "finish_reason": "stop"}]}),
            FinishReason::Stop,
        ),
    ];
    for (body, finish_reason) in cases {
        let server = Server::start(vec![Reply::json(body.clone())]).await;
        let completion = client(server.config())
            .complete(&request())
            .await
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(completion.content, "{}", "{body}");
        assert_eq!(completion.finish_reason, finish_reason, "{body}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_completion_is_a_decode_error() {
    for body in ["not json", "{\"choices\": []}", "{\"data\": 1}", "[]"] {
        let server = Server::start(vec![Reply::status(200, body)]).await;
        let error = client(server.config())
            .complete(&request())
            .await
            .unwrap_err();
        assert!(
            matches!(error, LlmError::Decode { .. }),
            "{body}: {error:?}"
        );
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn answers_are_extracted_strictly() {
    let fence_in_string = r#"{"summary": "they wrote ```json {} ``` in a review"}"#;
    let accepted = [
        (
            "```json\n{\"trend\": \"increase\"}\n```",
            json!({"trend": "increase"}),
        ),
        (
            fence_in_string,
            serde_json::from_str(fence_in_string).unwrap(),
        ),
    ];
    for (reply, expected) in accepted {
        let server = Server::start(vec![Reply::ok(reply)]).await;
        let answer = client(server.config())
            .complete_json(&request())
            .await
            .unwrap();
        assert_eq!(Value::Object(answer.object), expected, "{reply}");
    }
    let rejected = [
        ("42", "got a number"),
        ("[{\"trend\": \"up\"}]", "got an array"),
        ("{\"trend\": ", "not valid JSON"),
    ];
    for (reply, reason_part) in rejected {
        let server = Server::start(vec![Reply::ok(reply), Reply::ok("{}")]).await;
        match client(server.config()).complete_json(&request()).await {
            Err(LlmError::InvalidAnswer { reason }) => {
                assert!(reason.contains(reason_part), "{reply}: {reason}")
            }
            other => panic!("{reply}: {other:?}"),
        }
        assert_eq!(
            server.requests().len(),
            1,
            "an invalid answer is returned, not retried here"
        );
    }
}

#[tokio::test]
async fn response_format_falls_back_on_a_400_that_names_it() {
    let server = Server::start(vec![
        Reply::status(
            400,
            r#"{"error": {"message": "response_format type json_schema is not supported"}}"#,
        ),
        Reply::status(
            400,
            r#"{"error": {"message": "Invalid value for 'response_format.type': json_object"}}"#,
        ),
        Reply::ok("```json\n{\"trend\": \"stable\"}\n```"),
        Reply::ok("{\"trend\": \"increase\"}"),
    ])
    .await;
    let client = client(server.config());
    let request = request().with_format(schema_format());
    let answer = client.complete_json(&request).await.unwrap();
    assert_eq!(answer.format, ResponseFormat::Text);
    assert_eq!(Value::Object(answer.object), json!({"trend": "stable"}));
    // The next call starts from the format the server accepted.
    let answer = client.complete_json(&request).await.unwrap();
    assert_eq!(answer.format, ResponseFormat::Text);
    let formats: Vec<Value> = server
        .requests()
        .iter()
        .map(|r| r.body["response_format"]["type"].clone())
        .collect();
    assert_eq!(
        formats,
        [
            json!("json_schema"),
            json!("json_object"),
            Value::Null,
            Value::Null
        ]
    );
    assert_eq!(client.stats().format_fallbacks, 2);
    assert_eq!(client.stats().retries, 0);
}

#[tokio::test]
async fn a_400_about_something_else_does_not_fall_back() {
    let server = Server::start(vec![Reply::status(
        400,
        r#"{"error": {"message": "model not found"}}"#,
    )])
    .await;
    let error = client(server.config())
        .complete_json(&request().with_format(schema_format()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, LlmError::Http { status: 400, .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_api_key_never_shows_in_debug_or_errors() {
    const KEY: &str = "sk-secret-DO-NOT-LEAK-42";
    // A server that quotes the key back, as OpenAI's 401 does.
    let server = Server::start(vec![
        Reply::status(
            401,
            &format!(r#"{{"error": {{"message": "Incorrect API key provided: {KEY}"}}}}"#),
        ),
        Reply::status(500, &format!("upstream said {KEY}")),
        Reply::status(500, &format!("upstream said {KEY}")),
        Reply::status(200, &format!("not json {KEY}")),
    ])
    .await;
    let mut config = server.config();
    config.api_key = Some(ApiKey::new(KEY));
    config.max_attempts = 2;
    let client = client(config.clone());
    let mut shown = vec![
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{:?}", config.api_key),
    ];
    for _ in 0..3 {
        let error = client.complete(&request()).await.unwrap_err();
        shown.push(error.to_string());
        shown.push(format!("{error:?}"));
    }
    // A transport error on a refused connection.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut refused =
        ClientConfig::new(format!("http://{}/v1", listener.local_addr().unwrap()), "m");
    drop(listener);
    refused.api_key = Some(ApiKey::new(KEY));
    refused.max_attempts = 1;
    let error = ChatClient::new(refused)
        .unwrap()
        .complete(&request())
        .await
        .unwrap_err();
    shown.push(error.to_string());
    shown.push(format!("{error:?}"));
    for text in &shown {
        assert!(!text.contains(KEY), "the key leaked: {text}");
    }
    assert!(
        shown
            .iter()
            .any(|text| text.contains("Incorrect API key provided: ***")),
        "{shown:#?}"
    );
    // It was sent, though.
    assert!(server.requests()[0].head.contains(KEY));
}

#[tokio::test]
async fn requests_per_minute_is_shared_by_concurrent_calls() {
    let server = Server::start((0..4).map(|_| Reply::ok("{}")).collect()).await;
    let mut config = server.config();
    // One request every 500 ms, two at once at most: four calls take at least 1 s.
    config.requests_per_minute = NonZeroU32::new(120);
    let client = client(config);
    let started = Instant::now();
    let calls = (0..4).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.complete(&request()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(client.stats().requests, 4);
}

#[tokio::test]
async fn tokens_per_minute_is_shared_by_concurrent_calls() {
    let server = Server::start((0..3).map(|_| Reply::ok("{}")).collect()).await;
    let mut config = server.config();
    // 100 tokens a second, 100 at once at most: three calls of 50 tokens take at least 0.5 s.
    config.tokens_per_minute = NonZeroU32::new(6000);
    let client = client(config);
    let started = Instant::now();
    let calls: Vec<_> = (0..3)
        .map(|_| {
            let client = client.clone();
            let request = ChatRequest {
                estimated_tokens: Some(50),
                ..request()
            };
            tokio::spawn(async move { client.complete(&request).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn invalid_configurations_are_refused() {
    for (base_url, attempts) in [
        ("ftp://example.com/v1", 3),
        ("not a url", 3),
        ("http://127.0.0.1:1/v1", 0),
    ] {
        let mut config = ClientConfig::new(base_url, "m");
        config.max_attempts = attempts;
        assert!(
            matches!(ChatClient::new(config), Err(LlmError::InvalidConfig { .. })),
            "{base_url}"
        );
    }
}

#[tokio::test]
async fn https_runs_the_tls_handshake() {
    // A plain-HTTP answer to an https client: the handshake fails, as a transport error and not
    // a panic, which shows a TLS provider is in place.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut hello = [0u8; 512];
        let _ = stream.read(&mut hello).await;
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await;
    });
    let mut config = ClientConfig::new(format!("https://{address}/v1"), "m");
    config.timeout = Duration::from_secs(2);
    config.max_attempts = 1;
    let error = client(config).complete(&request()).await.unwrap_err();
    match error {
        LlmError::RetriesExhausted { attempts: 1, last } => {
            assert!(matches!(*last, LlmError::Transport { .. }), "{last:?}")
        }
        other => panic!("{other:?}"),
    }
}
