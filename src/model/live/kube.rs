//! Cluster-level Kubernetes facts (RULES-SPEC §1(h)) that are not objects, filled by
//! `crate::live::kube`, and the resource types sealant reads (shared with the reference
//! server, which serves exactly these).

use crate::syntax::yaml::{Node, Typed};
use std::collections::{BTreeMap, HashMap};

/// What the cluster told us beyond its objects.
#[derive(Debug, Clone, Default)]
pub struct KubeFacts {
    /// The kubeconfig context (or `in-cluster`) read.
    pub context: String,
    /// The API server's `gitVersion` (`/version`), when it answered.
    pub server_version: Option<String>,
    /// Policy-enforcing CNIs seen in `kube-system` (cilium, calico-node, …), for LKS003.
    pub cni: Vec<String>,
    /// True when `kube-system` Pods were listed, so an empty [`Self::cni`] means "none seen".
    pub cni_checked: bool,
    /// Every Pod listed (controller-owned Pods are not turned into objects: their
    /// controller's template is, RULES-SPEC §1(h)).
    pub pods: Vec<LivePod>,
    /// `(namespace, kind, name)` of a ReplicaSet/Job → its controller `(kind, name)`, to walk
    /// a Pod up to the Deployment/CronJob that owns it.
    pub owners: HashMap<(String, String, String), (String, String)>,
    /// CRD groups the API serves (discovery).
    pub served_groups: Vec<String>,
    /// Logical path (`k8s://…`) → file written under `--snapshot-dir`.
    pub snapshots: BTreeMap<String, String>,
}

/// A Pod as far as the live-only rules need it.
#[derive(Debug, Clone, Default)]
pub struct LivePod {
    pub namespace: String,
    pub name: String,
    /// The controller owner reference `(kind, name)`, if any.
    pub controller: Option<(String, String)>,
    /// `vault.hashicorp.com/agent-inject-status: injected` (set by the injector webhook).
    pub vault_injected: bool,
    /// Secrets the Pod reads: secret volumes (also projected), `secretKeyRef`, `secretRef`.
    pub secret_refs: Vec<String>,
    pub host_network: bool,
    /// `status.phase`.
    pub phase: String,
    /// Labels and container names, for CNI detection and selectors.
    pub labels: BTreeMap<String, String>,
    pub containers: Vec<String>,
}

impl LivePod {
    /// Reads a Pod object (live, or from a `kubectl get pods -o yaml` dump).
    pub fn from_node(root: &Node, namespace: &str) -> LivePod {
        let s = |n: Option<&Node>| n.and_then(Node::as_str).unwrap_or("").to_owned();
        let meta = root.get("metadata");
        let spec = root.get("spec");
        let items = |n: Option<&Node>, key: &str| -> Vec<Node> {
            n.and_then(|n| n.get(key))
                .map(|x| x.items().to_vec())
                .unwrap_or_default()
        };
        let mut secret_refs: Vec<String> = Vec::new();
        let mut add = |name: String| {
            if !name.is_empty() && !secret_refs.contains(&name) {
                secret_refs.push(name);
            }
        };
        for vol in items(spec, "volumes") {
            add(s(vol.path(&["secret", "secretName"])));
            for src in vol
                .path(&["projected", "sources"])
                .map(Node::items)
                .unwrap_or(&[])
            {
                add(s(src.path(&["secret", "name"])));
            }
        }
        let mut containers = Vec::new();
        for group in ["initContainers", "containers", "ephemeralContainers"] {
            for c in items(spec, group) {
                containers.push(s(c.get("name")));
                for e in c.get("env").map(Node::items).unwrap_or(&[]) {
                    add(s(e.path(&["valueFrom", "secretKeyRef", "name"])));
                }
                for e in c.get("envFrom").map(Node::items).unwrap_or(&[]) {
                    add(s(e.path(&["secretRef", "name"])));
                }
            }
        }
        let controller = meta
            .and_then(|m| m.get("ownerReferences"))
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .find(|o| o.get("controller").and_then(Node::typed) == Some(Typed::Bool(true)))
            .map(|o| (s(o.get("kind")), s(o.get("name"))));
        LivePod {
            namespace: namespace.to_owned(),
            name: s(meta.and_then(|m| m.get("name"))),
            controller,
            vault_injected: meta
                .and_then(|m| m.path(&["annotations", "vault.hashicorp.com/agent-inject-status"]))
                .and_then(Node::as_str)
                == Some("injected"),
            secret_refs,
            host_network: spec
                .and_then(|x| x.get("hostNetwork"))
                .and_then(Node::typed)
                == Some(Typed::Bool(true)),
            phase: s(root.path(&["status", "phase"])),
            labels: meta
                .and_then(|m| m.get("labels"))
                .into_iter()
                .flat_map(Node::entries)
                .filter_map(|(k, e)| Some((k.to_owned(), e.value.as_str()?.to_owned())))
                .collect(),
            containers,
        }
    }
}

