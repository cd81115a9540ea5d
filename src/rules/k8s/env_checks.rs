//! The judgements behind K8S001–K8S006, shared by every place an environment variable can be
//! set: container env (K8S00x), ConfigMap keys (K8S007), chart `extraEnvironmentVars` (HLM005)
//! and scripts (ROL008). Each returns what is wrong with one `NAME=value`, or nothing.

use crate::semantics::{self, Address, BoolReading};
use regex::Regex;
use std::sync::OnceLock;

/// Names the Vault/OpenBao API client reads to skip TLS verification (§0.1 parser 1).
pub const SKIP_VERIFY_VARS: &[&str] = &["VAULT_SKIP_VERIFY", "BAO_SKIP_VERIFY"];
/// Names the Vault/OpenBao client and agent read as the server address.
pub const ADDR_VARS: &[&str] = &[
    "VAULT_ADDR",
    "BAO_ADDR",
    "VAULT_AGENT_ADDR",
    "BAO_AGENT_ADDR",
];
pub const TOKEN_VARS: &[&str] = &["VAULT_TOKEN", "BAO_TOKEN"];

/// What a skip-verify variable does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipVerify {
    /// Verification is off.
    Disabled,
    /// Not a Go boolean: the client fails to start ("could not parse VAULT_SKIP_VERIFY").
    Invalid,
}

/// K8S001: `VAULT_SKIP_VERIFY`/`BAO_SKIP_VERIFY` under Go's `strconv.ParseBool`.
pub fn skip_verify(name: &str, value: &str) -> Option<SkipVerify> {
    if !SKIP_VERIFY_VARS.contains(&name) {
        return None;
    }
    match semantics::go_parse_bool(value) {
        BoolReading::True => Some(SkipVerify::Disabled),
        BoolReading::Invalid => Some(SkipVerify::Invalid),
        _ => None,
    }
}

/// K8S002: application-defined Vault skip-verify flags (`VAULT_TLS_SKIP_VERIFY`,
/// `QUARKUS_VAULT_TLS_SKIP_VERIFY`, `VAULT_INSECURE`, `VAULT_SSL_INSECURE`), leniently truthy.
pub fn app_skip_verify(name: &str, value: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(^|_)(VAULT|BAO|OPENBAO)_(TLS_SKIP_VERIFY|(SSL_)?INSECURE)$")
            .expect("valid regex")
    });
    re.is_match(&name.to_ascii_uppercase()) && semantics::lenient_truthy(value)
}

/// K8S003: a plaintext, non-loopback Vault address; returns the host.
pub fn plaintext_vault_addr(name: &str, value: &str) -> Option<String> {
    if !ADDR_VARS.contains(&name) {
        return None;
    }
    plaintext_host(value)
}

/// The host of a plaintext non-loopback URL, evaluating a shell default
/// (`${VAR:-http://…}`) when that is all that is literal (§0.6).
pub fn plaintext_host(value: &str) -> Option<String> {
    let v = shell_default(value).unwrap_or(value);
    match semantics::classify_address(v) {
        Address::Plaintext { host } => Some(host),
        _ => None,
    }
}

/// `${VAR:-default}` / `${VAR-default}` → `default`.
fn shell_default(v: &str) -> Option<&str> {
    let inner = v.trim().strip_prefix("${")?.strip_suffix('}')?;
    let (_, default) = inner.split_once(":-").or_else(|| inner.split_once('-'))?;
    Some(default)
}

/// True for literal values shaped like Vault tokens (`hvs.…`, legacy `s.…`).
pub fn looks_like_vault_token(value: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^(hvs|hvb|hvr|s|b|r)\.[A-Za-z0-9_-]{20,}$").expect("valid regex"))
        .is_match(value.trim())
}

/// K8S004: a static token: `VAULT_TOKEN`/`BAO_TOKEN` with a real value, or a token-shaped value
/// under any name.
pub fn static_token(name: &str, value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || semantics::is_placeholder(v) {
        return false;
    }
    TOKEN_VARS.contains(&name) || looks_like_vault_token(v)
}

/// K8S006: a plaintext Secrets Manager endpoint override. `sm_specific` tells whether the
/// same environment sets a Secrets Manager-specific variable (then the generic
/// `AWS_ENDPOINT_URL` counts too); it is asked only then, and other names are passed over
/// before their value is read (the env rules see every variable of every container).
pub fn plaintext_sm_endpoint(
    name: &str,
    value: &str,
    sm_specific: impl FnOnce() -> bool,
) -> Option<String> {
    let generic = match name {
        "AWS_ENDPOINT_URL_SECRETS_MANAGER" => false,
        "AWS_ENDPOINT_URL" => true,
        _ => return None,
    };
    let host = plaintext_host(value)?;
    (!generic || host.contains("secretsmanager") || sm_specific()).then_some(host)
}

/// True for variables that only Secrets Manager clients read.
pub fn is_sm_specific(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    n.starts_with("AWS_ENDPOINT_URL_SECRETS_MANAGER")
        || n.contains("SECRETSMANAGER")
        || n.contains("SECRETS_MANAGER")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements() {
        assert_eq!(
            skip_verify("VAULT_SKIP_VERIFY", "True"),
            Some(SkipVerify::Disabled)
        );
        assert_eq!(
            skip_verify("VAULT_SKIP_VERIFY", "yes"),
            Some(SkipVerify::Invalid)
        );
        assert_eq!(skip_verify("VAULT_SKIP_VERIFY", "false"), None);
        assert_eq!(skip_verify("VAULT_SKIP_VERIFY", ""), None);
        assert!(app_skip_verify("QUARKUS_VAULT_TLS_SKIP_VERIFY", "yes"));
        assert!(app_skip_verify("VAULT_SSL_INSECURE", "on"));
        assert!(!app_skip_verify("DB_TLS_SKIP_VERIFY", "true"));
        assert!(!app_skip_verify("VAULT_TLS_SKIP_VERIFY", "no"));
        assert_eq!(
            plaintext_vault_addr("VAULT_ADDR", "http://vault:8200").as_deref(),
            Some("vault")
        );
        assert_eq!(
            plaintext_vault_addr("VAULT_ADDR", "http://127.0.0.1:8100"),
            None
        );
        assert_eq!(
            plaintext_vault_addr("VAULT_ADDR", "${VAULT_ADDR:-http://localhost:8200}"),
            None
        );
        assert!(plaintext_vault_addr("VAULT_ADDR", "${VAULT_ADDR:-http://vault:8200}").is_some());
        assert!(static_token("VAULT_TOKEN", "root"));
        assert!(!static_token("VAULT_TOKEN", "$(TOKEN)"));
        assert!(static_token("MY_VAR", "hvs.CAESIJ0123456789abcdefghij"));
        assert!(
            plaintext_sm_endpoint("AWS_ENDPOINT_URL", "http://localstack:4566", || false).is_none()
        );
        assert!(
            plaintext_sm_endpoint("AWS_ENDPOINT_URL", "http://localstack:4566", || true).is_some()
        );
        assert!(plaintext_sm_endpoint(
            "AWS_ENDPOINT_URL_SECRETS_MANAGER",
            "http://sm.internal",
            || unreachable!("the specific name needs no other variable")
        )
        .is_some());
    }
}
