//! AGT001 — Agent skips TLS verification: `vault { tls_skip_verify = … }` weak-bool true
//! (`true`, `"true"`, `1`). The agent then hands its auto-auth credentials and every rendered
//! secret to whoever answers at the Vault address.

use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::BoolReading;

pub struct AgentTlsSkipVerify;

impl Rule for AgentTlsSkipVerify {
    fn id(&self) -> &'static str {
        "AGT001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            for vault in doc.body.blocks("vault") {
                let Some(a) = vault.body.attr("tls_skip_verify") else {
                    continue;
                };
                if a.value.weak_bool() == BoolReading::True {
                    let f = out.report(
                        crate::location::Location::new(doc.path.clone(), a.value_span),
                        "Vault Agent config sets vault.tls_skip_verify: the agent accepts any certificate from the Vault server",
                    );
                    f.in_hcl_doc(doc, "vault.tls_skip_verify");
                }
            }
        }
    }
}
