//! HLM005 — Chart-level environment overrides disable TLS: `server.extraEnvironmentVars` and
//! `injector.extraEnvironmentVars` become container env (the chart upper-cases the key and
//! replaces `.` by `_`), so they are judged exactly as K8S001–K8S004 judge env; a
//! `server.extraSecretEnvironmentVars` entry named `VAULT_TOKEN`/`BAO_TOKEN` is a static token
//! from a Secret (medium). Only rendered parts count: server env outside external mode,
//! injector env when the injector is deployed.

use super::{identify, server_charts};
use crate::model::helm::{go_to_string, Mode, Values};
use crate::model::inventory::Inventory;
use crate::rules::k8s::env_checks::{self, SkipVerify, TOKEN_VARS};
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::syntax::yaml::Node;

pub struct ChartEnvOverrides;

impl Rule for ChartEnvOverrides {
    fn id(&self) -> &'static str {
        "HLM005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in server_charts(inv) {
            let server = matches!(v.mode(), Mode::Dev | Mode::Standalone | Mode::Ha);
            if server {
                env_map(&v, "server.extraEnvironmentVars", out);
                secret_env(&v, out);
            }
            if v.injector_enabled() {
                env_map(&v, "injector.extraEnvironmentVars", out);
            }
        }
    }
}

fn env_map(v: &Values<'_>, path: &str, out: &mut Emitter) {
    for (key, entry, file) in v.map_entries(path) {
        if entry.value.as_map().is_some() || entry.value.as_seq().is_some() {
            continue;
        }
        let name = key.replace('.', "_").to_ascii_uppercase();
        let value = go_to_string(Some(&entry.value));
        let (severity, what) = if let Some(s) = env_checks::skip_verify(&name, &value) {
            match s {
                SkipVerify::Disabled => (
                    Severity::Critical,
                    "disables Vault TLS verification (as K8S001)".to_owned(),
                ),
                SkipVerify::Invalid => (
                    Severity::Low,
                    "is not a Go boolean: the Vault client will fail to start (as K8S001)"
                        .to_owned(),
                ),
            }
        } else if env_checks::app_skip_verify(&name, &value) {
            (
                Severity::High,
                "turns off the application's Vault TLS verification (as K8S002)".to_owned(),
            )
        } else if let Some(host) = env_checks::plaintext_vault_addr(&name, &value) {
            (
                Severity::High,
                format!("is http:// to `{host}`: Vault traffic in cleartext (as K8S003)"),
            )
        } else if env_checks::static_token(&name, &value) {
            (
                Severity::Critical,
                "is a static Vault token written in the values (as K8S004)".to_owned(),
            )
        } else {
            continue;
        };
        let f = out.report(
            v.location(file, entry.value.span),
            format!(
                "{path}.{key} sets {name} for the {} and {what}",
                v.describe()
            ),
        );
        f.severity(severity);
        identify(f, v, &format!("{path}.{key}"));
    }
}

fn secret_env(v: &Values<'_>, out: &mut Emitter) {
    let l = v.get("server.extraSecretEnvironmentVars");
    if !l.in_file {
        return;
    }
    for item in l.node.map(Node::items).unwrap_or(&[]) {
        let Some(e) = item.entry("envName") else {
            continue;
        };
        let Some(name) = e.value.as_str().filter(|n| TOKEN_VARS.contains(n)) else {
            continue;
        };
        let f = out.report(
            v.location(l.file, e.value.span),
            format!(
                "server.extraSecretEnvironmentVars gives the {} server a static Vault token from a Secret ({name}): a long-lived bearer token instead of an auth method (as K8S004)",
                v.describe()
            ),
        );
        f.severity(Severity::Medium);
        identify(f, v, &format!("server.extraSecretEnvironmentVars/{name}"));
    }
}
