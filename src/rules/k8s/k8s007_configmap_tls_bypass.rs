//! K8S007 — ConfigMap carries TLS bypass / plaintext Vault settings: a `data` key named like a
//! K8S001–K8S004 variable with a triggering value, reported at the key, at the severity of the
//! corresponding env rule, with each consuming workload as a related location. Embedded Vault
//! HCL in ConfigMaps belongs to the AGT/SRV rules (RULES-SPEC §0.7).

use super::env_checks::{self, SkipVerify};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::syntax::yaml::Node;

pub struct ConfigMapTlsBypass;

/// What a ConfigMap key would do to a consumer: severity and description.
fn judge(key: &str, value: &str) -> Option<(Severity, String)> {
    match env_checks::skip_verify(key, value) {
        Some(SkipVerify::Disabled) => {
            return Some((
                Severity::Critical,
                format!("{key}={value} turns off Vault TLS verification for every consumer"),
            ))
        }
        Some(SkipVerify::Invalid) => {
            return Some((
                Severity::Low,
                format!(
                    "{key}=`{value}` is not a Go boolean: consuming Vault clients fail to start"
                ),
            ))
        }
        None => {}
    }
    if env_checks::app_skip_verify(key, value) {
        return Some((
            Severity::High,
            format!("{key}={value} tells consuming applications to skip Vault TLS verification"),
        ));
    }
    if let Some(host) = env_checks::plaintext_vault_addr(key, value) {
        return Some((
            Severity::High,
            format!("{key} is a plaintext http:// Vault address (`{host}`)"),
        ));
    }
    if env_checks::TOKEN_VARS.contains(&key) && env_checks::static_token(key, value) {
        return Some((
            Severity::Critical,
            format!("{key} holds a static Vault token in a ConfigMap"),
        ));
    }
    None
}

impl Rule for ConfigMapTlsBypass {
    fn id(&self) -> &'static str {
        "K8S007"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for cm in inv.objects_of_kind(&["ConfigMap"]) {
            for (key, entry) in cm.get(&["data"]).into_iter().flat_map(Node::entries) {
                let Some(value) = entry.value.as_str() else {
                    continue;
                };
                let Some((severity, what)) = judge(key, value) else {
                    continue;
                };
                let f = out.report(
                    cm.location(entry.key.span),
                    format!("ConfigMap {}: {what}", cm.display()),
                );
                f.severity(severity)
                    .identity(format!("{}/data/{key}", cm.identity()));
                for w in inv.consumers_of_config_map(cm) {
                    f.related(
                        w.object.location(w.object.kind_span()),
                        format!("consumed by {}", w.object.display()),
                    );
                }
            }
        }
    }
}
