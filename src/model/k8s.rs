//! Typed views over Kubernetes objects: identity, workloads and their pod templates,
//! containers (RULES-SPEC §1 "Workload kinds and pod-template location").

use crate::location::{Location, Span};
use crate::syntax::yaml::Node;
use std::sync::Arc;

/// One Kubernetes object from a manifest (a `List` contributes each item).
#[derive(Debug)]
pub struct K8sObject {
    pub path: Arc<str>,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// `metadata.namespace` as written.
    pub declared_namespace: Option<String>,
    /// The namespace the object lands in (kustomization, then metadata, then the scan
    /// default, §0.5); empty for cluster-scoped kinds. Set by the inventory.
    pub namespace: String,
    pub root: Node,
}

/// Kinds that have no namespace.
pub fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "ClusterSecretStore"
            | "ClusterExternalSecret"
            | "CustomResourceDefinition"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
            | "PersistentVolume"
            | "StorageClass"
            | "PriorityClass"
            | "ClusterIssuer"
            | "Node"
            | "APIService"
    )
}

impl K8sObject {
    pub fn location(&self, span: Span) -> Location {
        Location::new(self.path.clone(), span)
    }
    /// `Kind namespace/name` for messages.
    pub fn display(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
    /// A stable logical identity for fingerprints (never the line number).
    pub fn identity(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.api_group(),
            self.kind,
            self.namespace,
            self.name
        )
    }
    pub fn api_group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }
    pub fn get(&self, path: &[&str]) -> Option<&Node> {
        self.root.path(path)
    }
    /// The span used when a finding concerns the object as a whole: its `kind:` line.
    pub fn kind_span(&self) -> Span {
        self.root
            .entry("kind")
            .map_or(self.root.span, |e| e.key.span)
    }
    /// The node holding the pod template's `metadata` and `spec` (the object itself for a
    /// bare Pod), for kinds that run pods.
    pub fn workload_template(&self) -> Option<&Node> {
        let template_path: &[&str] = match self.kind.as_str() {
            "Pod" => &[],
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job" => &["spec", "template"],
            "CronJob" => &["spec", "jobTemplate", "spec", "template"],
            _ => return None,
        };
        self.root.path(template_path)
    }
    /// The workload view, for kinds that run pods.
    pub fn workload(&self) -> Option<Workload<'_>> {
        // A partial manifest (a kustomize patch) may lack the pod spec; its annotations
        // still count, so an empty spec stands in.
        let template = self.workload_template()?;
        Some(Workload {
            object: self,
            pod_metadata: template.get("metadata"),
            pod_spec: template.get("spec").unwrap_or_else(|| empty_node()),
        })
    }
}

fn empty_node() -> &'static Node {
    static EMPTY: std::sync::OnceLock<Node> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Node {
        value: crate::syntax::yaml::Value::Map(Vec::new()),
        span: Span::default(),
    })
}

/// A pod-running object seen through its pod template.
#[derive(Debug, Clone, Copy)]
pub struct Workload<'a> {
    pub object: &'a K8sObject,
    /// The pod template's metadata (a bare Pod's own metadata).
    pub pod_metadata: Option<&'a Node>,
    pub pod_spec: &'a Node,
}

/// One container of a workload.
#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub name: &'a str,
    /// `containers`, `initContainers` or `ephemeralContainers`.
    pub group: &'static str,
}

impl<'a> Workload<'a> {
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        let spec = self.pod_spec;
        ["containers", "initContainers", "ephemeralContainers"]
            .into_iter()
            .flat_map(move |group| {
                spec.get(group)
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .map(move |node| Container {
                        node,
                        name: node.get("name").and_then(Node::as_str).unwrap_or("?"),
                        group,
                    })
            })
    }
    /// The pod template's annotation, with its entry (key and value spans).
    pub fn annotation(&self, key: &str) -> Option<&'a crate::syntax::yaml::Entry> {
        self.pod_metadata?.get("annotations")?.entry(key)
    }
    pub fn annotations(
        &self,
    ) -> impl Iterator<Item = (&'a str, &'a crate::syntax::yaml::Entry)> + 'a {
        self.pod_metadata
            .and_then(|m| m.get("annotations"))
            .into_iter()
            .flat_map(Node::entries)
    }
}
