//! SRV009 — Transit auto-unseal without TLS verification: `seal "transit" { tls_skip_verify =
//! … }` weak-bool true.

use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::BoolReading;

pub struct TransitSealSkipVerify;

impl Rule for TransitSealSkipVerify {
    fn id(&self) -> &'static str {
        "SRV009"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Server) {
            for seal in doc
                .body
                .blocks("seal")
                .filter(|b| b.labels.first().map(String::as_str) == Some("transit"))
            {
                let Some(a) = seal.body.attr("tls_skip_verify") else {
                    continue;
                };
                if a.value.weak_bool() == BoolReading::True {
                    let f = out.report(
                        Location::new(doc.path.clone(), a.value_span),
                        "transit seal skips TLS verification: whoever answers at the transit Vault address receives the unseal token",
                    );
                    f.in_hcl_doc(doc, "seal.transit.tls_skip_verify");
                }
            }
        }
    }
}
