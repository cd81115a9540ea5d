//! AGT006 — Rendered template files world-readable: an agent `template` with a
//! `destination` whose `perms` (an integer, or a string consul-template parses base 8) has
//! any `0o077` bit, or no `perms` — a new file is then written `0644`. The rendered file
//! holds the secrets themselves.

use super::file_mode;
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};

pub struct TemplateWorldReadable;

impl Rule for TemplateWorldReadable {
    fn id(&self) -> &'static str {
        "AGT006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            for (i, t) in doc.body.blocks("template").enumerate() {
                let Some(dest) = t.body.attr("destination").and_then(|a| a.value.as_text()) else {
                    continue;
                };
                let (span, perms) = match t.body.attr("perms") {
                    Some(a) => match file_mode(&a.value, true) {
                        Some(m) => (a.value_span, Some(m)),
                        None => continue,
                    },
                    None => (t.ident_span, None),
                };
                let eff = perms.unwrap_or(0o644);
                if eff & 0o077 == 0 {
                    continue;
                }
                let how = match perms {
                    Some(m) => format!("perms {m:#o}"),
                    None => "no perms, so a new file gets 0644".to_owned(),
                };
                let f = out.report(
                    Location::new(doc.path.clone(), span),
                    format!("template rendering secrets to {dest} has {how}: other users and group members on the host or pod can read them"),
                );
                f.in_hcl_doc(doc, &format!("template[{i}].perms"));
            }
        }
    }
}
