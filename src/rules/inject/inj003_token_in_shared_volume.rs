//! INJ003 — Vault token exported into the shared secrets volume:
//! `vault.hashicorp.com/agent-inject-token` ParseBool-true (vault-k8s default false) writes the
//! agent's token to `/vault/secrets/token`, readable by every container that mounts the
//! volume. Inert (info) when injection is not enabled on the pod template.

use super::report_true_annotation;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct TokenInSharedVolume;

impl Rule for TokenInSharedVolume {
    fn id(&self) -> &'static str {
        "INJ003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        report_true_annotation(
            inv,
            out,
            "vault.hashicorp.com/agent-inject-token",
            |who, _| {
                format!("{who}: the injected agent writes its Vault token to /vault/secrets/token, where every container mounting the secrets volume can read and reuse it")
            },
        );
    }
}
