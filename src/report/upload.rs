//! `sealant scan --upload-sarif OWNER/REPO --ref REF --commit SHA`: sends the scan's SARIF to
//! GitHub code scanning (`POST /repos/{owner}/{repo}/code-scanning/sarifs`, body gzip +
//! base64) through octocrab, with the token from `GITHUB_TOKEN`. This is what the in-cluster
//! CronJob uses, where the upload-sarif Action cannot run.

/// Upload flags of `sealant scan`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct UploadArgs {
    /// Upload the SARIF report to GitHub code scanning of this repository (token from
    /// GITHUB_TOKEN; needs the `github` feature).
    #[arg(long, value_name = "OWNER/REPO", requires_all = ["git_ref", "commit"])]
    pub upload_sarif: Option<String>,
    /// The full Git reference the analysis is for (`refs/heads/main`; a bare branch name is
    /// expanded to `refs/heads/NAME`).
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
    /// The 40-hex commit the analysis is for.
    #[arg(long, value_name = "SHA")]
    pub commit: Option<String>,
    /// GitHub API base URL (GitHub Enterprise Server: `https://HOST/api/v3`).
    #[arg(long, value_name = "URL", default_value = "https://api.github.com")]
    pub github_api_url: String,
}

/// The checked request body GitHub expects.
#[cfg(feature = "github")]
pub fn request_body(sarif: &str, commit: &str, git_ref: &str) -> Result<serde_json::Value, String> {
    use base64::Engine;
    use std::io::Write;
    if commit.len() != 40 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "--commit {commit}: a full 40-hex commit SHA is required"
        ));
    }
    let git_ref = if git_ref.starts_with("refs/") {
        git_ref.to_owned()
    } else {
        format!("refs/heads/{git_ref}")
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(sarif.as_bytes())
        .and_then(|_| gz.flush())
        .map_err(|e| format!("cannot compress the SARIF report: {e}"))?;
    let bytes = gz
        .finish()
        .map_err(|e| format!("cannot compress the SARIF report: {e}"))?;
    Ok(serde_json::json!({
        "commit_sha": commit,
        "ref": git_ref,
        "sarif": base64::engine::general_purpose::STANDARD.encode(bytes),
        "tool_name": "sealant",
    }))
}

/// Uploads `sarif`; returns the upload id GitHub assigned.
#[cfg(feature = "github")]
pub fn upload(args: &UploadArgs, sarif: &str) -> Result<String, String> {
    let repo = args.upload_sarif.as_deref().unwrap_or("");
    let Some((owner, name)) = repo
        .split_once('/')
        .filter(|(o, n)| !o.is_empty() && !n.is_empty() && !n.contains('/'))
    else {
        return Err(format!("--upload-sarif {repo}: expected OWNER/REPO"));
    };
    let body = request_body(
        sarif,
        args.commit.as_deref().unwrap_or(""),
        args.git_ref.as_deref().unwrap_or(""),
    )?;
    let token = std::env::var("GITHUB_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or("--upload-sarif needs a token in GITHUB_TOKEN (security_events: write)")?;
    crate::live::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    runtime.block_on(async {
        let client = octocrab::Octocrab::builder()
            .base_uri(args.github_api_url.as_str())
            .map_err(|e| format!("--github-api-url {}: {e}", args.github_api_url))?
            .personal_token(token)
            .build()
            .map_err(|e| format!("GitHub client: {e}"))?;
        let route = format!("/repos/{owner}/{name}/code-scanning/sarifs");
        let resp: serde_json::Value =
            client
                .post(&route, Some(&body))
                .await
                .map_err(|e| match e {
                    octocrab::Error::GitHub { source, .. } => {
                        format!(
                            "GitHub refused the SARIF upload ({}): {}",
                            source.status_code, source.message
                        )
                    }
                    other => format!("SARIF upload failed: {other}"),
                })?;
        Ok(resp
            .get("id")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_owned())
    })
}

/// Without the `github` feature the flag explains how to get it.
#[cfg(not(feature = "github"))]
pub fn upload(_args: &UploadArgs, _sarif: &str) -> Result<String, String> {
    Err(
        "this sealant was built without the `github` feature; rebuild with `--features github`"
            .into(),
    )
}