impl KubeFacts {
    /// The top controller of a Pod: a Deployment through its ReplicaSet, a CronJob through
    /// its Job; the Pod itself when bare.
    pub fn top_owner(&self, pod: &LivePod) -> (String, String) {
        let mut cur = match &pod.controller {
            Some(c) => c.clone(),
            None => return ("Pod".into(), pod.name.clone()),
        };
        for _ in 0..4 {
            match self
                .owners
                .get(&(pod.namespace.clone(), cur.0.clone(), cur.1.clone()))
            {
                Some(up) => cur = up.clone(),
                None => break,
            }
        }
        cur
    }
}

/// Policy-enforcing CNIs and the names their agents run under (pod name prefix, container
/// name, or `k8s-app`/`app.kubernetes.io/name` label).
const CNI_AGENTS: &[(&str, &str)] = &[
    ("cilium", "cilium"),
    ("calico", "calico-node"),
    ("calico", "canal"),
    ("antrea", "antrea-agent"),
    ("kube-router", "kube-router"),
    ("weave", "weave-net"),
    (
        "aws-vpc-cni network policy agent",
        "aws-network-policy-agent",
    ),
    ("gke dataplane v2 (cilium)", "anetd"),
    ("azure-npm", "azure-npm"),
];

/// The enforcing CNIs whose agents run in `kube-system` (or `calico-system`, where the
/// Tigera operator puts calico-node).
pub fn detect_cni(pods: &[LivePod]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for p in pods
        .iter()
        .filter(|p| p.namespace == "kube-system" || p.namespace == "calico-system")
    {
        for (cni, agent) in CNI_AGENTS {
            let hit = p.name.starts_with(&format!("{agent}-"))
                || p.containers.iter().any(|c| c == agent)
                || ["k8s-app", "app.kubernetes.io/name", "app", "name"]
                    .iter()
                    .any(|l| p.labels.get(*l).is_some_and(|v| v == agent));
            if hit && !found.iter().any(|f| f == cni) {
                found.push((*cni).to_owned());
            }
        }
    }
    found.sort();
    found
}

/// A resource type the collector lists and the reference server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceType {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
    /// A custom resource: listed only when discovery says its group/version is served.
    pub crd: bool,
}

const fn rt(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    plural: &'static str,
    namespaced: bool,
    crd: bool,
) -> ResourceType {
    ResourceType {
        group,
        version,
        kind,
        plural,
        namespaced,
        crd,
    }
}

