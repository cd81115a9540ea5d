//! AGT007 — AppRole secret-ID file kept on disk: `method "approle"` with a
//! `secret_id_file_path` and `remove_secret_id_file_after_reading` ParseBool-false (the
//! default is true; the agent reads the setting only when a secret-ID file is configured).
//! The credential then stays on disk for anyone who can read it to log in again.

use super::stanza_type;
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::BoolReading;

pub struct ApproleSecretIdKept;

impl Rule for ApproleSecretIdKept {
    fn id(&self) -> &'static str {
        "AGT007"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            let methods = doc
                .body
                .blocks("auto_auth")
                .flat_map(|a| a.body.blocks("method"));
            for m in methods.filter(|m| stanza_type(m) == "approle") {
                let has_file = m
                    .body
                    .nested("config", "secret_id_file_path")
                    .and_then(|a| a.value.as_text())
                    .is_some_and(|p| !p.is_empty());
                let Some(a) = m
                    .body
                    .nested("config", "remove_secret_id_file_after_reading")
                else {
                    continue;
                };
                if !has_file || a.value.weak_bool() != BoolReading::False {
                    continue;
                }
                let f = out.report(
                    Location::new(doc.path.clone(), a.value_span),
                    "approle auto-auth keeps the secret-ID file after login (remove_secret_id_file_after_reading = false): the credential stays on disk for anyone who can read it",
                );
                f.in_hcl_doc(
                    doc,
                    "auto_auth.method.config.remove_secret_id_file_after_reading",
                );
            }
        }
    }
}
