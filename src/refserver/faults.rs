//! Generic fault injection for every API of the reference server (world `faults:`):
//! latency, an error status (403, 500, 429 with `Retry-After`, …), a malformed body, each
//! for the first `times` matching requests only (or all of them).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Which API a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    Kubernetes,
    Vault,
    Ec2,
    Github,
}

/// One fault from the world file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    pub api: Api,
    /// A path prefix (`/api/v1/secrets`), a path segment run without a leading `/`
    /// (`secrets` matches `/api/v1/namespaces/x/secrets`), or an EC2 `Action`. Empty: every
    /// request of the API.
    #[serde(rename = "match", default)]
    pub matches: String,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub status: Option<u16>,
    /// Seconds, sent as `Retry-After` with the status.
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Only the first N matching requests (default: all).
    #[serde(default)]
    pub times: Option<u64>,
    /// Answer with a truncated, unparseable body (status 200).
    #[serde(default)]
    pub malformed: bool,
}

impl Fault {
    fn applies(&self, api: Api, path: &str, action: Option<&str>) -> bool {
        if self.api != api {
            return false;
        }
        let m = self.matches.as_str();
        if m.is_empty() {
            return true;
        }
        if api == Api::Ec2 {
            return action == Some(m);
        }
        if m.starts_with('/') {
            path.starts_with(m)
        } else {
            let needle = format!("/{}", m.trim_end_matches('/'));
            path.match_indices(&needle)
                .any(|(i, _)| matches!(path.as_bytes().get(i + needle.len()), None | Some(b'/')))
        }
    }
}

struct Armed {
    fault: Fault,
    hits: AtomicU64,
}

/// Wraps `app` so every request meets the faults that match it.
pub fn layer(app: axum::Router, faults: &[Fault]) -> axum::Router {
    if faults.is_empty() {
        return app;
    }
    let armed: Arc<Vec<Armed>> = Arc::new(
        faults
            .iter()
            .map(|f| Armed {
                fault: f.clone(),
                hits: AtomicU64::new(0),
            })
            .collect(),
    );
    app.layer(axum::middleware::from_fn_with_state(armed, inject))
}

/// The API a request is for, by its path (routes of the APIs do not overlap).
fn api_of(path: &str) -> Option<Api> {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "api" | "apis" | "version" | "openapi" => Some(Api::Kubernetes),
        "v1" => Some(Api::Vault),
        "repos" => Some(Api::Github),
        "" => Some(Api::Ec2),
        _ => None,
    }
}

fn form_value(form: &str, key: &str) -> Option<String> {
    form.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.to_owned())
    })
}

async fn inject(State(armed): State<Arc<Vec<Armed>>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let Some(api) = api_of(&path) else {
        return next.run(req).await;
    };
    // EC2 names its operation in the form body (or the query): read it, then rebuild.
    let (req, action) = if api == Api::Ec2 {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 16 << 20)
            .await
            .unwrap_or_default();
        let action = form_value(&String::from_utf8_lossy(&bytes), "Action")
            .or_else(|| parts.uri.query().and_then(|q| form_value(q, "Action")));
        (Request::from_parts(parts, Body::from(bytes)), action)
    } else {
        (req, None)
    };
    let hit = armed.iter().find(|a| {
        a.fault.applies(api, &path, action.as_deref())
            && a.fault
                .times
                .is_none_or(|n| a.hits.fetch_add(1, Ordering::SeqCst) < n)
    });
    let Some(hit) = hit else {
        return next.run(req).await;
    };
    let fault = &hit.fault;
    if let Some(ms) = fault.latency_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if let Some(code) = fault.status {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = error_body(api, status).into_response();
        if let Some(secs) = fault.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        return resp;
    }
    let resp = next.run(req).await;
    if !fault.malformed {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 64 << 20)
        .await
        .unwrap_or_default();
    let mut broken = bytes[..bytes.len() / 2].to_vec();
    broken.extend_from_slice(b"\x00<<truncated");
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.status = StatusCode::OK;
    Response::from_parts(parts, Body::from(broken))
}

/// The error body each API sends with a status, in its own shape.
fn error_body(
    api: Api,
    status: StatusCode,
) -> (StatusCode, [(header::HeaderName, &'static str); 1], String) {
    let reason = status.canonical_reason().unwrap_or("Error");
    match api {
        Api::Kubernetes => {
            let k8s_reason = match status.as_u16() {
                403 => "Forbidden",
                404 => "NotFound",
                410 => "Expired",
                429 => "TooManyRequests",
                503 => "ServiceUnavailable",
                _ => "InternalError",
            };
            let body = serde_json::json!({
                "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": format!("injected fault: {reason}"), "reason": k8s_reason,
                "code": status.as_u16(),
            });
            (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
        }
        Api::Vault => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "errors": [format!("injected fault: {reason}")] }).to_string(),
        ),
        Api::Github => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "message": format!("injected fault: {reason}"),
                "documentation_url": "https://docs.github.com/rest" })
            .to_string(),
        ),
        Api::Ec2 => {
            let code = match status.as_u16() {
                403 => "UnauthorizedOperation",
                429 | 503 => "RequestLimitExceeded",
                _ => "InternalError",
            };
            (
                status,
                [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>injected fault: {reason}</Message></Error></Errors><RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>"
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(api: Api, m: &str) -> Fault {
        Fault {
            api,
            matches: m.into(),
            latency_ms: None,
            status: Some(500),
            retry_after: None,
            times: None,
            malformed: false,
        }
    }

    #[test]
    fn matching_by_prefix_segment_and_action() {
        let f = fault(Api::Kubernetes, "secrets");
        assert!(f.applies(Api::Kubernetes, "/api/v1/secrets", None));
        assert!(f.applies(Api::Kubernetes, "/api/v1/namespaces/a/secrets", None));
        assert!(!f.applies(Api::Kubernetes, "/api/v1/secretsx", None));
        assert!(!f.applies(Api::Vault, "/api/v1/secrets", None));
        let f = fault(Api::Kubernetes, "/apis/apps");
        assert!(f.applies(Api::Kubernetes, "/apis/apps/v1/deployments", None));
        assert!(!f.applies(Api::Kubernetes, "/api/v1/pods", None));
        let f = fault(Api::Ec2, "DescribeVpcs");
        assert!(f.applies(Api::Ec2, "/", Some("DescribeVpcs")));
        assert!(!f.applies(Api::Ec2, "/", Some("DescribeSubnets")));
        assert_eq!(api_of("/v1/sys/mounts"), Some(Api::Vault));
        assert_eq!(api_of("/repos/o/r/code-scanning/sarifs"), Some(Api::Github));
        assert_eq!(api_of("/apis"), Some(Api::Kubernetes));
    }
}
