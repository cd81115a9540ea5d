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

use std::collections::HashMap;

use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::k8s::{K8sObject, Workload};
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

/// The key of a (namespace, object name) index.
pub(crate) type NsName<'a> = (&'a str, &'a str);

/// The ESO Vault provider settings that make a Secret a client certificate, with the name
/// [`vault_client_reference`] reports them under.
const CLIENT_CERT_REFS: [(&[&str], &str); 2] = [
    (&["tls", "certSecretRef"], "tls.certSecretRef"),
    (&["auth", "cert", "clientCert"], "auth.cert.clientCert"),
];

/// Every Vault client setting of the scan set that names a Secret, indexed by (namespace,
/// Secret name) and kept in scan order, so that each Certificate is judged by lookups rather
/// than by a pass over every workload, store and agent config (that was cubic: 600
/// Certificates, each with an agent config and a Deployment, took seconds per rule).
pub(crate) struct ClientRefs<'a> {
    /// Workloads whose `vault.hashicorp.com/tls-secret` names the Secret, in scan order.
    tls_secret: HashMap<NsName<'a>, Vec<Workload<'a>>>,
    /// The first store setting (in store, then [`CLIENT_CERT_REFS`], order) that names the
    /// Secret for a Certificate of that namespace.
    store_ref: HashMap<NsName<'a>, (&'a K8sObject, &'static str)>,
    /// Every agent config file read from a Secret, in [`agent_cert_uses`] order.
    agent_uses: Vec<AgentCertUse<'a>>,
    /// Positions in `agent_uses` by the Secret's (namespace, name), ascending.
    agent_by_secret: HashMap<NsName<'a>, Vec<usize>>,
}

impl<'a> ClientRefs<'a> {
    /// Indexes the scan set once; a rule builds it at the start of its check.
    pub fn new(inv: &'a Inventory) -> Self {
        let agent_uses = agent_cert_uses(inv);
        let mut agent_by_secret: HashMap<NsName<'a>, Vec<usize>> = HashMap::new();
        for (i, u) in agent_uses.iter().enumerate() {
            agent_by_secret
                .entry((u.namespace, u.secret))
                .or_default()
                .push(i);
        }
        ClientRefs {
            tls_secret: tls_secret_workloads(inv),
            store_ref: client_cert_store_refs(inv),
            agent_uses,
            agent_by_secret,
        }
    }

    /// Workloads in `namespace` whose injector TLS secret is `secret`, in scan order.
    pub fn tls_secret_workloads(&self, namespace: &'a str, secret: &'a str) -> &[Workload<'a>] {
        self.tls_secret
            .get(&(namespace, secret))
            .map_or(&[], Vec::as_slice)
    }

    /// Agent config files read from `secret` in `namespace`, in scan order.
    pub fn agent_uses_of<'s>(
        &'s self,
        namespace: &'a str,
        secret: &'a str,
    ) -> impl Iterator<Item = &'s AgentCertUse<'a>> + 's {
        self.agent_by_secret
            .get(&(namespace, secret))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.agent_uses[i])
    }

    /// Where a Vault client setting names this certificate's secret, if anywhere: an injector
    /// annotation first, then a store, then an agent config, each the first in scan order.
    pub fn reference(&self, cert: &'a K8sObject) -> Option<String> {
        let secret = secret_name(cert)?;
        let ns = cert.namespace.as_str();
        if let Some(w) = self.tls_secret_workloads(ns, secret).first() {
            return Some(format!(
                "{} annotation vault.hashicorp.com/tls-secret",
                w.object.display()
            ));
        }
        if let Some((store, what)) = self.store_ref.get(&(ns, secret)) {
            return Some(format!("{} provider.vault.{what}", store.display()));
        }
        let u = self.agent_uses_of(ns, secret).next()?;
        Some(format!(
            "{} (mounted for the agent config's vault.{}, {})",
            u.workload,
            u.field,
            u.doc.origin.as_deref().unwrap_or("agent config")
        ))
    }

    /// True when the certificate is a Vault client certificate (see the module doc); the
    /// reason.
    pub fn vault_client(&self, cert: &'a K8sObject) -> Option<String> {
        if let Some(r) = self.reference(cert) {
            return Some(format!("used as a Vault client certificate by {r}"));
        }
        usages(cert)
            .is_some_and(|u| u.contains(&"client auth"))
            .then(|| "usages include client auth".to_owned())
    }
}

