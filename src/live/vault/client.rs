//! The HTTP side of the Vault collector: one reqwest client (rustls), the token and namespace
//! headers, per-request timeouts, bounded retries with backoff on 429 (honouring
//! `Retry-After`) and 5xx, API call counting, and an error diagnostic for everything that
//! could not be read — 403, timeouts, 5xx after retries, malformed bodies.

use crate::diagnostic::{Diagnostic, Level};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Attempts per request (the first try plus retries).
pub const ATTEMPTS: u32 = 4;
/// Longest wait honoured from `Retry-After` (a server asking for more is treated as failing).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Where and how to connect.
#[derive(Debug, Clone, Default)]
pub struct VaultTarget {
    pub addr: String,
    pub token: Option<String>,
    /// PEM bundle trusted in addition to the system roots (`VAULT_CACERT`).
    pub ca_cert: Option<std::path::PathBuf>,
    pub namespace: Option<String>,
    pub insecure: bool,
    pub timeout: Duration,
    /// Base delay of the exponential backoff (tests shorten it).
    pub backoff: Duration,
}

impl VaultTarget {
    /// From the environment, as the Vault/OpenBao CLI reads it: a `BAO_*` variable that is
    /// present wins over its `VAULT_*` twin (RULES-SPEC §0.1, `ReadBaoVariable`).
    pub fn from_env(insecure: bool, timeout: Duration) -> VaultTarget {
        let var = |name: &str| {
            std::env::var(format!("BAO_{name}"))
                .or_else(|_| std::env::var(format!("VAULT_{name}")))
                .ok()
                .filter(|v| !v.is_empty())
        };
        VaultTarget {
            addr: var("ADDR").unwrap_or_else(|| "https://127.0.0.1:8200".into()),
            token: var("TOKEN"),
            ca_cert: var("CACERT").map(Into::into),
            namespace: var("NAMESPACE"),
            insecure,
            timeout,
            backoff: Duration::from_millis(250),
        }
    }
}

/// A response that was read.
pub enum Got {
    Ok(Value),
    /// 404: the path holds nothing (an empty LIST).
    NotFound,
}

/// The client of one server.
pub struct Api {
    http: reqwest::Client,
    base: String,
    target: VaultTarget,
    /// `vault://<host:port>`, the prefix of diagnostics' paths.
    logical: String,
    pub calls: AtomicU64,
    pub diagnostics: Mutex<Vec<Diagnostic>>,
    /// A request failed to connect at all (refused, DNS, TLS): later reads would only repeat it.
    pub unreachable: std::sync::atomic::AtomicBool,
}

