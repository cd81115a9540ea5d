//! Rules of the `certs` family (RULES-SPEC §1(a-4)): cert-manager `Certificate` objects
//! (cert-manager.io/v1) that serve as Vault client certificates or CAs.
//!
//! A Certificate is a *Vault client certificate* when its `usages` contain `client auth`, or
//! when its `spec.secretName` is referenced by a Vault client setting in the same namespace:
//! the injector annotation `vault.hashicorp.com/tls-secret`, or an External Secrets
//! `SecretStore`/`ClusterSecretStore` Vault provider's `tls.certSecretRef` or
//! `auth.cert.clientCert`, or a Vault Agent config (from a ConfigMap) whose
//! `vault.client_cert`/`client_key` file a workload mounts from the Secret (XSR008's join).

mod crt001_long_lived_client_cert;
mod crt002_ca_cert_for_workload;
mod crt003_client_cert_without_client_auth;
mod crt004_private_key_rotation;
mod xsr008_client_cert_consumers;

use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::rules::Rule;
use crate::syntax::yaml::{Node, Typed};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(crt001_long_lived_client_cert::LongLivedClientCert),
        Box::new(crt002_ca_cert_for_workload::CaCertForWorkload),
        Box::new(crt003_client_cert_without_client_auth::ClientCertWithoutClientAuth),
        Box::new(crt004_private_key_rotation::PrivateKeyRotation),
        Box::new(xsr008_client_cert_consumers::ClientCertConsumers),
    ]
}

/// cert-manager `Certificate` objects.
pub(crate) fn certificates(inv: &Inventory) -> impl Iterator<Item = &K8sObject> {
    inv.objects_of_kind(&["Certificate"])
        .filter(|o| o.api_group() == "cert-manager.io")
}

pub(crate) fn secret_name(cert: &K8sObject) -> Option<&str> {
    cert.get(&["spec", "secretName"]).and_then(Node::as_str)
}

pub(crate) fn usages(cert: &K8sObject) -> Option<Vec<&str>> {
    cert.get(&["spec", "usages"])
        .map(|u| u.items().iter().filter_map(Node::as_str).collect())
}

pub(crate) fn is_ca(cert: &K8sObject) -> bool {
    cert.get(&["spec", "isCA"])
        .and_then(Node::typed)
        .is_some_and(|t| t == Typed::Bool(true))
}

/// Where a Vault client setting names this certificate's secret, if anywhere.
pub(crate) fn vault_client_reference(inv: &Inventory, cert: &K8sObject) -> Option<String> {
    let secret = secret_name(cert)?;
    for w in inv.workloads() {
        if w.object.namespace != cert.namespace {
            continue;
        }
        if let Some(e) = w.annotation("vault.hashicorp.com/tls-secret") {
            if e.value.as_str() == Some(secret) {
                return Some(format!(
                    "{} annotation vault.hashicorp.com/tls-secret",
                    w.object.display()
                ));
            }
        }
    }
    for store in inv.objects_of_kind(&["SecretStore", "ClusterSecretStore"]) {
        if store.kind == "SecretStore" && store.namespace != cert.namespace {
            continue;
        }
        let vault = ["spec", "provider", "vault"];
        for (path, what) in [
            (&["tls", "certSecretRef"][..], "tls.certSecretRef"),
            (&["auth", "cert", "clientCert"][..], "auth.cert.clientCert"),
        ] {
            let keys: Vec<&str> = vault.iter().chain(path.iter()).copied().collect();
            let Some(r) = store.get(&keys) else { continue };
            let name = r.get("name").and_then(Node::as_str);
            let ns = r
                .get("namespace")
                .and_then(Node::as_str)
                .unwrap_or(&store.namespace);
            if name == Some(secret) && (store.kind == "SecretStore" || ns == cert.namespace) {
                return Some(format!("{} provider.vault.{what}", store.display()));
            }
        }
    }
    if let Some(u) = agent_cert_uses(inv)
        .into_iter()
        .find(|u| u.secret == secret && u.namespace == cert.namespace)
    {
        return Some(format!(
            "{} (mounted for the agent config's vault.{}, {})",
            u.workload,
            u.field,
            u.doc.origin.as_deref().unwrap_or("agent config")
        ));
    }
    None
}

