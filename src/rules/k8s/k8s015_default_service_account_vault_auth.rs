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
use std::collections::{HashMap, HashSet};

pub struct DefaultServiceAccountVaultAuth;

/// The (namespace, name) of every Vault or OpenBao `SecretProviderClass`, built once per
/// check: looking each CSI volume's class up among every class was quadratic.
fn vault_provider_classes(inv: &Inventory) -> HashSet<(&str, &str)> {
    inv.objects_of_kind(&["SecretProviderClass"])
        .filter(|o| {
            matches!(
                o.get(&["spec", "provider"]).and_then(Node::as_str),
                Some("vault" | "openbao")
            )
        })
        .map(|o| (o.namespace.as_str(), o.name.as_str()))
        .collect()
}

/// Why the workload authenticates to Vault with its own ServiceAccount, if it does;
/// `classes` is [`vault_provider_classes`].
fn vault_login(classes: &HashSet<(&str, &str)>, w: &Workload<'_>, direct: bool) -> Option<String> {
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
        if classes.contains(&(w.object.namespace.as_str(), spc)) {
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
        let classes = vault_provider_classes(inv);
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
                let Some(why) = vault_login(&classes, &w, direct.contains_key(&(fi, oi))) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::file::load_text;
    use crate::source::classify::Format;

    /// The class set answers what the scan over every class answered, for each CSI volume:
    /// a class of another namespace, another provider, a repeated name, a missing class.
    #[test]
    fn vault_provider_classes_answer_as_the_full_scan() {
        let spc = |ns: &str, name: &str, provider: &str| {
            format!("apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  provider: {provider}\n---\n")
        };
        let mut text =
            spc("a", "v", "vault") + &spc("a", "az", "azure") + &spc("b", "o", "openbao");
        text += &spc("b", "v", "aws");
        text += &spc("b", "v", "vault");
        let inv = Inventory::new(
            vec![load_text("x.yaml", text, Some(Format::Yaml))],
            "default",
            &[],
        );
        let classes = vault_provider_classes(&inv);
        let mut hits = 0;
        for ns in ["a", "b", "c"] {
            for name in ["v", "az", "o", "missing"] {
                let want = inv.objects_of_kind(&["SecretProviderClass"]).any(|o| {
                    o.name == name
                        && o.namespace == ns
                        && matches!(
                            o.get(&["spec", "provider"]).and_then(Node::as_str),
                            Some("vault" | "openbao")
                        )
                });
                assert_eq!(classes.contains(&(ns, name)), want, "{ns}/{name}");
                hits += usize::from(want);
            }
        }
        assert_eq!(hits, 3);
    }
}
