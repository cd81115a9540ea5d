//! AGT009 — Plaintext non-loopback listener without auto-auth token: an agent/proxy
//! `listener "tcp"` with `tls_disable` weak-bool true on an address beyond loopback, when the
//! agent does not use its auto-auth token for listener requests (that case is AGT003's):
//! clients send their own tokens and receive secrets over the network in clear.

use super::{auto_auth_token, listener_tls_off, network_listeners};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};

pub struct PlaintextListener;

impl Rule for PlaintextListener {
    fn id(&self) -> &'static str {
        "AGT009"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            if auto_auth_token(&doc.body).is_some() {
                continue;
            }
            for (i, l, addr) in network_listeners(&doc.body) {
                if !listener_tls_off(l) {
                    continue;
                }
                let Some(a) = l.body.attr("tls_disable") else {
                    continue;
                };
                let f = out.report(
                    Location::new(doc.path.clone(), a.value_span),
                    format!("agent listener \"tcp\" on {addr} has TLS disabled: clients' tokens and the secrets returned to them cross the network in clear"),
                );
                f.in_hcl_doc(doc, &format!("listener[{i}].tls_disable"));
            }
        }
    }
}
