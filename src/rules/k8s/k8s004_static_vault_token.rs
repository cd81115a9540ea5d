//! K8S004 — Static Vault token in workload spec: `VAULT_TOKEN`/`BAO_TOKEN` with a literal value
//! (critical: the token is in Git), from a ConfigMap in the scan set (critical), from a
//! Secret (medium: a long-lived bearer token), or any value shaped like a Vault token. The
//! value itself is never printed.

use super::env_checks::{static_token, TOKEN_VARS};
use super::{each_env, finish, who};
use crate::model::env::Origin;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct StaticVaultToken;

impl Rule for StaticVaultToken {
    fn id(&self) -> &'static str {
        "K8S004"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        // Dev namespaces on an allow-list (option `K8S004.allow_namespaces`) may use static tokens.
        let allowed = cx
            .config
            .option("K8S004", "allow_namespaces")
            .unwrap_or(&[]);
        each_env(inv, |site, v, _| {
            if allowed.contains(&site.object.namespace) {
                return;
            }
            let from_secret = matches!(v.origin, Origin::Secret | Origin::SecretRef);
            if from_secret && TOKEN_VARS.contains(&v.name.as_str()) {
                let Some((w, c)) = site.resolve() else { return };
                let f = out.report(
                    w.object.location(v.span),
                    format!("{} takes a static Vault token from a Secret ({}): a long-lived bearer token instead of an auth method", who(w, c), v.name),
                );
                f.severity(Severity::Medium);
                finish(f, w, c, v);
                return;
            }
            if from_secret {
                return;
            }
            let Some(value) = v.value.as_deref() else {
                return;
            };
            if static_token(&v.name, value) {
                let Some((w, c)) = site.resolve() else { return };
                let place = if v.origin == Origin::ConfigMap {
                    "a ConfigMap"
                } else {
                    "the manifest"
                };
                let f = out.report(
                    w.object.location(v.span),
                    format!(
                        "{} has a static Vault token written in {place} ({})",
                        who(w, c),
                        v.name
                    ),
                );
                f.severity(Severity::Critical);
                finish(f, w, c, v);
            }
        });
    }
}
