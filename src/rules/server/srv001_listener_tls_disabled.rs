//! SRV001 — Listener TLS disabled on a reachable address: `listener "tcp" { tls_disable = … }`
//! weak-bool true (`1`, `"1"`, `true`, `"true"`) on an address that is not loopback (`[::]` and
//! `0.0.0.0` bind every interface). A loopback-only listener (behind an in-pod TLS proxy, or
//! the default `127.0.0.1:8200` when `address` is absent) is reported at info; `unix`
//! listeners never.

use super::tls_disabled_listener;
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct ListenerTlsDisabled;

impl Rule for ListenerTlsDisabled {
    fn id(&self) -> &'static str {
        "SRV001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Server) {
            for (i, block) in doc.body.blocks("listener").enumerate() {
                let Some((attr, loopback)) = tls_disabled_listener(block) else {
                    continue;
                };
                let address = block
                    .body
                    .attr("address")
                    .and_then(|a| a.value.as_text())
                    .unwrap_or("127.0.0.1:8200 (default)");
                let msg = if loopback {
                    format!("listener \"tcp\" on {address} has TLS disabled; it is loopback-only, so only an in-pod proxy should reach it")
                } else {
                    format!("listener \"tcp\" on {address} has TLS disabled: every token and secret crosses the network in cleartext")
                };
                let f = out.report(Location::new(doc.path.clone(), attr.value_span), msg);
                f.in_hcl_doc(doc, &format!("listener[{i}].tls_disable"));
                if loopback {
                    f.severity(Severity::Info);
                }
            }
        }
    }
}
