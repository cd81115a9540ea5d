//! Vault Secrets Operator rules (RULES-SPEC §1(a-6)), on `VaultConnection` objects
//! (secrets.hashicorp.com). The chart's `defaultVaultConnection.*` belongs to HLM009.
//!
//! VSO001 — `spec.skipTLSVerify: true` (a boolean field: the API server rejects strings).
//! VSO002 — `spec.address` plaintext http:// on a non-loopback host.

use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{classify_address, Address};
use crate::syntax::yaml::Typed;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(VsoSkipTlsVerify), Box::new(VsoPlaintextAddress)]
}

fn connections(inv: &Inventory) -> impl Iterator<Item = &K8sObject> {
    inv.objects_of_kind(&["VaultConnection"])
        .filter(|o| o.api_group() == "secrets.hashicorp.com")
}

pub struct VsoSkipTlsVerify;

impl Rule for VsoSkipTlsVerify {
    fn id(&self) -> &'static str {
        "VSO001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for conn in connections(inv) {
            let Some(e) = conn.get(&["spec"]).and_then(|s| s.entry("skipTLSVerify")) else {
                continue;
            };
            if e.value.typed() == Some(Typed::Bool(true)) {
                let f = out.report(
                    conn.location(e.value.span),
                    format!(
                        "{}: the Vault Secrets Operator skips TLS verification for this connection",
                        conn.display()
                    ),
                );
                f.identity(format!("{}/spec/skipTLSVerify", conn.identity()));
            }
        }
    }
}

pub struct VsoPlaintextAddress;

impl Rule for VsoPlaintextAddress {
    fn id(&self) -> &'static str {
        "VSO002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for conn in connections(inv) {
            let Some(e) = conn.get(&["spec"]).and_then(|s| s.entry("address")) else {
                continue;
            };
            let Some(value) = e.value.as_str() else {
                continue;
            };
            if let Address::Plaintext { host } = classify_address(value) {
                let f = out.report(conn.location(e.value.span), format!("{}: the Vault Secrets Operator connects to Vault over plaintext http:// (`{host}`)", conn.display()));
                f.identity(format!("{}/spec/address", conn.identity()));
            }
        }
    }
}
