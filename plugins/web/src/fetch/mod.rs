//! The polite fetch layer every web collector goes through: robots.txt (fetched once per host,
//! obeyed per RFC 9309, `Crawl-delay` honoured), a per-host rate limit, retries with backoff on
//! 429 and 5xx (`Retry-After` honoured), a per-request timeout, a cap on response size, redirects
//! followed by hand so that each hop is checked against robots.txt, and decoding of what
//! arrives (decompression and character encoding, see [`decode`]).

pub mod decode;
mod robots;
pub mod snapshot;

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, LOCATION, RETRY_AFTER,
};
use tokio::sync::OnceCell;
use url::Url;

use decode::{CharsetSource, DecodeError};
use robots::Robots;
use snapshot::Snapshots;

/// How the fetcher behaves. Defaults are those of the `html` collector's keys.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchConfig {
    /// Sent as `User-Agent`; its product token (before `/`) picks the robots.txt group.
    pub user_agent: String,
    /// Requests per second to one host, at most (also held between retries).
    pub requests_per_second: f64,
    /// The limit on one request, connection to last byte.
    pub timeout: Duration,
    /// Tries per URL, the first included.
    pub max_attempts: u32,
    /// The first wait before a retry without `Retry-After`; doubled each time, with jitter.
    pub initial_backoff: Duration,
    /// The longest wait before a retry, `Retry-After` included.
    pub max_backoff: Duration,
    /// The largest body accepted, before and after decompression, in bytes.
    pub max_bytes: u64,
    /// A folder every page fetched is saved to (and, `offline`, replayed from).
    pub snapshot_dir: Option<PathBuf>,
    /// No network: pages come from `snapshot_dir` only, and a page not saved there is an
    /// immediate [`FetchError::Offline`].
    pub offline: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            user_agent: concat!("RestockBot/", env!("CARGO_PKG_VERSION")).to_owned(),
            requests_per_second: 1.0,
            timeout: Duration::from_secs(30),
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            max_bytes: 10 * 1024 * 1024,
            snapshot_dir: None,
            offline: false,
        }
    }
}

/// A page fetched and decoded.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL the text came from (after redirects).
    pub url: Url,
    /// The decoded text.
    pub text: String,
    /// The character encoding used.
    pub encoding: &'static encoding_rs::Encoding,
    /// How the encoding was chosen.
    pub charset_source: CharsetSource,
}

/// Why a URL gave no page.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// robots.txt forbids it: nothing was requested.
    #[error("{url} not requested: {robots_url} forbids it ({reason})")]
    Disallowed {
        /// The URL refused.
        url: String,
        /// The robots.txt consulted.
        robots_url: String,
        /// Which rule, or why the whole host is off limits.
        reason: String,
    },
    /// The last answer was an HTTP error.
    #[error("{url}: HTTP {status} after {attempts} attempt(s)")]
    Status {
        /// The URL.
        url: String,
        /// The last status.
        status: u16,
        /// Requests made.
        attempts: u32,
    },
    /// No answer (connection refused, timeout, reset).
    #[error("{url}: {message} after {attempts} attempt(s)")]
    Transport {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
        /// Requests made.
        attempts: u32,
    },
    /// The body is too large or cannot be decompressed.
    #[error("{url}: {error}")]
    Body {
        /// The URL.
        url: String,
        /// Why.
        error: DecodeError,
    },
    /// Offline, and the page is not saved (or there is no snapshot folder): nothing was
    /// requested.
    #[error("offline: {url} {message}")]
    Offline {
        /// The URL.
        url: String,
        /// Why it cannot be read.
        message: String,
    },
    /// Not an http(s) URL, or a redirect without a usable `Location`.
    #[error("{url}: {message}")]
    Invalid {
        /// The URL.
        url: String,
        /// Why.
        message: String,
    },
}

/// Fetches pages politely. Cheap to share (`Arc`); hosts' robots.txt and rate limits live as long
/// as it does.
pub struct Fetcher {
    http: reqwest::Client,
    config: FetchConfig,
    hosts: Mutex<HashMap<String, Arc<OnceCell<Arc<Host>>>>>,
    snapshots: Option<Snapshots>,
}

struct Host {
    robots: Robots,
    robots_url: String,
    limiter: DefaultDirectRateLimiter,
}

