//! XSR003 — KV version mismatch: ESO store vs mount (RULES-SPEC §3). A Vault
//! `SecretStore`/`ClusterSecretStore` reads `spec.provider.vault.path` with `version`
//! (default `v2`); when the scan set (or `.sealant.yaml` `vault.mounts`) declares that mount
//! with the other KV version, every request goes to a path that does not exist. A mount only
//! assumed KV v2 (`secret/`, declared nowhere) is not enough to contradict an explicit store.

use crate::model::inventory::Inventory;
use crate::model::kv_mounts::MountSource;
use crate::rules::{Context, Emitter, Rule};

pub struct EsoKvVersionMismatch;

impl Rule for EsoKvVersionMismatch {
    fn id(&self) -> &'static str {
        "XSR003"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let mounts = inv.kv_mounts();
        for s in inv
            .objects_of_kind(&["SecretStore", "ClusterSecretStore"])
            .filter(|o| o.api_group() == "external-secrets.io")
        {
            let Some(v) = s.get(&["spec", "provider", "vault"]) else {
                continue;
            };
            let Some(path_e) = v.entry("path") else {
                continue;
            };
            let Some(path) = path_e.value.as_str() else {
                continue;
            };
            let path = path.trim_matches('/');
            let version_e = v.entry("version");
            let version = version_e.and_then(|e| e.value.as_str()).unwrap_or("v2");
            let want: u8 = if version == "v1" { 1 } else { 2 };
            let Some(fact) = mounts.lookup(cx.config, &format!("{path}/_")) else {
                continue;
            };
            if fact.source == MountSource::Assumed || fact.version == want {
                continue;
            }
            let (span, how) = match version_e {
                Some(e) => (e.value.span, format!("version: {version}")),
                None => (
                    path_e.value.span,
                    "no version (ESO defaults to v2)".to_owned(),
                ),
            };
            let reads = if want == 2 {
                format!("`{}/data/<key>`", fact.mount)
            } else {
                format!("`{}/<key>`", fact.mount)
            };
            let f = out.report(
                s.location(span),
                format!("{} reads path `{path}` with {how}, but it is a {}: ESO requests {reads}, which does not exist there, and every sync fails", s.display(), fact.describe()),
            );
            f.identity(format!("{}/provider/vault/version", s.identity()));
            if let Some(l) = fact.location() {
                f.related(l.clone(), format!("mount `{}/` declared here", fact.mount));
            }
        }
    }
}
