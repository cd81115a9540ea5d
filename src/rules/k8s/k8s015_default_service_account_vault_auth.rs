//! K8S015 — Default ServiceAccount used for Vault authentication: a workload that logs in to
//! Vault with its pod's ServiceAccount token — injected agent with Kubernetes auth, a Vault
//! CSI `SecretProviderClass` volume, or a container pointed at a remote Vault (`VAULT_ADDR`)
//! that names its Vault role (`VAULT_ROLE`…) and has no static token or AppRole secret ID — runs as `default` (no `serviceAccountName`,
//! or `default`): every pod of the namespace shares that identity and so the Vault role.
//! Workloads that only consume Secrets synced by ESO/VSO do not authenticate themselves
//! (the operator does, VSO004) and are not flagged.

use crate::model::consumers::{injection_enabled, injector_auth, pod_spec_key, service_account};
use crate::model::inventory::Inventory;
use crate::model::k8s::Workload;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{classify_address, Address};
use crate::syntax::yaml::Node;
use std::collections::HashMap;

pub struct DefaultServiceAccountVaultAuth;

/// Why the workload authenticates to Vault with its own ServiceAccount, if it does.
fn vault_login(inv: &Inventory, w: &Workload<'_>, direct: bool) -> Option<String> {
    if injection_enabled(w) && injector_auth(w).auth_type == "kubernetes" {
        return Some("its injected Vault Agent logs in with Kubernetes auth".into());
    }
    for v in w.pod_spec.get("volumes").map(Node::items).unwrap_or(&[]) {
        let Some(csi) = v.get("csi") else { continue };
        if csi.get("driver").and_then(Node::as_str) != Some("secrets-store.csi.k8s.io") {
            continue;
        }
        let Some(spc) = csi
            .path(&["volumeAttributes", "secretProviderClass"])
            .and_then(Node::as_str)
        else {
            continue;
        };
        let vault = inv.objects_of_kind(&["SecretProviderClass"]).any(|o| {
            o.name == spc
                && o.namespace == w.object.namespace
                && matches!(
                    o.get(&["spec", "provider"]).and_then(Node::as_str),
                    Some("vault" | "openbao")
                )
        });
        if vault {
            return Some(format!(
                "its Vault CSI volume (SecretProviderClass {spc}) logs in as the pod"
            ));
        }
    }
    direct.then(|| "a container talks to Vault directly (VAULT_ADDR, with a Vault role) and logs in as the pod".into())
}

impl Rule for DefaultServiceAccountVaultAuth {
    fn id(&self) -> &'static str {
        "K8S015"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        // Workloads with a container that reaches a remote Vault itself and names the
        // Vault role it logs in with (`VAULT_ROLE`, `VAULT_K8S_ROLE`, …; not an AppRole
        // `ROLE_ID`): a bare VAULT_ADDR does not say how the client authenticates.
        let mut direct: HashMap<(usize, usize), bool> = HashMap::new();
        for ce in inv.container_envs() {
            let remote = ce.vars.iter().any(|v| {
                matches!(v.name.as_str(), "VAULT_ADDR" | "BAO_ADDR")
                    && v.value.as_deref().is_some_and(|a| {
                        matches!(
                            classify_address(a),
                            Address::Plaintext { .. } | Address::Encrypted
                        )
                    })
            });
            let role = ce.vars.iter().any(|v| {
                let n = v.name.to_ascii_uppercase();
                (n.contains("VAULT") || n.contains("BAO"))
                    && n.contains("ROLE")
                    && !n.ends_with("ROLE_ID")
            });
            let other_auth = ce.vars.iter().any(|v| {
                matches!(v.name.as_str(), "VAULT_TOKEN" | "BAO_TOKEN")
                    || v.name.ends_with("SECRET_ID")
            });
            if remote && role && !other_auth {
                direct.insert((ce.file, ce.object), true);
            }
        }
        for (fi, f) in inv.files.iter().enumerate() {
            for (oi, o) in f.objects.iter().enumerate() {
                let Some(w) = o.workload() else { continue };
                let (sa, sa_span) = service_account(&w);
                let Some(spec_key) = pod_spec_key(&w) else {
                    continue;
                };
                if sa != "default" {
                    continue;
                }
                let Some(why) = vault_login(inv, &w, direct.contains_key(&(fi, oi))) else {
                    continue;
                };
                let (span, how) = match sa_span {
                    Some(s) => (s, "runs as the `default` ServiceAccount"),
                    None => (
                        spec_key,
                        "sets no serviceAccountName, so it runs as `default`",
                    ),
                };
                out.report(
                    o.location(span),
                    format!("{}: {why}, but it {how}: every pod of namespace `{}` without its own ServiceAccount shares this Vault identity", o.display(), o.namespace),
                )
                .identity(format!("{}/serviceAccountName", o.identity()));
            }
        }
    }
}
