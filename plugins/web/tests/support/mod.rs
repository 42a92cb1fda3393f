//! A scripted web site on 127.0.0.1: minimal HTTP/1.1, one request per connection, replies by
//! path (each path's replies played in order, the last one repeated), every request recorded.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use restock_core::{Context, Dataset, Diagnostic, MemorySink, Quarantined};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One answer.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(200, body).header("Content-Type", "text/html")
    }

    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// One request read: the request target and the User-Agent.
#[derive(Debug, Clone)]
pub struct Request {
    pub target: String,
    pub user_agent: String,
}

type Routes = Arc<Mutex<HashMap<String, VecDeque<Reply>>>>;

pub struct Site {
    pub base: String,
    routes: Routes,
    requests: Arc<Mutex<Vec<Request>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Site {
    pub async fn start() -> Site {
        Site::start_on(0).await
    }

    /// A site on a fixed port (0: any free one).
    pub async fn start_on(port: u16) -> Site {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Routes = Arc::default();
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let (r, log) = (routes.clone(), requests.clone());
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, r.clone(), log.clone()));
            }
        });
        Site {
            base,
            routes,
            requests,
            accept,
        }
    }

    /// Stops listening: later connections are refused.
    pub async fn stop(self) {
        self.accept.abort();
        let _ = self.accept.await;
    }

    /// Serves `replies` at `target` (path and query), in order, the last one repeated.
    pub fn route(&self, target: &str, replies: Vec<Reply>) -> &Site {
        self.routes
            .lock()
            .unwrap()
            .insert(target.to_owned(), replies.into());
        self
    }

    pub fn url(&self, target: &str) -> String {
        format!("{}{target}", self.base)
    }

    /// Request targets in arrival order.
    pub fn targets(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.target.clone())
            .collect()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, routes: Routes, log: Arc<Mutex<Vec<Request>>>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let user_agent = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("user-agent: ")
                .or_else(|| l.strip_prefix("User-Agent: "))
        })
        .unwrap_or("")
        .to_owned();
    log.lock().unwrap().push(Request {
        target: target.clone(),
        user_agent,
    });
    let reply = {
        let mut routes = routes.lock().unwrap();
        match routes.get_mut(&target) {
            Some(queue) if queue.len() > 1 => queue.pop_front().unwrap(),
            Some(queue) => queue.front().cloned().unwrap(),
            None => Reply::status(404, "not found"),
        }
    };
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes()).await;
    let _ = stream.write_all(&reply.body).await;
    let _ = stream.shutdown().await;
}

/// What a collection gave.
pub struct Collected {
    pub dataset: Dataset,
    pub diagnostics: Vec<Diagnostic>,
    pub quarantined: Vec<Quarantined>,
}

/// Builds an `html` collector from TOML and runs it.
pub async fn collect(toml_config: &str) -> Collected {
    try_collect(toml_config).await.expect("collects")
}

/// Builds an `html` collector from TOML and runs it; the collector's error, if it fails.
pub async fn try_collect(toml_config: &str) -> restock_core::Result<Collected> {
    let config: restock_web::HtmlConfig = toml::from_str(toml_config).expect("config");
    let collector = restock_web::html_collector(config).expect("builds");
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        sink.clone(),
    );
    let dataset = collector.collect(&ctx).await?;
    let (diagnostics, quarantined) = sink.take();
    Ok(Collected {
        dataset,
        diagnostics,
        quarantined,
    })
}
