//! AGT002 — Agent Vault address is plaintext: `vault { address = "http://…" }` to a host that is
//! not loopback.

use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{classify_address, Address};

pub struct AgentPlaintextAddr;

impl Rule for AgentPlaintextAddr {
    fn id(&self) -> &'static str {
        "AGT002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            for vault in doc.body.blocks("vault") {
                let Some(a) = vault.body.attr("address") else {
                    continue;
                };
                let Some(addr) = a.value.as_text() else {
                    continue;
                };
                if let Address::Plaintext { host } = classify_address(addr) {
                    let f = out.report(
                        crate::location::Location::new(doc.path.clone(), a.value_span),
                        format!("Vault Agent reaches Vault over plaintext http:// (`{host}`): its token and every secret cross the network in clear"),
                    );
                    f.in_hcl_doc(doc, "vault.address");
                }
            }
        }
    }
}
