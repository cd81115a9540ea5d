//! Live sources: collectors that read Kubernetes, AWS and Vault state and hand it to the same
//! pipeline the static scan uses. Objects that have a text form (Kubernetes objects, Vault
//! policies) become [`VirtualFile`]s with a logical path (`k8s://…`, `vault://…`), so every
//! static rule applies to them unchanged; the rest becomes [`LiveFacts`]. What could not be
//! read becomes an error [`Diagnostic`], so the scan reports itself incomplete.
//!
//! Each collector lives behind its cargo feature (`live-kube`, `live-vault`, `live-aws`); a
//! build without one says so instead of silently scanning nothing.

pub mod options;
#[cfg(feature = "runtime")]
pub mod progress;

pub use crate::model::live::LiveFacts;
pub use options::LiveOptions;

use crate::diagnostic::{Diagnostic, Level};
use crate::source::classify::Format;

#[cfg(feature = "live-aws")]
pub mod aws;
#[cfg(feature = "live-kube")]
pub mod kube;
/// Always compiled: `vault::render` turns recorded responses into virtual files and facts
/// (rule fixtures use it); the collector itself needs `live-vault`.
pub mod vault;

/// An input that exists only in memory: a live object rendered as text.
#[derive(Debug, Clone)]
pub struct VirtualFile {
    /// The logical location findings point at, e.g. `k8s://prod/payments/Deployment/api`.
    pub path: String,
    pub text: String,
    pub format: Format,
}

/// What the live collectors produced, ready to join a scan.
#[derive(Debug, Clone, Default)]
pub struct LiveInput {
    pub files: Vec<VirtualFile>,
    pub facts: LiveFacts,
    /// Errors mean "incomplete": something could not be read, and the message says what.
    pub diagnostics: Vec<Diagnostic>,
    /// API calls made, per source (reported with `-v` and by the benchmark).
    pub api_calls: Vec<(&'static str, u64)>,
}

impl LiveInput {
    /// Adds another collector's output.
    pub fn merge(&mut self, other: LiveInput) {
        self.files.extend(other.files);
        self.diagnostics.extend(other.diagnostics);
        self.api_calls.extend(other.api_calls);
        self.facts.vault.extend(other.facts.vault);
        if other.facts.aws.is_some() {
            self.facts.aws = other.facts.aws;
        }
        if other.facts.kube.is_some() {
            self.facts.kube = other.facts.kube;
        }
    }

    /// An input holding only an error about `source`.
    pub fn failed(source: &str, message: impl Into<String>) -> LiveInput {
        LiveInput {
            diagnostics: vec![Diagnostic::new(
                Level::Error,
                "live-unavailable",
                source.into(),
                None,
                message,
            )],
            ..Default::default()
        }
    }
}

/// Runs every enabled collector concurrently and merges what they read.
pub fn collect(opts: &LiveOptions) -> LiveInput {
    let mut out = LiveInput::default();
    if !opts.any() {
        return out;
    }
    #[cfg(any(feature = "live-kube", feature = "live-vault", feature = "live-aws"))]
    {
        install_crypto_provider();
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => return LiveInput::failed("live", format!("cannot start a runtime: {e}")),
        };
        let parts = runtime.block_on(collect_all(opts));
        for part in parts {
            out.merge(part);
        }
    }
    for (wanted, compiled, feature, source) in [
        (
            opts.kube,
            cfg!(feature = "live-kube"),
            "live-kube",
            "k8s://",
        ),
        (
            opts.vault,
            cfg!(feature = "live-vault"),
            "live-vault",
            "vault://",
        ),
        (opts.aws, cfg!(feature = "live-aws"), "live-aws", "aws://"),
    ] {
        if wanted && !compiled {
            out.merge(LiveInput::failed(
                source,
                format!("this sealant was built without the `{feature}` feature; rebuild with `--features live`"),
            ));
        }
    }
    out
}

/// An error and its causes, `: `-joined, each cause's text once (wrappers often repeat it).
/// Not a `Debug` dump: SDK errors carry the raw response, body included, in theirs.
#[cfg(any(feature = "live-vault", feature = "live-aws"))]
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

/// kube and octocrab enable rustls' `ring` provider, the AWS SDK `aws-lc-rs`; with both in
/// one binary rustls cannot pick one and the first TLS client panics (CRATES.md §8). Installing
/// one explicitly settles it; a second call is a harmless no-op.
#[cfg(feature = "runtime")]
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(any(feature = "live-kube", feature = "live-vault", feature = "live-aws"))]
async fn collect_all(opts: &LiveOptions) -> Vec<LiveInput> {
    let progress = progress::Progress::for_stderr();
    #[cfg(feature = "live-kube")]
    let kube = watched(
        &progress,
        opts.kube,
        "kube",
        "listing Kubernetes objects",
        || kube::collect(opts),
    );
    #[cfg(not(feature = "live-kube"))]
    let kube = async { LiveInput::default() };
    #[cfg(feature = "live-vault")]
    let vault = watched(
        &progress,
        opts.vault,
        "vault",
        "reading Vault configuration",
        || vault::collect(opts),
    );
    #[cfg(not(feature = "live-vault"))]
    let vault = async { LiveInput::default() };
    #[cfg(feature = "live-aws")]
    let aws = watched(
        &progress,
        opts.aws,
        "aws",
        "describing VPC networking",
        || aws::collect(opts),
    );
    #[cfg(not(feature = "live-aws"))]
    let aws = async { LiveInput::default() };
    let (k, v, a) = tokio::join!(kube, vault, aws);
    vec![k, v, a]
}

/// Runs one collector when it is enabled, under its progress spinner.
#[cfg(any(feature = "live-kube", feature = "live-vault", feature = "live-aws"))]
async fn watched<F: std::future::Future<Output = LiveInput>>(
    progress: &progress::Progress,
    enabled: bool,
    source: &'static str,
    what: &str,
    collector: impl FnOnce() -> F,
) -> LiveInput {
    if !enabled {
        return LiveInput::default();
    }
    let spinner = progress.start(source, what);
    let input = collector().await;
    spinner.finish(&input);
    input
}
