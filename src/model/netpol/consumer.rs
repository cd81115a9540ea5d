//! Secret consumers (RULES-SPEC K8S010 "who matters most"): workloads that talk to a secret
//! store or run with secrets a secret-store operator synced. One predicate, shared by every
//! rule that weighs a workload by it (K8S010, XSR001, K8S015, K8S016, live LKS001):
//!
//! * the Vault Agent Injector mutates the pod (`vault.hashicorp.com/agent-inject` true under
//!   the injector's boolean parser, §0.1 (2));
//! * a Secrets Store CSI volume (`secrets-store.csi.k8s.io`) whose `SecretProviderClass` uses
//!   the Vault/OpenBao provider (or is not in the scan set);
//! * a Secret synced by External Secrets Operator (`ExternalSecret`/`ClusterExternalSecret`
//!   target) or Vault Secrets Operator (`VaultStaticSecret`/`VaultDynamicSecret`/
//!   `VaultPKISecret`/`HCPVaultSecretsApp` destination), or a scanned Secret owned/labelled by
//!   them, referenced by `env[].valueFrom.secretKeyRef`, `envFrom[].secretRef` or a `secret`/
//!   `projected` volume;
//! * `VAULT_ADDR` or `BAO_ADDR` in a container's resolved environment (§0.5).

use crate::location::Span;
use crate::model::inventory::Inventory;
use crate::model::k8s::{K8sObject, Workload};
use crate::syntax::yaml::Node;
use foldhash::{HashMap, HashSet};

/// Why a workload is a secret consumer (the first reason found, in the order above).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumerReason {
    Injector,
    CsiVolume {
        class: String,
        provider: Option<String>,
    },
    SyncedSecret {
        secret: String,
        operator: &'static str,
    },
    VaultAddrEnv {
        var: String,
    },
}

impl ConsumerReason {
    pub fn describe(&self) -> String {
        match self {
            ConsumerReason::Injector => "Vault Agent injection is enabled".into(),
            ConsumerReason::CsiVolume { class, provider } => match provider {
                Some(p) => format!("mounts SecretProviderClass `{class}` (provider {p})"),
                None => format!("mounts SecretProviderClass `{class}` (not in the scan set)"),
            },
            ConsumerReason::SyncedSecret { secret, operator } => {
                format!("uses Secret `{secret}` synced by {operator}")
            }
            ConsumerReason::VaultAddrEnv { var } => format!("sets {var}"),
        }
    }
}

/// The injector predicate lives with the other secret-consumer facts.
pub use crate::model::consumers::injection_enabled;

/// How a pod refers to a Secret.
#[derive(Debug, Clone)]
pub struct SecretRef<'a> {
    pub name: &'a str,
    /// `secretKeyRef`, `secretRef`, `volume`.
    pub via: &'static str,
    /// The reference's `name` value.
    pub span: Span,
}

/// Every Secret a pod template refers to (env, envFrom, secret and projected volumes).
pub fn secret_refs<'a>(w: &Workload<'a>) -> Vec<SecretRef<'a>> {
    let mut out = Vec::new();
    let mut push = |node: Option<&'a Node>, key: &str, via: &'static str| {
        if let Some(e) = node.and_then(|n| n.entry(key)) {
            if let Some(name) = e.value.as_str() {
                out.push(SecretRef {
                    name,
                    via,
                    span: e.value.span,
                });
            }
        }
    };
    for c in w.containers() {
        for e in c.node.get("env").map(Node::items).unwrap_or(&[]) {
            push(
                e.path(&["valueFrom", "secretKeyRef"]),
                "name",
                "secretKeyRef",
            );
        }
        for f in c.node.get("envFrom").map(Node::items).unwrap_or(&[]) {
            push(f.get("secretRef"), "name", "secretRef");
        }
    }
    for v in w.pod_spec.get("volumes").map(Node::items).unwrap_or(&[]) {
        push(v.get("secret"), "secretName", "volume");
        for s in v
            .path(&["projected", "sources"])
            .map(Node::items)
            .unwrap_or(&[])
        {
            push(s.get("secret"), "name", "volume");
        }
    }
    out.sort_by_key(|r| r.span.start);
    out
}

/// The secrets the operators sync, by namespace and name, plus the SecretProviderClasses.
#[derive(Debug, Default)]
pub struct SecretConsumers {
    /// namespace → secret → operator. Keyed in two levels so that a lookup (one per Secret
    /// a pod refers to) borrows its namespace and name instead of copying both into a key.
    synced: HashMap<String, HashMap<String, &'static str>>,
    /// Secret names a ClusterExternalSecret creates in namespaces it selects.
    cluster_synced: HashSet<String>,
    /// namespace → class → provider (two levels, as `synced`).
    classes: HashMap<String, HashMap<String, String>>,
    /// (file, object) → reason, for every workload that is a consumer.
    reasons: HashMap<(usize, usize), ConsumerReason>,
}

impl SecretConsumers {
    pub fn build(inv: &Inventory) -> SecretConsumers {
        let mut s = SecretConsumers::default();
        for o in inv.objects() {
            s.index(o);
        }
        let addr_vars: HashMap<(usize, usize), &str> = inv
            .container_envs()
            .iter()
            .filter_map(|ce| {
                let v = ce
                    .vars
                    .iter()
                    .find(|v| v.name == "VAULT_ADDR" || v.name == "BAO_ADDR")?;
                Some(((ce.file, ce.object), v.name.as_str()))
            })
            .collect();
        for (fi, f) in inv.files.iter().enumerate() {
            for (oi, o) in f.objects.iter().enumerate() {
                let Some(w) = o.workload() else { continue };
                let reason = s.reason(&w).or_else(|| {
                    addr_vars
                        .get(&(fi, oi))
                        .map(|&var| ConsumerReason::VaultAddrEnv {
                            var: var.to_owned(),
                        })
                });
                if let Some(r) = reason {
                    s.reasons.insert((fi, oi), r);
                }
            }
        }
        s
    }

