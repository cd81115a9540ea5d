//! The API client: kube's `Client` (kubeconfig context or in-cluster config, auth, TLS) for
//! raw GETs, with what a scan needs on top: a per-request timeout, bounded retries with
//! backoff on 429/5xx/timeouts (honouring `Retry-After`), a count of every call made, and
//! errors that say what failed and why.

use crate::live::LiveOptions;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Attempts per request (the first try plus retries).
pub const ATTEMPTS: u32 = 4;
/// The longest `Retry-After` honoured; a longer one fails the request instead of stalling.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// A connected client and what it talks to.
pub struct Kube {
    client: kube::Client,
    /// The kubeconfig context, or `in-cluster`.
    pub context: String,
    timeout: Duration,
    calls: AtomicU64,
}

/// Why a GET failed.
#[derive(Debug)]
pub enum FetchError {
    /// The API answered with this status (after retries, when retryable).
    Status { code: u16, message: String },
    /// No answer within the timeout, after retries.
    Timeout,
    /// The body was not the JSON the API promises.
    Malformed(String),
    /// The connection failed (after retries).
    Transport(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Status { code: 403, message } => write!(f, "403 Forbidden: {message}"),
            FetchError::Status { code, message } if *code == 429 || *code >= 500 => {
                write!(f, "HTTP {code} after {ATTEMPTS} attempts: {message}")
            }
            FetchError::Status { code, message } => write!(f, "HTTP {code}: {message}"),
            FetchError::Timeout => write!(f, "timed out after {ATTEMPTS} attempts"),
            FetchError::Malformed(e) => write!(f, "malformed response body: {e}"),
            FetchError::Transport(e) => {
                write!(f, "connection failed after {ATTEMPTS} attempts: {e}")
            }
        }
    }
}

impl Kube {
    /// Connects as the options say: `--kubeconfig`/`--kube-context`, else `$KUBECONFIG` or
    /// `~/.kube/config`, else the in-cluster service account.
    pub async fn connect(opts: &LiveOptions) -> Result<Kube, String> {
        let options = kube::config::KubeConfigOptions {
            context: opts.kube_context.clone(),
            ..Default::default()
        };
        let (config, context) = if let Some(path) = &opts.kubeconfig {
            let kc = kube::config::Kubeconfig::read_from(path)
                .map_err(|e| format!("cannot read kubeconfig {}: {e}", path.display()))?;
            let context = opts
                .kube_context
                .clone()
                .or_else(|| kc.current_context.clone())
                .unwrap_or_default();
            let config = kube::Config::from_custom_kubeconfig(kc, &options)
                .await
                .map_err(|e| format!("kubeconfig {}: {e}", path.display()))?;
            (config, context)
        } else {
            match kube::Config::from_kubeconfig(&options).await {
                Ok(config) => {
                    let context = opts.kube_context.clone().unwrap_or_else(|| {
                        kube::config::Kubeconfig::read()
                            .ok()
                            .and_then(|k| k.current_context)
                            .unwrap_or_default()
                    });
                    (config, context)
                }
                Err(kubeconfig_err) if opts.kube_context.is_none() => {
                    match kube::Config::incluster() {
                        Ok(config) => (config, "in-cluster".to_owned()),
                        Err(e) => {
                            return Err(format!(
                                "no kubeconfig ({kubeconfig_err}) and not in a cluster ({e})"
                            ))
                        }
                    }
                }
                Err(e) => return Err(format!("kubeconfig: {e}")),
            }
        };
        let timeout = opts.timeout();
        let mut config = config;
        // Our own per-request timeout (below) is the one that reports "timed out"; kube's
        // socket timeouts only back it up, so they must not win the race and surface as an
        // opaque transport error.
        let backstop = timeout + std::time::Duration::from_secs(2);
        config.read_timeout = Some(backstop);
        config.connect_timeout = Some(backstop);
        let client = kube::Client::try_from(config).map_err(|e| format!("client: {e}"))?;
        let context = if context.is_empty() {
            "default".to_owned()
        } else {
            context
        };
        Ok(Kube {
            client,
            context,
            timeout,
            calls: AtomicU64::new(0),
        })
    }

    /// API calls made so far (every attempt counts).
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// GETs `path_and_query` and parses the JSON body, retrying what is worth retrying.
    pub async fn get_json(&self, path_and_query: &str) -> Result<serde_json::Value, FetchError> {
        let mut last = FetchError::Timeout;
        for attempt in 0..ATTEMPTS {
            let (wait, err) = match self.attempt(path_and_query).await {
                Ok(v) => return Ok(v),
                Err(Attempt::Final(e)) => return Err(e),
                Err(Attempt::Retry(e, retry_after)) => (retry_after, e),
            };
            last = err;
            if attempt + 1 == ATTEMPTS {
                break;
            }
            let backoff = Duration::from_millis(200 << attempt);
            let wait = match wait {
                Some(w) if w > MAX_RETRY_AFTER => break,
                Some(w) => w,
                None => backoff,
            };
            tokio::time::sleep(wait).await;
        }
        Err(last)
    }

    async fn attempt(&self, path_and_query: &str) -> Result<serde_json::Value, Attempt> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let request = http::Request::get(path_and_query)
            .header(http::header::ACCEPT, "application/json")
            .body(kube::client::Body::empty())
            .map_err(|e| Attempt::Final(FetchError::Transport(e.to_string())))?;
        let exchange = async {
            let resp = self.client.send(request).await?;
            let status = resp.status();
            let retry_after = resp
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|s| s.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let body = resp.into_body().collect_bytes().await?;
            Ok::<_, kube::Error>((status, retry_after, body))
        };
        let (status, retry_after, body) = match tokio::time::timeout(self.timeout, exchange).await {
            Err(_) => return Err(Attempt::Retry(FetchError::Timeout, None)),
            Ok(Err(e)) => {
                return Err(Attempt::Retry(FetchError::Transport(e.to_string()), None));
            }
            Ok(Ok(x)) => x,
        };
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map_err(|e| Attempt::Final(FetchError::Malformed(e.to_string())));
        }
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
        let err = FetchError::Status {
            code: status.as_u16(),
            message,
        };
        if status.as_u16() == 429 || status.is_server_error() {
            Err(Attempt::Retry(err, retry_after))
        } else {
            Err(Attempt::Final(err))
        }
    }
}

enum Attempt {
    Final(FetchError),
    /// Worth another try, after the server's `Retry-After` if it sent one.
    Retry(FetchError, Option<Duration>),
}
