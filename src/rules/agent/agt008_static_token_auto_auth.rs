//! AGT008 — Static-token auto-auth: `auto_auth { method "token_file" }` (the method name the
//! agent registers) logs in with a long-lived token read from a file instead of proving the
//! workload's identity; the token must be created, distributed and rotated by hand.

use super::{stanza_type, type_span};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};

pub struct StaticTokenAutoAuth;

impl Rule for StaticTokenAutoAuth {
    fn id(&self) -> &'static str {
        "AGT008"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            let methods = doc
                .body
                .blocks("auto_auth")
                .flat_map(|a| a.body.blocks("method"));
            for m in methods.filter(|m| stanza_type(m) == "token_file") {
                let f = out.report(
                    Location::new(doc.path.clone(), type_span(m)),
                    "auto-auth uses the token_file method: the agent authenticates with a static token from a file instead of the workload's identity",
                );
                f.in_hcl_doc(doc, "auto_auth.method.token_file");
            }
        }
    }
}