/// The most redirects followed for one URL (RFC 9309 asks at least five for robots.txt).
const MAX_REDIRECTS: usize = 5;
/// The most of a robots.txt read (RFC 9309 §2.5: at least 500 KiB).
const ROBOTS_MAX_BYTES: u64 = 512 * 1024;

impl Fetcher {
    /// A fetcher with `config`. Fails when the HTTP client cannot be built, or, offline, when
    /// the snapshot folder has no readable index.
    pub fn new(config: FetchConfig) -> Result<Self, String> {
        let snapshots = match &config.snapshot_dir {
            Some(dir) => Some(Snapshots::open(dir, config.offline)?),
            None => None,
        };
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self {
            http,
            config,
            hosts: Mutex::new(HashMap::new()),
            snapshots,
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Fetches and decodes `url`, following up to five redirects, each hop checked against its
    /// host's robots.txt first.
    ///
    /// Offline, the page is read from the snapshot folder instead (robots.txt is not consulted:
    /// only pages it allowed were saved); with a snapshot folder online, every page read is
    /// saved there.
    pub async fn get(&self, url: &Url) -> Result<Page, FetchError> {
        if self.config.offline {
            return self.replay(url);
        }
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let host = self.host(&current).await?;
            if let Some(reason) = host.robots.refusal(current.as_str()) {
                return Err(FetchError::Disallowed {
                    url: current.to_string(),
                    robots_url: host.robots_url.clone(),
                    reason,
                });
            }
            let answer = self
                .request(&current, &host.limiter, self.config.max_bytes)
                .await?;
            if answer.status.is_redirection() {
                current = redirect_target(&current, &answer)?;
                continue;
            }
            if !answer.status.is_success() {
                return Err(FetchError::Status {
                    url: current.to_string(),
                    status: answer.status.as_u16(),
                    attempts: answer.attempts,
                });
            }
            let body = decode::decompress(
                &answer.body,
                answer.content_encoding.as_deref(),
                self.config.max_bytes,
            )
            .map_err(|error| FetchError::Body {
                url: current.to_string(),
                error,
            })?;
            let (text, encoding, charset_source) =
                decode::decode_text(&body, answer.content_type.as_deref());
            if let Some(snapshots) = &self.snapshots {
                let entry = snapshot::Entry {
                    file: snapshot::file_name(url.as_str()),
                    url: current.to_string(),
                    status: answer.status.as_u16(),
                    content_type: answer.content_type.clone(),
                    charset: encoding.name().to_ascii_lowercase(),
                };
                if let Err(message) = snapshots.save(url.as_str(), entry, &body) {
                    tracing::warn!("{message}");
                }
            }
            return Ok(Page {
                url: current,
                text,
                encoding,
                charset_source,
            });
        }
        Err(FetchError::Invalid {
            url: url.to_string(),
            message: format!("more than {MAX_REDIRECTS} redirects"),
        })
    }

    /// `url` from the snapshot folder, never the network.
    fn replay(&self, url: &Url) -> Result<Page, FetchError> {
        let offline = |message: String| FetchError::Offline {
            url: url.to_string(),
            message,
        };
        let Some(snapshots) = self.snapshots.as_ref().filter(|s| s.replay()) else {
            return Err(offline(
                "not fetched: no snapshot_dir to replay from".to_owned(),
            ));
        };
        let (entry, body) = snapshots
            .load(url.as_str())
            .map_err(offline)?
            .ok_or_else(|| {
                offline(format!(
                    "is not saved in {} (run once without `offline` to record it)",
                    snapshots.dir().display()
                ))
            })?;
        let saved_url = Url::parse(&entry.url)
            .map_err(|e| offline(format!("saved with a bad URL {:?}: {e}", entry.url)))?;
        let (text, encoding, charset_source) =
            decode::decode_text(&body, entry.content_type.as_deref());
        Ok(Page {
            url: saved_url,
            text,
            encoding,
            charset_source,
        })
    }

    /// The host of `url`, its robots.txt fetched on first use (once, however many tasks ask).
    async fn host(&self, url: &Url) -> Result<Arc<Host>, FetchError> {
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(FetchError::Invalid {
                url: url.to_string(),
                message: "only http and https URLs with a host can be fetched".to_owned(),
            });
        }
        let origin = url.origin().ascii_serialization();
        let cell = self
            .hosts
            .lock()
            .expect("hosts lock")
            .entry(origin.clone())
            .or_default()
            .clone();
        let host = cell.get_or_init(|| self.load_host(origin)).await;
        Ok(host.clone())
    }

