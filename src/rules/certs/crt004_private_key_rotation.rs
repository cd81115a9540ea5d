//! CRT004 — Private key reuse vs SPKI pinning (info), for Vault client certificates:
//! `privateKey.rotationPolicy: Never` keeps the key across renewals (SPKI pins stay valid, and
//! so does a stolen key); `Always` — cert-manager's default since v1.18 — makes a new key at
//! each renewal (SPKI pins break); unset depends on the cert-manager version.

use super::{certificates, is_ca, ClientRefs};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct PrivateKeyRotation;

impl Rule for PrivateKeyRotation {
    fn id(&self) -> &'static str {
        "CRT004"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        if certificates(inv).next().is_none() {
            return;
        }
        let refs = ClientRefs::new(inv);
        for cert in certificates(inv) {
            if is_ca(cert) || refs.vault_client(cert).is_none() {
                continue;
            }
            let node = cert.get(&["spec", "privateKey", "rotationPolicy"]);
            let (span, msg) = match node.and_then(Node::as_str) {
                Some("Never") => (node.map(|n| n.span), "rotationPolicy Never: the private key is reused across renewals — SPKI pins stay valid, and so does a stolen key; rotate pins deliberately"),
                Some("Always") => (node.map(|n| n.span), "rotationPolicy Always: a new private key at each renewal — SPKI pins on this key break at every renewal; pin the CA instead"),
                _ => (None, "privateKey.rotationPolicy unset: Always (new key per renewal, SPKI pins break) since cert-manager v1.18, Never (key reused) before"),
            };
            let span = span.unwrap_or_else(|| {
                cert.root()
                    .entry("spec")
                    .map_or(cert.kind_span(), |e| e.key.span)
            });
            out.report(cert.location(span), format!("{}: {msg}", cert.display()))
                .identity(format!(
                    "{}#spec.privateKey.rotationPolicy",
                    cert.identity()
                ));
        }
    }
}
