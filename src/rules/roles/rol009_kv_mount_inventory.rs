//! ROL009 — KV mount inventory (info; low for KV v1 mounts, which have no versioning or soft
//! delete). Sources: `vault|bao secrets enable [-path=P] [-version=2] kv|kv-v1|kv-v2`
//! (`-options=version=2` too), `vault kv enable-versioning P` (upgrades P to v2 in the same
//! scan set), Terraform `vault_mount { type = "kv" | "kv-v2", options = { version = "2" } }`
//! and `vault_kv_secret_backend_v2` (implies v2 on its mount). Version decoding per §1(f):
//! no version or `1` → 1, `2` → 2, anything else → 1. The model is
//! [`crate::model::kv_mounts`], shared with XSR005.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct KvMountInventory;

impl Rule for KvMountInventory {
    fn id(&self) -> &'static str {
        "ROL009"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let kv = inv.kv_mounts();
        for m in &kv.mounts {
            let p = &m.mount;
            let f = if kv.effective_version(m) == 2 {
                out.report(
                    m.at.clone(),
                    format!("KV v2 mount `{p}/` ({}): API paths are `{p}/data/<key>` and `{p}/metadata/<key>`", m.how),
                )
                .severity(Severity::Info)
            } else {
                out.report(
                    m.at.clone(),
                    format!("KV v1 mount `{p}/` ({}): no versioning or soft delete, an overwrite or delete is final; API paths are `{p}/<key>`", m.how),
                )
                .severity(Severity::Low)
            };
            f.identity(format!("{}#kv-mount:{p}", m.at.path));
        }
    }
}