    async fn load_host(&self, origin: String) -> Arc<Host> {
        let robots_url = format!("{origin}/robots.txt");
        let token = robots::product_token(&self.config.user_agent);
        // robots.txt itself is requested at the configured rate too.
        let limiter = RateLimiter::direct(quota(self.config.requests_per_second, None));
        let robots = match Url::parse(&robots_url) {
            Err(e) => Robots::DisallowAll(format!("no robots.txt URL: {e}")),
            Ok(robots_target) => self.fetch_robots(robots_target, &limiter, token).await,
        };
        let limiter = match robots.crawl_delay() {
            Some(delay) => RateLimiter::direct(quota(self.config.requests_per_second, Some(delay))),
            None => limiter,
        };
        Arc::new(Host {
            robots,
            robots_url,
            limiter,
        })
    }

    async fn fetch_robots(
        &self,
        mut target: Url,
        limiter: &DefaultDirectRateLimiter,
        token: &str,
    ) -> Robots {
        for _ in 0..=MAX_REDIRECTS {
            let answer = match self.request(&target, limiter, ROBOTS_MAX_BYTES).await {
                Ok(answer) => answer,
                Err(error) => {
                    return Robots::DisallowAll(format!(
                        "robots.txt unreachable ({error}): nothing is fetched from this host (RFC 9309 §2.3.1.4)"
                    ));
                }
            };
            let status = answer.status;
            if status.is_redirection() {
                match redirect_target(&target, &answer) {
                    Ok(next) => {
                        target = next;
                        continue;
                    }
                    Err(_) => return Robots::AllowAll,
                }
            }
            if status.is_success() {
                let body = decode::decompress(
                    &answer.body,
                    answer.content_encoding.as_deref(),
                    ROBOTS_MAX_BYTES,
                )
                .unwrap_or(answer.body);
                return Robots::parse(token, &body);
            }
            if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
                return Robots::DisallowAll(format!(
                    "robots.txt answered HTTP {} after {} attempt(s): nothing is fetched from this host (RFC 9309 §2.3.1.4)",
                    status.as_u16(),
                    answer.attempts
                ));
            }
            // 4xx: "unavailable", crawl without restriction (RFC 9309 §2.3.1.3).
            return Robots::AllowAll;
        }
        Robots::AllowAll
    }

    /// One URL, retried on 429, 5xx and transport errors; every try waits for the host's rate.
    async fn request(
        &self,
        url: &Url,
        limiter: &DefaultDirectRateLimiter,
        max_bytes: u64,
    ) -> Result<Answer, FetchError> {
        let mut attempts = 0;
        let mut backoff = self.config.initial_backoff;
        loop {
            attempts += 1;
            limiter.until_ready().await;
            let result = self.try_once(url, max_bytes).await;
            let last = attempts >= self.config.max_attempts.max(1);
            let wait = match result {
                Ok(mut answer) => {
                    let retryable = answer.status == StatusCode::TOO_MANY_REQUESTS
                        || answer.status.is_server_error();
                    if !retryable || last {
                        answer.attempts = attempts;
                        return Ok(answer);
                    }
                    answer.retry_after.unwrap_or_else(|| jittered(backoff))
                }
                Err(Failure::Body(error)) => {
                    return Err(FetchError::Body {
                        url: url.to_string(),
                        error,
                    });
                }
                Err(Failure::Transport(message)) => {
                    if last {
                        return Err(FetchError::Transport {
                            url: url.to_string(),
                            message,
                            attempts,
                        });
                    }
                    jittered(backoff)
                }
            };
            tokio::time::sleep(wait.min(self.config.max_backoff)).await;
            backoff = (backoff * 2).min(self.config.max_backoff);
        }
    }

    async fn try_once(&self, url: &Url, max_bytes: u64) -> Result<Answer, Failure> {
        let mut response = self
            .http
            .get(url.clone())
            .header(
                ACCEPT,
                "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8",
            )
            .header(ACCEPT_ENCODING, "gzip, deflate, br")
            .send()
            .await
            .map_err(|e| Failure::Transport(error_chain(&e)))?;
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE);
        let content_encoding = header(CONTENT_ENCODING);
        let location = header(LOCATION);
        let retry_after = header(RETRY_AFTER).and_then(|v| parse_retry_after(&v));
        if response.content_length().is_some_and(|len| len > max_bytes) {
            return Err(Failure::Body(DecodeError::TooLarge { max_bytes }));
        }
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Failure::Transport(error_chain(&e)))?
        {
            if body.len() as u64 + chunk.len() as u64 > max_bytes {
                return Err(Failure::Body(DecodeError::TooLarge { max_bytes }));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            body,
            content_type,
            content_encoding,
            location,
            retry_after,
            attempts: 1,
        })
    }
}

