//! ESO003 — ESO authenticates with a static Vault token: `spec.provider.vault.auth.
//! tokenSecretRef` on a SecretStore/ClusterSecretStore — a long-lived bearer token in a
//! Kubernetes Secret instead of a login that issues short-lived tokens.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct StaticVaultToken;

impl Rule for StaticVaultToken {
    fn id(&self) -> &'static str {
        "ESO003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for store in super::stores(inv) {
            let Some(e) = store
                .get(&["spec", "provider", "vault", "auth"])
                .and_then(|a| a.entry("tokenSecretRef"))
            else {
                continue;
            };
            out.report(
                store.location(e.key.span),
                format!("{} authenticates to Vault with a static token from a Secret (tokenSecretRef): a long-lived bearer token that works from anywhere until revoked", store.display()),
            )
            .identity(format!("{}/provider/vault/auth/tokenSecretRef", store.identity()));
        }
    }
}
