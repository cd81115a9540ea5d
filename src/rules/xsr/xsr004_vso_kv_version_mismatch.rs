//! XSR004 — KV version mismatch: VSO static secret vs mount (RULES-SPEC §3). VSO reads
//! `<mount>/data/<path>` for `type: kv-v2` and `<mount>/<path>` for `kv-v1`
//! (`vault/requests.go`); when the scan set (or `.sealant.yaml` `vault.mounts`) declares
//! `spec.mount` with the other version the sync fails. Mounts only assumed KV v2 (`secret/`
//! declared nowhere) do not contradict an explicit type.

use crate::model::inventory::Inventory;
use crate::model::kv_mounts::MountSource;
use crate::rules::{Context, Emitter, Rule};

pub struct VsoKvVersionMismatch;

impl Rule for VsoKvVersionMismatch {
    fn id(&self) -> &'static str {
        "XSR004"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let mounts = inv.kv_mounts();
        for s in inv
            .objects_of_kind(&["VaultStaticSecret"])
            .filter(|o| o.api_group() == "secrets.hashicorp.com")
        {
            let Some(spec) = s.get(&["spec"]) else {
                continue;
            };
            let (Some(mount), Some(type_e)) = (
                spec.get("mount").and_then(|m| m.as_str()),
                spec.entry("type"),
            ) else {
                continue;
            };
            let want: u8 = match type_e.value.as_str() {
                Some("kv-v1") => 1,
                Some("kv-v2") => 2,
                _ => continue,
            };
            let mount = mount.trim_matches('/');
            let Some(fact) = mounts.lookup(cx.config, &format!("{mount}/_")) else {
                continue;
            };
            if fact.mount != mount || fact.source == MountSource::Assumed || fact.version == want {
                continue;
            }
            let reads = if want == 2 {
                format!("`{mount}/data/<path>`")
            } else {
                format!("`{mount}/<path>`")
            };
            let f = out.report(
                s.location(type_e.value.span),
                format!("{} reads mount `{mount}` as kv-v{want}, but it is a {}: VSO requests {reads}, which does not exist there, and the sync fails", s.display(), fact.describe()),
            );
            f.identity(format!("{}/type", s.identity()));
            if let Some(l) = fact.location() {
                f.related(l.clone(), format!("mount `{mount}/` declared here"));
            }
        }
    }
}