    /// The reason the workload at (file, object) is a secret consumer, if it is one.
    pub fn of(&self, file: usize, object: usize) -> Option<&ConsumerReason> {
        self.reasons.get(&(file, object))
    }

    /// The operator that syncs Secret `name` in `namespace`, if one does.
    pub fn synced_by(&self, namespace: &str, name: &str) -> Option<&'static str> {
        self.synced
            .get(namespace)
            .and_then(|names| names.get(name))
            .copied()
            .or_else(|| {
                self.cluster_synced
                    .contains(name)
                    .then_some("External Secrets Operator (ClusterExternalSecret)")
            })
    }

    fn index(&mut self, o: &K8sObject) {
        let s = |p: &[&str]| o.get(p).and_then(Node::as_str).map(str::to_owned);
        // Called for every object of the scan: the namespace is copied only by the kinds
        // that keep it.
        let ns = || o.namespace.clone();
        match (o.api_group(), o.kind.as_str()) {
            ("external-secrets.io", "ExternalSecret") => {
                let target = s(&["spec", "target", "name"]).unwrap_or_else(|| o.name.clone());
                self.sync(ns(), target, "External Secrets Operator");
            }
            ("external-secrets.io", "ClusterExternalSecret") => {
                let target = s(&["spec", "externalSecretSpec", "target", "name"])
                    .or_else(|| s(&["spec", "externalSecretName"]))
                    .unwrap_or_else(|| o.name.clone());
                self.cluster_synced.insert(target);
            }
            (
                "secrets.hashicorp.com",
                "VaultStaticSecret" | "VaultDynamicSecret" | "VaultPKISecret"
                | "HCPVaultSecretsApp",
            ) => {
                if let Some(d) = s(&["spec", "destination", "name"]) {
                    self.sync(ns(), d, "Vault Secrets Operator");
                }
            }
            ("", "Secret") => {
                if let Some(op) = operator_owned(o) {
                    self.sync(ns(), o.name.clone(), op);
                }
            }
            (_, "SecretProviderClass") => {
                let provider = s(&["spec", "provider"]).unwrap_or_default();
                self.classes
                    .entry(ns())
                    .or_default()
                    .insert(o.name.clone(), provider);
            }
            _ => {}
        }
    }

    /// Records that `operator` syncs Secret `name` in `namespace` (a later one replaces it).
    fn sync(&mut self, namespace: String, name: String, operator: &'static str) {
        self.synced
            .entry(namespace)
            .or_default()
            .insert(name, operator);
    }

    fn reason(&self, w: &Workload<'_>) -> Option<ConsumerReason> {
        if injection_enabled(w) {
            return Some(ConsumerReason::Injector);
        }
        let ns = &w.object.namespace;
        for v in w.pod_spec.get("volumes").map(Node::items).unwrap_or(&[]) {
            let Some(csi) = v.get("csi") else { continue };
            if csi.get("driver").and_then(Node::as_str) != Some("secrets-store.csi.k8s.io") {
                continue;
            }
            let Some(class) = csi
                .path(&["volumeAttributes", "secretProviderClass"])
                .and_then(Node::as_str)
            else {
                continue;
            };
            match self.classes.get(ns.as_str()).and_then(|c| c.get(class)) {
                Some(p) if matches!(p.as_str(), "vault" | "openbao" | "bao") => {
                    return Some(ConsumerReason::CsiVolume {
                        class: class.into(),
                        provider: Some(p.clone()),
                    })
                }
                Some(_) => {}
                None => {
                    return Some(ConsumerReason::CsiVolume {
                        class: class.into(),
                        provider: None,
                    })
                }
            }
        }
        for r in secret_refs(w) {
            if let Some(op) = self.synced_by(ns, r.name) {
                return Some(ConsumerReason::SyncedSecret {
                    secret: r.name.to_owned(),
                    operator: op,
                });
            }
        }
        None
    }
}

/// ESO/VSO-managed Secrets as a live cluster (or an exported manifest) shows them: owner
/// references to the operator's objects, or the operators' labels.
fn operator_owned(o: &K8sObject) -> Option<&'static str> {
    let owners = o
        .get(&["metadata", "ownerReferences"])
        .map(Node::items)
        .unwrap_or(&[]);
    for r in owners {
        match r.get("kind").and_then(Node::as_str) {
            Some("ExternalSecret") => return Some("External Secrets Operator"),
            Some("VaultStaticSecret" | "VaultDynamicSecret" | "VaultPKISecret") => {
                return Some("Vault Secrets Operator")
            }
            _ => {}
        }
    }
    let labels = o.get(&["metadata", "labels"]);
    let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Node::as_str);
    if labels
        .into_iter()
        .flat_map(Node::entries)
        .any(|(k, _)| k.starts_with("reconcile.external-secrets.io/"))
    {
        return Some("External Secrets Operator");
    }
    if label("app.kubernetes.io/managed-by") == Some("hashicorp-vso") {
        return Some("Vault Secrets Operator");
    }
    None
}