struct Answer {
    status: StatusCode,
    body: Vec<u8>,
    content_type: Option<String>,
    content_encoding: Option<String>,
    location: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
}

enum Failure {
    Transport(String),
    Body(DecodeError),
}

fn redirect_target(from: &Url, answer: &Answer) -> Result<Url, FetchError> {
    answer
        .location
        .as_deref()
        .and_then(|location| from.join(location).ok())
        .ok_or_else(|| FetchError::Invalid {
            url: from.to_string(),
            message: format!(
                "HTTP {} without a usable Location header",
                answer.status.as_u16()
            ),
        })
}

/// One request per `1 / requests_per_second`, or per `Crawl-delay` when that is longer; no burst.
fn quota(requests_per_second: f64, crawl_delay: Option<Duration>) -> Quota {
    let rate = Duration::from_secs_f64(1.0 / requests_per_second.max(1e-6));
    let period = crawl_delay.map_or(rate, |d| d.max(rate));
    Quota::with_period(period.max(Duration::from_nanos(1)))
        .expect("a positive period")
        .allow_burst(NonZeroU32::MIN)
}

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The backoff with ±25 % jitter, so that several clients do not retry in step.
fn jittered(backoff: Duration) -> Duration {
    backoff.mul_f64(0.75 + fastrand::f64() * 0.5)
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// reqwest is built without a bundled rustls provider (`rustls-no-provider`), so https needs
/// one installed process-wide; ring, as restock-llm does.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The politeness keys every web collector shares, as written in its config.
pub(crate) struct PolitenessKeys<'a> {
    pub user_agent: &'a str,
    pub requests_per_second: f64,
    pub timeout_secs: f64,
    pub max_attempts: u32,
    pub max_bytes: u64,
    pub offline: bool,
    pub has_snapshot_dir: bool,
}

/// Checks the shared politeness keys, one error per key at fault; every collector calls this,
/// so `html`, `feed` and `http_json` refuse the same mistakes with the same words.
pub(crate) fn check_politeness(
    keys: &PolitenessKeys<'_>,
    errors: &mut Vec<restock_core::config::ConfigError>,
) {
    use restock_core::config::ConfigError;
    if keys.offline && !keys.has_snapshot_dir {
        errors.push(ConfigError::at_key(
            &["offline"],
            "needs snapshot_dir: offline pages are replayed from it",
        ));
    }
    if !(keys.requests_per_second.is_finite() && keys.requests_per_second > 0.0) {
        errors.push(ConfigError::at_key(
            &["requests_per_second"],
            "must be a positive number",
        ));
    }
    if !(keys.timeout_secs.is_finite() && keys.timeout_secs > 0.0) {
        errors.push(ConfigError::at_key(
            &["timeout_secs"],
            "must be a positive number of seconds",
        ));
    }
    if keys.max_attempts == 0 {
        errors.push(ConfigError::at_key(&["max_attempts"], "must be at least 1"));
    }
    if keys.max_bytes == 0 {
        errors.push(ConfigError::at_key(&["max_bytes"], "must be at least 1"));
    }
    if keys.user_agent.trim().is_empty()
        || reqwest::header::HeaderValue::from_str(keys.user_agent).is_err()
    {
        errors.push(ConfigError::at_key(
            &["user_agent"],
            "must be a non-empty header value",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
