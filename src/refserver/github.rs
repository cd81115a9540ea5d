//! GitHub's code-scanning SARIF upload endpoint
//! (`POST /repos/{owner}/{repo}/code-scanning/sarifs`), checked as GitHub checks it: a token,
//! `commit_sha` of 40 hex digits, a full `ref` (`refs/heads/…`, `refs/pull/…/merge`…), and
//! `sarif` = base64 of the gzip of a SARIF 2.1.0 log. Accepted uploads are recorded so tests
//! can read what arrived; the answer is `202 {"id", "url"}`.
//!
//! World section: `github: { repos: [owner/name, ...] }` limits the known repositories
//! (default: any).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{json, Value};
use std::io::Read;
use std::sync::{Arc, Mutex};

/// One accepted upload.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: String,
    pub owner: String,
    pub repo: String,
    pub commit_sha: String,
    pub git_ref: String,
    pub tool_name: Option<String>,
    /// The decoded SARIF log.
    pub sarif: Value,
}

/// The uploads a server accepted, shared with its [`super::Handle`].
pub type Uploads = Arc<Mutex<Vec<Upload>>>;

#[derive(Clone)]
struct GitHub {
    repos: Option<Vec<String>>,
    uploads: Uploads,
}

/// The router for the world's `github:` section.
pub fn router(section: &Value, uploads: Uploads) -> Result<axum::Router, String> {
    let repos = match section.get("repos") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => Some(
            a.iter()
                .map(|r| {
                    r.as_str().map(str::to_owned).ok_or_else(|| {
                        "github.repos: entries must be owner/name strings".to_owned()
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err("github.repos must be a list".into()),
    };
    Ok(axum::Router::new()
        .route("/repos/{owner}/{repo}/code-scanning/sarifs", post(upload))
        .route(
            "/repos/{owner}/{repo}/code-scanning/sarifs/{id}",
            get(status),
        )
        .with_state(GitHub { repos, uploads }))
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "message": message.into(), "documentation_url": "https://docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data" })
            .to_string(),
    )
        .into_response()
}

/// Decodes `sarif`: base64, then gzip, then JSON with `version: 2.1.0` and `runs`.
pub fn decode_sarif(b64: &str) -> Result<Value, String> {
    let gz = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| format!("sarif is not base64: {e}"))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .map_err(|e| format!("sarif is not gzip-compressed UTF-8: {e}"))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("sarif is not JSON: {e}"))?;
    if v.get("version").and_then(Value::as_str) != Some("2.1.0") {
        return Err("sarif: version must be 2.1.0".into());
    }
    if !v.get("runs").is_some_and(Value::is_array) {
        return Err("sarif: runs must be an array".into());
    }
    Ok(v)
}

async fn upload(
    State(gh): State<GitHub>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("token "))
        .unwrap_or("");
    if token.trim().is_empty() {
        return error(StatusCode::UNAUTHORIZED, "Requires authentication");
    }
    let full = format!("{owner}/{repo}");
    if gh.repos.as_ref().is_some_and(|r| !r.contains(&full)) {
        return error(StatusCode::NOT_FOUND, "Not Found");
    }
    let req: Value = match serde_json::from_str(&body) {
        Ok(v) => v,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("Problems parsing JSON: {e}"),
            )
        }
    };
    let field = |k: &str| req.get(k).and_then(Value::as_str).unwrap_or("");
    let commit_sha = field("commit_sha");
    if commit_sha.len() != 40 || !commit_sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Invalid request.\n\n\"{commit_sha}\" does not match /^[0-9a-fA-F]{{40}}$/"),
        );
    }
    let git_ref = field("ref");
    if !git_ref.starts_with("refs/") {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Invalid request.\n\nref \"{git_ref}\" must be a full reference (refs/heads/…, refs/pull/…)"),
        );
    }
    let sarif = match decode_sarif(field("sarif")) {
        Ok(s) => s,
        Err(e) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Invalid request.\n\n{e}"),
            )
        }
    };
    let Ok(mut uploads) = gh.uploads.lock() else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "upload store poisoned");
    };
    let id = format!(
        "{:08x}-0000-4000-8000-{:012x}",
        uploads.len() + 1,
        uploads.len() + 1
    );
    uploads.push(Upload {
        id: id.clone(),
        owner: owner.clone(),
        repo: repo.clone(),
        commit_sha: commit_sha.to_owned(),
        git_ref: git_ref.to_owned(),
        tool_name: req
            .get("tool_name")
            .and_then(Value::as_str)
            .map(str::to_owned),
        sarif,
    });
    (
        StatusCode::ACCEPTED,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "id": id, "url": format!("/repos/{owner}/{repo}/code-scanning/sarifs/{id}") })
            .to_string(),
    )
        .into_response()
}

async fn status(
    State(gh): State<GitHub>,
    Path((_owner, _repo, id)): Path<(String, String, String)>,
) -> Response {
    let known = gh
        .uploads
        .lock()
        .map(|u| u.iter().any(|x| x.id == id))
        .unwrap_or(false);
    if !known {
        return error(StatusCode::NOT_FOUND, "Not Found");
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "processing_status": "complete", "analyses_url": null, "errors": null })
            .to_string(),
    )
        .into_response()
}