/// A Vault Agent config's `vault { client_cert | client_key }` file that a workload reads from
/// a Secret volume: the agent config is a ConfigMap key mounted in the same container as the
/// Secret, and the file path lies under the Secret's mount path.
pub(crate) struct AgentCertUse<'a> {
    pub namespace: &'a str,
    pub secret: &'a str,
    /// The Secret key the file is (after the volume's `items` remapping); `None` when the
    /// volume's `items` project no key to that file.
    pub key: Option<&'a str>,
    /// The file name under the mount.
    pub file: &'a str,
    pub workload: String,
    pub field: &'static str,
    pub location: Location,
    pub doc: &'a HclDoc,
}

fn vol_name(v: &Node) -> Option<&str> {
    v.get("name").and_then(Node::as_str)
}

/// Every agent `client_cert`/`client_key` file read from a Secret volume in the scan set.
pub(crate) fn agent_cert_uses(inv: &Inventory) -> Vec<AgentCertUse<'_>> {
    let mut out = Vec::new();
    for f in &inv.files {
        for doc in f.hcl.iter().filter(|d| d.kind == HclKind::Agent) {
            let Some(container) = &doc.container else {
                continue;
            };
            // The ConfigMap whose data key holds this config.
            let Some(cm) = f.objects.iter().find(|o| {
                o.kind == "ConfigMap"
                    && o.get(&["data"])
                        .is_some_and(|d| d.entries().any(|(_, e)| e.key.span == container.span))
            }) else {
                continue;
            };
            let files: Vec<(&'static str, &crate::syntax::hcl::Attr, &str)> = doc
                .body
                .blocks("vault")
                .flat_map(|v| {
                    ["client_cert", "client_key"].into_iter().filter_map(|k| {
                        let a = v.body.attr(k)?;
                        Some((k, a, a.value.as_str()?))
                    })
                })
                .collect();
            if files.is_empty() {
                continue;
            }
            for w in inv
                .workloads()
                .filter(|w| w.object.namespace == cm.namespace)
            {
                let volumes = w.pod_spec.get("volumes").map(Node::items).unwrap_or(&[]);
                let cm_vols: Vec<&str> = volumes
                    .iter()
                    .filter(|v| {
                        v.path(&["configMap", "name"]).and_then(Node::as_str) == Some(&cm.name)
                    })
                    .filter_map(vol_name)
                    .collect();
                if cm_vols.is_empty() {
                    continue;
                }
                for c in w.containers() {
                    let mounts = c.node.get("volumeMounts").map(Node::items).unwrap_or(&[]);
                    let mounted = |n: &str| {
                        mounts
                            .iter()
                            .any(|m| m.get("name").and_then(Node::as_str) == Some(n))
                    };
                    if !cm_vols.iter().any(|n| mounted(n)) {
                        continue;
                    }
                    for m in mounts.iter().filter(|m| m.get("subPath").is_none()) {
                        let Some(vol) = volumes.iter().find(|v| {
                            vol_name(v).is_some()
                                && vol_name(v) == m.get("name").and_then(Node::as_str)
                        }) else {
                            continue;
                        };
                        let Some(secret) =
                            vol.path(&["secret", "secretName"]).and_then(Node::as_str)
                        else {
                            continue;
                        };
                        let Some(dir) = m.get("mountPath").and_then(Node::as_str) else {
                            continue;
                        };
                        let dir = dir.trim_end_matches('/');
                        for (field, a, path) in &files {
                            let Some(file) =
                                path.strip_prefix(dir).and_then(|r| r.strip_prefix('/'))
                            else {
                                continue;
                            };
                            let key = match vol.path(&["secret", "items"]) {
                                Some(items) => items
                                    .items()
                                    .iter()
                                    .find(|i| i.get("path").and_then(Node::as_str) == Some(file))
                                    .and_then(|i| i.get("key").and_then(Node::as_str)),
                                None => Some(file),
                            };
                            out.push(AgentCertUse {
                                namespace: &cm.namespace,
                                secret,
                                key,
                                file,
                                workload: format!("{} container {}", w.object.display(), c.name),
                                field,
                                location: Location::new(doc.path.clone(), a.value_span),
                                doc,
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// True when the certificate is a Vault client certificate (see the module doc); the reason.
pub(crate) fn vault_client(inv: &Inventory, cert: &K8sObject) -> Option<String> {
    if let Some(r) = vault_client_reference(inv, cert) {
        return Some(format!("used as a Vault client certificate by {r}"));
    }
    usages(cert)
        .is_some_and(|u| u.contains(&"client auth"))
        .then(|| "usages include client auth".to_owned())
}
