//! INJ003 — Vault token exported into the shared secrets volume:
//! `vault.hashicorp.com/agent-inject-token` ParseBool-true (vault-k8s default false) writes the
//! agent's token to `/vault/secrets/token`, readable by every container that mounts the
//! volume. Inert (info) when injection is not enabled on the pod template.

use super::injection_enabled;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{weak_parse_bool_str, BoolReading};

pub struct TokenInSharedVolume;

impl Rule for TokenInSharedVolume {
    fn id(&self) -> &'static str {
        "INJ003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for w in inv.workloads() {
            let Some(e) = w.annotation("vault.hashicorp.com/agent-inject-token") else {
                continue;
            };
            let Some(value) = e.value.as_str() else {
                continue;
            };
            if weak_parse_bool_str(value) != BoolReading::True {
                continue;
            }
            let enabled = injection_enabled(&w);
            let msg = if enabled {
                format!("{}: the injected agent writes its Vault token to /vault/secrets/token, where every container mounting the secrets volume can read and reuse it", w.object.display())
            } else {
                format!("{}: agent-inject-token is set but inert while vault.hashicorp.com/agent-inject is not true", w.object.display())
            };
            let f = out.report(w.object.location(e.value.span), msg);
            f.identity(format!(
                "{}/annotations/agent-inject-token",
                w.object.identity()
            ));
            if !enabled {
                f.severity(Severity::Info);
            }
        }
    }
}
