//! SRV007 — `disable_mlock` without integrated storage: `disable_mlock` weak-bool true while
//! the config group's storage is not `raft` (Vault recommends disabling mlock only with
//! integrated storage, whose memory-mapped files mlock handles badly). Only what the config
//! says is judged: the vault chart appends `disable_mlock = true` to every config it renders,
//! which no values file shows. OpenBao dropped mlock entirely (`disable_mlock = true` is
//! accepted and ignored, `false` is a startup error), so OpenBao configs are not judged.

use super::{config_group, is_openbao};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::BoolReading;
use std::collections::HashMap;

pub struct DisableMlockWithoutRaft;

impl Rule for DisableMlockWithoutRaft {
    fn id(&self) -> &'static str {
        "SRV007"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let docs: Vec<&HclDoc> = inv.hcl_docs(HclKind::Server).collect();
        // The storage type of each config group (the last stanza read wins, as in Vault).
        let mut storage: HashMap<String, String> = HashMap::new();
        for d in &docs {
            if let Some(s) = d
                .body
                .blocks("storage")
                .chain(d.body.blocks("backend"))
                .last()
            {
                let ty = s.labels.first().cloned().unwrap_or_default();
                storage.insert(config_group(d), ty);
            }
        }
        let openbao_groups: Vec<String> = docs
            .iter()
            .filter(|d| is_openbao(d))
            .map(|d| config_group(d))
            .collect();
        for doc in docs {
            let Some(a) = doc.body.attr("disable_mlock") else {
                continue;
            };
            if a.value.weak_bool() != BoolReading::True {
                continue;
            }
            let group = config_group(doc);
            if openbao_groups.contains(&group) {
                continue;
            }
            // No storage stanza in the group: the config is incomplete here, not judged.
            let Some(ty) = storage.get(&group) else {
                continue;
            };
            if ty == "raft" {
                continue;
            }
            let f = out.report(
                Location::new(doc.path.clone(), a.value_span),
                format!("disable_mlock = true with storage \"{ty}\": Vault's memory (keys, tokens, secrets) may be swapped to disk; it is recommended only with integrated (raft) storage"),
            );
            f.in_hcl_doc(doc, "disable_mlock");
        }
    }
}
