//! ESO001 — ESO talks to Vault over HTTP: a `SecretStore`/`ClusterSecretStore`
//! (external-secrets.io) whose `spec.provider.vault.server` is plaintext http:// on a
//! non-loopback host. `caBundle`/`caProvider`/`tls` are ignored for plain HTTP connections.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{classify_address, Address};

pub struct EsoPlaintextVault;

impl Rule for EsoPlaintextVault {
    fn id(&self) -> &'static str {
        "ESO001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for store in super::stores(inv) {
            let Some(server) = store
                .get(&["spec", "provider", "vault"])
                .and_then(|v| v.entry("server"))
            else {
                continue;
            };
            let Some(value) = server.value.as_str() else {
                continue;
            };
            if let Address::Plaintext { host } = classify_address(value) {
                let f = out.report(
                    store.location(server.value.span),
                    format!("{}: External Secrets reads Vault over plaintext http:// (`{host}`); its Vault token and every synced secret cross the network in clear", store.display()),
                );
                f.identity(format!("{}/provider/vault/server", store.identity()));
            }
        }
    }
}