impl Api {
    pub fn new(target: VaultTarget, logical: String) -> Result<Api, String> {
        let mut b = reqwest::Client::builder()
            .timeout(target.timeout)
            .connect_timeout(target.timeout)
            .use_rustls_tls();
        if let Some(path) = &target.ca_cert {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read VAULT_CACERT {}: {e}", path.display()))?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| format!("VAULT_CACERT {} is not PEM: {e}", path.display()))?
            {
                b = b.add_root_certificate(cert);
            }
        }
        if target.insecure {
            b = b.danger_accept_invalid_certs(true);
        }
        let http = b
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Api {
            http,
            base: target.addr.trim_end_matches('/').to_owned(),
            target,
            logical,
            calls: AtomicU64::new(0),
            diagnostics: Mutex::new(Vec::new()),
            unreachable: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Records that `api_path` could not be read (the scan becomes incomplete).
    pub fn incomplete(&self, api_path: &str, message: impl Into<String>) {
        let d = Diagnostic::new(
            Level::Error,
            "live-incomplete",
            format!("{}/{api_path}", self.logical).into(),
            None,
            message,
        );
        self.diagnostics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(d);
    }

    fn builder(&self, method: Method, api_path: &str, list: bool) -> reqwest::RequestBuilder {
        let url = format!("{}/v1/{api_path}", self.base);
        let mut r = self.http.request(method, url);
        if list {
            r = r.query(&[("list", "true")]);
        }
        if let Some(t) = &self.target.token {
            r = r.header("X-Vault-Token", t);
        }
        if let Some(ns) = &self.target.namespace {
            r = r.header("X-Vault-Namespace", ns);
        }
        r
    }

    /// Sends with retries; returns the final status and body, or why nothing came back.
    async fn send(
        &self,
        api_path: &str,
        list: bool,
        accept: impl Fn(StatusCode) -> bool,
    ) -> Result<(StatusCode, String), String> {
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            self.calls.fetch_add(1, Ordering::Relaxed);
            let wait = match self.builder(Method::GET, api_path, list).send().await {
                Ok(resp) => {
                    let status = resp.status();
                    if accept(status)
                        || !(status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error())
                    {
                        let body = resp.text().await.map_err(|e| {
                            format!("reading the response body failed: {}", plain(&e))
                        })?;
                        return Ok((status, body));
                    }
                    last = format!("HTTP {status} after {} attempts", attempt + 1);
                    retry_after(resp.headers())
                }
                Err(e) => {
                    last = if e.is_timeout() {
                        format!(
                            "timed out after {}s ({} attempts)",
                            self.target.timeout.as_secs_f32(),
                            attempt + 1
                        )
                    } else {
                        format!("request failed: {}", plain(&e))
                    };
                    // Connection refused or a TLS failure will not heal by retrying.
                    if !e.is_timeout() {
                        if e.is_connect() {
                            self.unreachable.store(true, Ordering::Relaxed);
                        }
                        return Err(last);
                    }
                    None
                }
            };
            if attempt + 1 < ATTEMPTS {
                let backoff = self.target.backoff * 2u32.pow(attempt);
                match wait {
                    Some(w) if w > MAX_RETRY_AFTER => {
                        return Err(format!("{last}; Retry-After {}s is too long", w.as_secs()))
                    }
                    Some(w) => tokio::time::sleep(w.max(backoff)).await,
                    None => tokio::time::sleep(backoff).await,
                }
            }
        }
        Err(last)
    }

    /// GET (or LIST) a logical path and return its `data`. 404 is `NotFound`; 403, errors
    /// and malformed bodies become an incomplete diagnostic and `None`.
    pub async fn data(&self, api_path: &str, list: bool) -> Option<Got> {
        let what = if list { "LIST" } else { "GET" };
        let (status, body) = match self.send(api_path, list, |_| false).await {
            Ok(r) => r,
            Err(e) => {
                self.incomplete(api_path, format!("{what} /v1/{api_path}: {e}"));
                return None;
            }
        };
        match status {
            s if s.is_success() => {}
            StatusCode::NOT_FOUND => return Some(Got::NotFound),
            StatusCode::FORBIDDEN => {
                self.incomplete(
                    api_path,
                    format!("{what} /v1/{api_path}: 403 permission denied — the scanner's token lacks this capability (see deploy/vault-scanner-policy.hcl); this part was not scanned"),
                );
                return None;
            }
            s => {
                let errors = serde_json::from_str::<Value>(&body)
                    .ok()
                    .and_then(|v| v.get("errors").cloned())
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default();
                self.incomplete(api_path, format!("{what} /v1/{api_path}: HTTP {s}{errors}"));
                return None;
            }
        }
        let v: Value = match serde_json::from_str(&body) {
            Ok(v) => v,
            Err(e) => {
                self.incomplete(
                    api_path,
                    format!("{what} /v1/{api_path}: malformed JSON response ({e})"),
                );
                return None;
            }
        };
        match v.get("data") {
            Some(d) if d.is_object() => Some(Got::Ok(d.clone())),
            _ => {
                self.incomplete(
                    api_path,
                    format!("{what} /v1/{api_path}: response has no `data` object"),
                );
                None
            }
        }
    }

    /// `LIST` keys; `Some(empty)` when the path holds nothing.
    pub async fn keys(&self, api_path: &str) -> Option<Vec<String>> {
        match self.data(api_path, true).await? {
            Got::NotFound => Some(Vec::new()),
            Got::Ok(d) => match d.get("keys").and_then(Value::as_array) {
                Some(keys) => Some(
                    keys.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                ),
                None => {
                    self.incomplete(
                        api_path,
                        format!("LIST /v1/{api_path}: no `data.keys` list"),
                    );
                    None
                }
            },
        }
    }

    /// `sys/health`: every documented status code is an answer (standby 429, sealed 503, …),
    /// so nothing is retried here except 5xx codes Vault never uses for health.
    pub async fn health(&self) -> Option<(u16, Value)> {
        const HEALTH: &[u16] = &[200, 429, 472, 473, 474, 501, 503, 530];
        let path = "sys/health";
        match self
            .send(path, false, |s| HEALTH.contains(&s.as_u16()))
            .await
        {
            Ok((s, body)) if HEALTH.contains(&s.as_u16()) => match serde_json::from_str(&body) {
                Ok(v) => Some((s.as_u16(), v)),
                Err(e) => {
                    self.incomplete(
                        path,
                        format!("GET /v1/{path}: malformed JSON response ({e})"),
                    );
                    None
                }
            },
            Ok((s, _)) => {
                self.incomplete(path, format!("GET /v1/{path}: unexpected HTTP {s}"));
                None
            }
            Err(e) => {
                self.incomplete(path, format!("GET /v1/{path}: {e}"));
                None
            }
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by Vault).
fn retry_after(h: &reqwest::header::HeaderMap) -> Option<Duration> {
    h.get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// An error with its causes (tokens travel in headers, never in the URL shown here).
fn plain(e: &reqwest::Error) -> String {
    crate::live::error_chain(e)
}
