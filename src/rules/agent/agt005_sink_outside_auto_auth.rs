//! AGT005 — Sink block outside `auto_auth` is ignored: the agent parses `sink` stanzas only
//! inside `auto_auth` (`parseAutoAuth` → `parseSinks(subList)`); a top-level `sink` writes no
//! token file, and an `auto_auth` left without sink or template stops the agent at start-up.

use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};

pub struct SinkOutsideAutoAuth;

impl Rule for SinkOutsideAutoAuth {
    fn id(&self) -> &'static str {
        "AGT005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            for (i, sink) in doc.body.blocks("sink").enumerate() {
                let f = out.report(
                    Location::new(doc.path.clone(), sink.ident_span),
                    "top-level sink stanza is ignored: the agent reads sinks only inside auto_auth, so no token file is written",
                );
                f.in_hcl_doc(doc, &format!("sink[{i}]"));
            }
        }
    }
}
