//! K8S005 — Plaintext secret-like literal env values: an `env` entry whose name ends like a
//! credential (`PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`,
//! `CREDENTIALS`, …) carries a literal `value` of 8+ characters that is not a placeholder,
//! a boolean, a number or a file path. Vault tokens belong to K8S004 (RULES-SPEC §0.7): a
//! `VAULT_TOKEN`/`BAO_TOKEN` entry or a token-shaped value is left to it. The value is never
//! printed.

use super::env_checks::{looks_like_vault_token, TOKEN_VARS};
use super::who;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::is_placeholder;
use crate::syntax::yaml::{Node, Typed};
use regex::Regex;
use std::sync::OnceLock;

pub struct PlaintextSecretEnv;

/// True for names that hold a credential (RULES-SPEC K8S005 pattern).
fn secret_like_name(name: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)$",
        )
        .expect("valid regex")
    })
    .is_match(name)
}

/// Values that are not a real secret: placeholders, booleans, numbers, file paths.
fn not_a_secret(node: &Node, v: &str) -> bool {
    let t = v.trim();
    let lower = t.to_ascii_lowercase();
    t.chars().count() < 8
        || is_placeholder(t)
        || matches!(
            lower.as_str(),
            "changeme"
                | "change-me"
                | "change_me"
                | "changeit"
                | "replaceme"
                | "replace-me"
                | "placeholder"
                | "redacted"
                | "password"
                | "secret"
        )
        || t.chars().all(|c| c == t.chars().next().unwrap_or(' '))
        || matches!(
            node.typed(),
            Some(Typed::Bool(_) | Typed::Int(_) | Typed::Float(_))
        )
        || matches!(lower.as_str(), "true" | "false")
        || t.parse::<f64>().is_ok()
        || (t.starts_with('/') && !t.contains(char::is_whitespace))
}

impl Rule for PlaintextSecretEnv {
    fn id(&self) -> &'static str {
        "K8S005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for w in inv.workloads() {
            for c in w.containers() {
                for entry in c.node.get("env").map(Node::items).unwrap_or(&[]) {
                    let Some(name) = entry.get("name").and_then(Node::as_str) else {
                        continue;
                    };
                    let Some(v) = entry.get("value") else {
                        continue;
                    };
                    let Some(value) = v.as_str() else { continue };
                    if !secret_like_name(name)
                        || TOKEN_VARS.contains(&name)
                        || looks_like_vault_token(value)
                        || not_a_secret(v, value)
                    {
                        continue;
                    }
                    out.report(
                        w.object.location(v.span),
                        format!("{} has {name} written as a literal value in the manifest: the credential is in Git, in `kubectl describe` and in the process environment, and never rotates", who(&w, &c)),
                    )
                    .identity(format!("{}/{}/env/{name}", w.object.identity(), c.name));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "DB_PASSWORD",
            "NEXTAUTH_SECRET",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "GOOGLE_CREDENTIALS",
            "apikey",
        ] {
            assert!(secret_like_name(n), "{n}");
        }
        for n in [
            "DB_PASSWORD_FILE",
            "SECRET_PATH",
            "AWS_ACCESS_KEY_ID",
            "SECRET_NAME",
            "TOKEN_TTL",
        ] {
            assert!(!secret_like_name(n), "{n}");
        }
    }
}