/// Workloads by the (namespace, Secret) their `vault.hashicorp.com/tls-secret` names.
fn tls_secret_workloads(inv: &Inventory) -> HashMap<NsName<'_>, Vec<Workload<'_>>> {
    let mut out: HashMap<NsName<'_>, Vec<Workload<'_>>> = HashMap::new();
    for w in inv.workloads() {
        let tls = w.annotation("vault.hashicorp.com/tls-secret");
        if let Some(secret) = tls.and_then(|e| e.value.as_str()) {
            out.entry((w.object.namespace.as_str(), secret))
                .or_default()
                .push(w);
        }
    }
    out
}

/// The setting at `path` under an External Secrets store's Vault provider
/// (`spec.provider.vault`).
pub(super) fn vault_store_ref<'a>(store: &'a K8sObject, path: &[&str]) -> Option<&'a Node> {
    store.get(&["spec", "provider", "vault"])?.path(path)
}

/// The first [`CLIENT_CERT_REFS`] setting naming each (namespace, Secret): a `SecretStore`
/// serves Certificates of its own namespace whatever namespace the reference gives, a
/// `ClusterSecretStore` those of the reference's namespace (its own when unset).
fn client_cert_store_refs(inv: &Inventory) -> HashMap<NsName<'_>, (&K8sObject, &'static str)> {
    let mut out = HashMap::new();
    for store in inv.objects_of_kind(&["SecretStore", "ClusterSecretStore"]) {
        for (path, what) in CLIENT_CERT_REFS {
            let Some(r) = vault_store_ref(store, path) else {
                continue;
            };
            let Some(name) = r.get("name").and_then(Node::as_str) else {
                continue;
            };
            let ns = if store.kind == "SecretStore" {
                store.namespace.as_str()
            } else {
                r.get("namespace")
                    .and_then(Node::as_str)
                    .unwrap_or(&store.namespace)
            };
            out.entry((ns, name)).or_insert((store, what));
        }
    }
    out
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

/// Workloads by the (namespace, ConfigMap) one of their volumes projects, each once, in scan
/// order: an agent config then meets only the workloads that can mount it, not every
/// workload of the scan.
fn workloads_by_config_map_volume(inv: &Inventory) -> HashMap<NsName<'_>, Vec<Workload<'_>>> {
    let mut out: HashMap<NsName<'_>, Vec<Workload<'_>>> = HashMap::new();
    for w in inv.workloads() {
        let volumes = w.pod_spec.get("volumes").map(Node::items).unwrap_or(&[]);
        for cm in volumes
            .iter()
            .filter_map(|v| v.path(&["configMap", "name"]).and_then(Node::as_str))
        {
            let list = out.entry((w.object.namespace.as_str(), cm)).or_default();
            if !list
                .last()
                .is_some_and(|l| std::ptr::eq(l.object, w.object))
            {
                list.push(w);
            }
        }
    }
    out
}

/// Every agent `client_cert`/`client_key` file read from a Secret volume in the scan set.
pub(crate) fn agent_cert_uses(inv: &Inventory) -> Vec<AgentCertUse<'_>> {
    let mut out = Vec::new();
    let by_config_map = workloads_by_config_map_volume(inv);
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
            let ws = by_config_map
                .get(&(cm.namespace.as_str(), cm.name.as_str()))
                .map_or(&[][..], Vec::as_slice);
            for w in ws {
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

/// A scan set mixing every way a Secret is named as a client certificate, with ties (two
/// settings for one Secret), the same Secret name in several namespaces, stores that
/// override the namespace, settings without a name, and Secrets nothing names.
#[cfg(test)]
pub(crate) fn test_inventory() -> Inventory {
    use crate::model::file::load_text;
    use crate::source::classify::Format;
    let cert = |ns: &str, name: &str, secret: &str, extra: &str| {
        format!("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  secretName: {secret}\n{extra}---\n")
    };
    let deploy = |ns: &str, name: &str, annotations: &str, volumes: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  template:\n    metadata:\n      annotations:\n        x: y\n{annotations}    spec:\n      containers:\n        - name: app\n          volumeMounts:\n            - name: agent\n              mountPath: /etc/agent\n            - name: certs\n              mountPath: /certs/\n            - name: sub\n              mountPath: /sub\n              subPath: x\n      volumes:\n        - name: x\n{volumes}---\n")
    };
    let store = |kind: &str, ns: &str, name: &str, refs: &str| {
        format!("apiVersion: external-secrets.io/v1beta1\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  provider:\n    vault:\n{refs}---\n")
    };
    let agent_cm = |ns: &str, name: &str, cert_path: &str| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  agent.hcl: |\n    vault {{\n      address = \"https://vault:8200\"\n      client_cert = \"{cert_path}\"\n      client_key = \"/certs/tls.key\"\n    }}\n    auto_auth {{\n      method \"kubernetes\" {{\n        config = {{ role = \"app\" }}\n      }}\n    }}\n")
    };
    let tls = |s: &str| {
        format!("        vault.hashicorp.com/tls-secret: {s}\n        vault.hashicorp.com/client-cert: /vault/tls/client.pem\n        vault.hashicorp.com/ca-cert: /vault/tls/ca.crt\n")
    };
    let vols = |cm: &str, secret: &str, items: &str| {
        format!("        - name: agent\n          configMap:\n            name: {cm}\n        - name: agent2\n          configMap:\n            name: {cm}\n        - name: certs\n          secret:\n            secretName: {secret}\n{items}        - name: proj\n          projected:\n            sources:\n              - secret:\n                  name: p-{secret}\n")
    };
    let mut objects = String::new();
    for ns in ["a", "b", "c"] {
        for (i, secret) in ["s1", "s2", "s3", "s4", "s5", "p-s6", "none"]
            .iter()
            .enumerate()
        {
            let extra = match i % 3 {
                0 => "  isCA: true\n  usages: [server auth]\n",
                1 => {
                    "  usages: [client auth]\n  additionalOutputFormats:\n    - type: CombinedPEM\n"
                }
                _ => "  duration: 9000h\n",
            };
            objects += &cert(ns, &format!("c{i}"), secret, extra);
        }
        objects += &cert(ns, "dup", "s1", "  isCA: true\n");
    }
    objects += &deploy("a", "w1", &tls("s1"), &vols("agent", "s2", ""));
    objects += &deploy("a", "w2", &tls("s1"), &vols("agent", "s3", "            items:\n              - key: tls.crt\n                path: other.crt\n              - key: custom.key\n                path: tls.key\n"));
    objects += &deploy("b", "w3", &tls("s4"), &vols("nowhere", "s1", ""));
    objects += &deploy("b", "w4", "", &vols("agent-b", "s5", ""));
    objects += &deploy("c", "w5", &tls("s9"), "");
    let r = |path: &str, name: &str, ns: &str, key: &str| {
        let ns = if ns.is_empty() {
            String::new()
        } else {
            format!("\n{path}  namespace: {ns}")
        };
        let key = if key.is_empty() {
            String::new()
        } else {
            format!("\n{path}  key: {key}")
        };
        format!("{path}  name: {name}{ns}{key}\n")
    };
    objects += &store(
        "SecretStore",
        "a",
        "st1",
        &format!(
            "      tls:\n        certSecretRef:\n{}        keySecretRef:\n{}",
            r("        ", "s3", "", "cert.pem"),
            r("        ", "s3", "", "tls.key")
        ),
    );
    objects += &store(
        "SecretStore",
        "b",
        "st2",
        &format!(
            "      tls:\n        certSecretRef:\n{}",
            r("        ", "s2", "a", "")
        ),
    );
    objects += &store(
        "SecretStore",
        "b",
        "st3",
        &format!(
            "      auth:\n        cert:\n          clientCert:\n{}          secretRef:\n{}",
            r("          ", "s2", "b", "tls.crt"),
            r("          ", "s3", "", "key.pem")
        ),
    );
    objects += &store(
        "ClusterSecretStore",
        "c",
        "cs1",
        &format!(
            "      tls:\n        certSecretRef:\n{}",
            r("        ", "s3", "b", "x.pem")
        ),
    );
    objects += &store(
        "ClusterSecretStore",
        "c",
        "cs2",
        &format!(
            "      auth:\n        cert:\n          clientCert:\n{}",
            r("          ", "s4", "c", "y.pem")
        ),
    );
    objects += &store(
        "ClusterSecretStore",
        "c",
        "cs3",
        "      tls:\n        certSecretRef:\n          namespace: a\n",
    );
    objects += "apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: i1\n  namespace: b\nspec:\n  ca:\n    secretName: s1\n---\napiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: ci\nspec:\n  ca:\n    secretName: p-s6\n---\n";
    let files = vec![
        load_text("objects.yaml", objects, Some(Format::Yaml)),
        load_text(
            "a-agent.yaml",
            agent_cm("a", "agent", "/certs/tls.crt"),
            Some(Format::Yaml),
        ),
        load_text(
            "b-agent.yaml",
            agent_cm("b", "agent-b", "/certs/sub/client.crt"),
            Some(Format::Yaml),
        ),
    ];
    Inventory::new(files, "default", &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-Certificate search the index replaces, kept as the oracle.
    fn reference_by_scan(inv: &Inventory, cert: &K8sObject) -> Option<String> {
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
            for (path, what) in CLIENT_CERT_REFS {
                let Some(r) = vault_store_ref(store, path) else {
                    continue;
                };
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
        let u = agent_cert_uses(inv)
            .into_iter()
            .find(|u| u.secret == secret && u.namespace == cert.namespace)?;
        Some(format!(
            "{} (mounted for the agent config's vault.{}, {})",
            u.workload,
            u.field,
            u.doc.origin.as_deref().unwrap_or("agent config")
        ))
    }

    /// The index names, for every Certificate, the setting the full scan named first — of
    /// each kind, in scan order — and nothing where nothing names the Secret.
    #[test]
    fn client_refs_answer_as_the_full_scan() {
        let inv = test_inventory();
        let refs = ClientRefs::new(&inv);
        let mut found = 0;
        for cert in certificates(&inv) {
            let want = reference_by_scan(&inv, cert);
            found += usize::from(want.is_some());
            assert_eq!(refs.reference(cert), want, "{}", cert.display());
        }
        // Every kind of setting is exercised, and some Secrets are named by none.
        let all: Vec<String> = certificates(&inv)
            .filter_map(|c| refs.reference(c))
            .collect();
        for kind in [
            "annotation",
            "tls.certSecretRef",
            "auth.cert.clientCert",
            "agent config",
        ] {
            assert!(all.iter().any(|r| r.contains(kind)), "{kind}: {all:?}");
        }
        assert!(found > 4 && found < certificates(&inv).count(), "{found}");
    }

    /// Agent config uses stay in the order of the full scan (file, config, workload,
    /// container, mount), each workload once although two of its volumes mount the config.
    #[test]
    fn agent_cert_uses_keep_scan_order() {
        let inv = test_inventory();
        let got: Vec<(String, &str, &str, Option<&str>, &str)> = agent_cert_uses(&inv)
            .iter()
            .map(|u| (u.workload.clone(), u.namespace, u.secret, u.key, u.field))
            .collect();
        let w = |s: &str| format!("Deployment a/{s} container app");
        assert_eq!(
            got,
            [
                (w("w1"), "a", "s2", Some("tls.crt"), "client_cert"),
                (w("w1"), "a", "s2", Some("tls.key"), "client_key"),
                (w("w2"), "a", "s3", None, "client_cert"),
                (w("w2"), "a", "s3", Some("custom.key"), "client_key"),
                (
                    "Deployment b/w4 container app".to_owned(),
                    "b",
                    "s5",
                    Some("sub/client.crt"),
                    "client_cert"
                ),
                (
                    "Deployment b/w4 container app".to_owned(),
                    "b",
                    "s5",
                    Some("tls.key"),
                    "client_key"
                ),
            ]
        );
    }
}
