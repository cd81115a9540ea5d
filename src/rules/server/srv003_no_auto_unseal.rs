//! SRV003 — No auto-unseal / seal stanza: a complete server config (one with a `storage` or
//! legacy `backend` stanza) whose config group — the files of its directory, which
//! `-config DIR` reads together, or the keys of one ConfigMap — has no `seal` stanza, or only
//! `seal "shamir"` / disabled seals (OpenBao then appends a Shamir seal). Every restart then
//! needs key holders to unseal by hand. A chart config is judged with the chart's
//! environment: `VAULT_SEAL_TYPE`/`BAO_SEAL_TYPE` in `server.extraEnvironmentVars` sets the
//! seal type without a stanza.

use super::config_group;
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::BoolReading;
use std::collections::HashSet;

pub struct NoAutoUnseal;

/// True when a doc has a seal stanza that auto-unseals.
fn auto_unseal(doc: &HclDoc) -> bool {
    doc.body.blocks("seal").any(|s| {
        let ty = s.labels.first().map(String::as_str).unwrap_or("");
        let disabled = s
            .body
            .attr("disabled")
            .is_some_and(|a| a.value.weak_bool() == BoolReading::True);
        !ty.eq_ignore_ascii_case("shamir") && !disabled
    })
}

/// Chart values files whose server environment sets the seal type.
fn env_sealed_files(inv: &Inventory) -> HashSet<usize> {
    let mut out = HashSet::new();
    for v in inv.helm_releases().filter(|v| v.chart().is_server_chart()) {
        let sealed = v
            .map_entries("server.extraEnvironmentVars")
            .iter()
            .any(|(k, e, _)| {
                matches!(*k, "VAULT_SEAL_TYPE" | "BAO_SEAL_TYPE")
                    && e.value
                        .as_str()
                        .is_some_and(|t| !t.is_empty() && !t.eq_ignore_ascii_case("shamir"))
            });
        if sealed {
            out.extend(v.release.parts.iter().map(|p| p.file));
        }
    }
    out
}

impl Rule for NoAutoUnseal {
    fn id(&self) -> &'static str {
        "SRV003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let docs: Vec<(usize, &HclDoc)> = inv
            .files
            .iter()
            .enumerate()
            .flat_map(|(fi, f)| f.hcl.iter().map(move |d| (fi, d)))
            .filter(|(_, d)| d.kind == HclKind::Server)
            .collect();
        let sealed: HashSet<String> = docs
            .iter()
            .filter(|(_, d)| auto_unseal(d))
            .map(|(_, d)| config_group(d))
            .collect();
        let env_sealed = env_sealed_files(inv);
        for (fi, doc) in docs {
            let Some(storage) = doc
                .body
                .blocks("storage")
                .chain(doc.body.blocks("backend"))
                .next()
            else {
                continue;
            };
            let chart_config = doc.origin.as_deref().is_some_and(|o| o.contains(" chart "));
            if sealed.contains(&config_group(doc)) || chart_config && env_sealed.contains(&fi) {
                continue;
            }
            let shamir = doc.body.blocks("seal").next().is_some();
            let f = out.report(
                Location::new(doc.path.clone(), storage.ident_span),
                if shamir {
                    "server config only has a Shamir (or disabled) seal: every restart waits for key holders to unseal by hand"
                } else {
                    "server config has no seal stanza, so it uses Shamir unsealing: every restart waits for key holders to unseal by hand"
                },
            );
            f.in_hcl_doc(doc, "seal");
        }
    }
}
