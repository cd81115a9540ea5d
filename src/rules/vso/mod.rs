//! Vault Secrets Operator rules (RULES-SPEC §1(a-6)), on `VaultConnection` objects
//! (secrets.hashicorp.com). The chart's `defaultVaultConnection.*` belongs to HLM009.
//!
//! VSO001 — `spec.skipTLSVerify: true` (a boolean field: the API server rejects strings).
//! VSO002 — `spec.address` plaintext http:// on a non-loopback host.
//! VSO003–VSO006 live in their own files.

mod vso003_vault_auth_all_namespaces;
mod vso004_vault_auth_default_sa;
mod vso005_dynamic_not_revoked;
mod vso006_static_drift_detection_off;

use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{classify_address, Address};
use crate::syntax::yaml::Typed;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(VsoSkipTlsVerify),
        Box::new(VsoPlaintextAddress),
        Box::new(vso003_vault_auth_all_namespaces::VaultAuthAllNamespaces),
        Box::new(vso004_vault_auth_default_sa::VaultAuthDefaultSa),
        Box::new(vso005_dynamic_not_revoked::DynamicNotRevoked),
        Box::new(vso006_static_drift_detection_off::StaticDriftDetectionOff),
    ]
}

/// VSO objects of `kinds` (secrets.hashicorp.com).
pub(crate) fn of_kind<'a>(
    inv: &'a Inventory,
    kinds: &'a [&'a str],
) -> impl Iterator<Item = &'a K8sObject> + 'a {
    inv.objects_of_kind(kinds)
        .filter(|o| o.api_group() == "secrets.hashicorp.com")
}

fn connections(inv: &Inventory) -> impl Iterator<Item = &K8sObject> {
    of_kind(inv, &["VaultConnection"])
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