/// The built-ins the rules read and the CRDs of the secret-store integrations (VSO, ESO,
/// Secrets Store CSI, cert-manager) and of policy-enforcing CNIs (Cilium, Calico).
pub const RESOURCES: &[ResourceType] = &[
    rt("", "v1", "Namespace", "namespaces", false, false),
    rt("", "v1", "Pod", "pods", true, false),
    rt("", "v1", "ConfigMap", "configmaps", true, false),
    rt("", "v1", "Secret", "secrets", true, false),
    rt("", "v1", "ServiceAccount", "serviceaccounts", true, false),
    rt(
        "",
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        true,
        false,
    ),
    rt("apps", "v1", "Deployment", "deployments", true, false),
    rt("apps", "v1", "StatefulSet", "statefulsets", true, false),
    rt("apps", "v1", "DaemonSet", "daemonsets", true, false),
    rt("apps", "v1", "ReplicaSet", "replicasets", true, false),
    rt("batch", "v1", "Job", "jobs", true, false),
    rt("batch", "v1", "CronJob", "cronjobs", true, false),
    rt(
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        false,
    ),
    rt(
        "external-secrets.io",
        "v1",
        "SecretStore",
        "secretstores",
        true,
        true,
    ),
    rt(
        "external-secrets.io",
        "v1",
        "ClusterSecretStore",
        "clustersecretstores",
        false,
        true,
    ),
    rt(
        "external-secrets.io",
        "v1",
        "ExternalSecret",
        "externalsecrets",
        true,
        true,
    ),
    rt(
        "secrets.hashicorp.com",
        "v1beta1",
        "VaultConnection",
        "vaultconnections",
        true,
        true,
    ),
    rt(
        "secrets.hashicorp.com",
        "v1beta1",
        "VaultAuth",
        "vaultauths",
        true,
        true,
    ),
    rt(
        "secrets.hashicorp.com",
        "v1beta1",
        "VaultStaticSecret",
        "vaultstaticsecrets",
        true,
        true,
    ),
    rt(
        "secrets.hashicorp.com",
        "v1beta1",
        "VaultDynamicSecret",
        "vaultdynamicsecrets",
        true,
        true,
    ),
    rt(
        "cert-manager.io",
        "v1",
        "Certificate",
        "certificates",
        true,
        true,
    ),
    rt("cert-manager.io", "v1", "Issuer", "issuers", true, true),
    rt(
        "cert-manager.io",
        "v1",
        "ClusterIssuer",
        "clusterissuers",
        false,
        true,
    ),
    rt(
        "secrets-store.csi.x-k8s.io",
        "v1",
        "SecretProviderClass",
        "secretproviderclasses",
        true,
        true,
    ),
    rt(
        "cilium.io",
        "v2",
        "CiliumNetworkPolicy",
        "ciliumnetworkpolicies",
        true,
        true,
    ),
    rt(
        "cilium.io",
        "v2",
        "CiliumClusterwideNetworkPolicy",
        "ciliumclusterwidenetworkpolicies",
        false,
        true,
    ),
    rt(
        "crd.projectcalico.org",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        true,
    ),
    rt(
        "crd.projectcalico.org",
        "v1",
        "GlobalNetworkPolicy",
        "globalnetworkpolicies",
        false,
        true,
    ),
];

impl ResourceType {
    /// `v1`, `apps/v1`, …
    pub fn group_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_owned()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
    /// `pods`, `networkpolicies.networking.k8s.io`: the name RBAC errors use.
    pub fn resource_name(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_owned()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
    /// The kind as it appears in logical paths: Calico's `NetworkPolicy` would collide with
    /// the built-in one, so kinds of CNI groups that reuse a built-in name carry their group.
    pub fn path_kind(&self) -> String {
        if self.crd && RESOURCES.iter().any(|r| !r.crd && r.kind == self.kind) {
            format!("{}.{}", self.kind, self.group)
        } else {
            self.kind.to_owned()
        }
    }
    /// The list URL, cluster-wide or in one namespace.
    pub fn list_path(&self, namespace: Option<&str>) -> String {
        let base = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        match namespace {
            Some(ns) if self.namespaced => format!("{base}/namespaces/{ns}/{}", self.plural),
            _ => format!("{base}/{}", self.plural),
        }
    }
}
