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
    /// The document ([`K8sObject::root`]); private so that nothing replaces it after
    /// [`K8sObject::new`] has found the pod template and the ignore annotation in it.
    root: Node,
    /// Where the pod template sits in `root`, for kinds that run pods.
    pod_template: Option<PodTemplateAt>,
    /// `metadata.annotations."sealant.io/ignore"`, read while the tree is fresh: the
    /// suppression check asks for it with every finding the object holds.
    ignore: Option<Box<str>>,
}

/// Entry indices from an object's root to its pod template and the template's `metadata`
/// and `spec`. A dozen rules and models ask for every workload's pod template; a search by
/// key per ask chased a pointer to every key's text, a cache miss each on a large scan.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PodTemplateAt {
    /// Entry indices from the root to the template (empty for a bare Pod).
    path: Vec<u32>,
    metadata: Option<u32>,
    spec: Option<u32>,
}

impl PodTemplateAt {
    fn find(kind: &str, root: &Node) -> Option<PodTemplateAt> {
        let keys: &[&str] = match kind {
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
        let mut path = Vec::with_capacity(keys.len());
        let mut node = root;
        for key in keys {
            let i = entry_index(node, key)?;
            path.push(i);
            node = &node.as_map()?[i as usize].value;
        }
        Some(PodTemplateAt {
            path,
            metadata: entry_index(node, "metadata"),
            spec: entry_index(node, "spec"),
        })
    }
}

/// [`Node::entry_index`], narrowed to the `u32` a position is kept in.
fn entry_index(node: &Node, key: &str) -> Option<u32> {
    u32::try_from(node.entry_index(key)?).ok()
}

/// The value of entry `i` of a mapping.
fn entry_value(node: &Node, i: u32) -> Option<&Node> {
    node.as_map()?.get(i as usize).map(|e| &e.value)
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
    /// An object of `kind` read from `root`; its namespace is set by the inventory.
    pub fn new(
        path: Arc<str>,
        api_version: String,
        kind: String,
        name: String,
        declared_namespace: Option<String>,
        root: Node,
    ) -> K8sObject {
        let pod_template = PodTemplateAt::find(&kind, &root);
        let ignore = root
            .path(&["metadata", "annotations", "sealant.io/ignore"])
            .and_then(Node::as_str)
            .map(Box::from);
        K8sObject {
            path,
            api_version,
            kind,
            name,
            declared_namespace,
            namespace: String::new(),
            root,
            pod_template,
            ignore,
        }
    }
    /// The document. Read-only: the pod template's position and the ignore annotation are
    /// found from it once, when the object is built.
    pub fn root(&self) -> &Node {
        &self.root
    }
    /// The rule ids of its `sealant.io/ignore` annotation, as written (comma-separated).
    pub fn ignored_rules(&self) -> Option<&str> {
        self.ignore.as_deref()
    }
    pub fn location(&self, span: Span) -> Location {
        Location::new(self.path.clone(), span)
    }
    /// `Kind namespace/name` for messages.
    pub fn display(&self) -> ObjectName<'_> {
        ObjectName(self)
    }
    /// A stable logical identity for fingerprints (never the line number).
    pub fn identity(&self) -> ObjectIdentity<'_> {
        ObjectIdentity(self)
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
        let at = self.pod_template.as_ref()?;
        at.path
            .iter()
            .try_fold(&self.root, |node, &i| entry_value(node, i))
    }
    /// The workload view, for kinds that run pods.
    pub fn workload(&self) -> Option<Workload<'_>> {
        let at = self.pod_template.as_ref()?;
        let template = self.workload_template()?;
        Some(Workload {
            object: self,
            pod_metadata: at.metadata.and_then(|i| entry_value(template, i)),
            // A partial manifest (a kustomize patch) may lack the pod spec; its annotations
            // still count, so an empty spec stands in.
            pod_spec: at
                .spec
                .and_then(|i| entry_value(template, i))
                .unwrap_or_else(|| empty_node()),
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

/// `Kind namespace/name` (`Kind name` without a namespace), as messages name an object.
/// Written where it is formatted: most uses are inside a finding's message.
#[derive(Debug, Clone, Copy)]
pub struct ObjectName<'a>(&'a K8sObject);

impl std::fmt::Display for ObjectName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let o = self.0;
        if o.namespace.is_empty() {
            write!(f, "{} {}", o.kind, o.name)
        } else {
            write!(f, "{} {}/{}", o.kind, o.namespace, o.name)
        }
    }
}

/// `group/Kind/namespace/name`: an object's identity for fingerprints.
#[derive(Debug, Clone, Copy)]
pub struct ObjectIdentity<'a>(&'a K8sObject);

impl std::fmt::Display for ObjectIdentity<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let o = self.0;
        write!(f, "{}/{}/{}/{}", o.api_group(), o.kind, o.namespace, o.name)
    }
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

/// The pod spec's container lists, in the order [`Workload::containers`] gives them.
pub const CONTAINER_GROUPS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

impl<'a> Container<'a> {
    fn new(node: &'a Node, group: &'static str) -> Container<'a> {
        Container {
            node,
            name: node.get("name").and_then(Node::as_str).unwrap_or("?"),
            group,
        }
    }
}

impl<'a> Workload<'a> {
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        let w = *self;
        CONTAINER_GROUPS
            .into_iter()
            .flat_map(move |group| w.containers_in(group))
    }
    /// The containers of one of [`CONTAINER_GROUPS`].
    pub fn containers_in(&self, group: &'static str) -> impl Iterator<Item = Container<'a>> + 'a {
        self.pod_spec
            .get(group)
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .map(move |node| Container::new(node, group))
    }
    /// The container at `index` of `group` (one of [`CONTAINER_GROUPS`]), for facts that
    /// remember where a container sits instead of walking [`Workload::containers`] again.
    pub fn container(&self, group: &'static str, index: usize) -> Option<Container<'a>> {
        let node = self.pod_spec.get(group)?.items().get(index)?;
        Some(Container::new(node, group))
    }
    /// The pod template's annotation, with its entry (key and value spans).
    pub fn annotation(&self, key: &str) -> Option<&'a crate::syntax::yaml::Entry> {
        self.pod_metadata?.get("annotations")?.entry(key)
    }
    /// The annotation whose name is `parts` joined, as [`Workload::annotation`] finds it (the
    /// last of duplicate keys), without building the name: several rules ask for every
    /// workload's `vault.hashicorp.com/…-<name>` annotations.
    pub fn annotation_joined(&self, parts: &[&str]) -> Option<&'a crate::syntax::yaml::Entry> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let is_joined = |key: &str| {
            key.len() == len
                && parts
                    .iter()
                    .try_fold(key, |rest, p| rest.strip_prefix(p))
                    .is_some()
        };
        self.pod_metadata?
            .get("annotations")?
            .as_map()?
            .iter()
            .rev()
            .find(|e| e.key.as_str().is_some_and(is_joined))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml;

    fn object(text: &str) -> K8sObject {
        let root = yaml::parse(text).documents.remove(0).root;
        let kind = root
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_owned();
        K8sObject::new("x.yaml".into(), "v1".into(), kind, "x".into(), None, root)
    }

    /// `annotation_joined` finds exactly what `annotation` finds for the joined name: the last
    /// of duplicate keys, nothing for a name that only shares the start or the end.
    #[test]
    fn annotation_joined_finds_what_annotation_finds() {
        let o = object(
            "kind: Pod\nmetadata:\n  annotations:\n    a/x-y: 1\n    a/x-yy: 2\n    b/x-y: 3\n    a/x-y: 4\nspec: {}\n",
        );
        let w = o.workload().unwrap();
        for parts in [
            &["a/x-", "y"][..],
            &["a/", "x-", "y"],
            &["a/x-", "yy"],
            &["a/", "x-y"],
            &["b/x-", "y"],
            &["a/x-", "z"],
            &["a/x", ""],
            &["a/x-y"],
            &[],
        ] {
            let joined = w.annotation(&parts.concat()).map(|e| e.value.span);
            let found = w.annotation_joined(parts).map(|e| e.value.span);
            assert_eq!(found, joined, "{parts:?}");
        }
        assert_eq!(
            w.annotation_joined(&["a/x-", "y"]).unwrap().value.as_str(),
            Some("4")
        );
    }

    /// A container found by its list and position is the one `containers()` gives there, in
    /// `containers`, `initContainers` and `ephemeralContainers` order; past the end, none.
    #[test]
    fn container_by_position_is_the_listed_one() {
        let o = object(
            "kind: Pod\nspec:\n  ephemeralContainers: [{name: dbg}]\n  containers: [{name: app}, {name: side}]\n  initContainers: [{name: init}]\n",
        );
        let w = o.workload().unwrap();
        let listed: Vec<(&str, &str)> = w.containers().map(|c| (c.group, c.name)).collect();
        assert_eq!(
            listed,
            [
                ("containers", "app"),
                ("containers", "side"),
                ("initContainers", "init"),
                ("ephemeralContainers", "dbg")
            ]
        );
        for group in CONTAINER_GROUPS {
            for (index, c) in w.containers_in(group).enumerate() {
                let found = w.container(group, index).expect("listed container");
                assert!(std::ptr::eq(found.node, c.node) && found.name == c.name);
            }
        }
        assert!(w.container("containers", 2).is_none());
        assert!(w.container("initContainers", 1).is_none());
    }

    /// The remembered template position finds what a search by key finds (the last of
    /// duplicate keys, as `Node::entry` does), for every pod-running shape.
    #[test]
    fn pod_template_position_matches_search_by_key() {
        let cases = [
            ("kind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n", vec![]),
            (
                "kind: Deployment\nspec:\n  replicas: 1\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: []}\n",
                vec!["spec", "template"],
            ),
            (
                "kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec: {containers: []}\n",
                vec!["spec", "jobTemplate", "spec", "template"],
            ),
            (
                "kind: Job\nspec:\n  template: {spec: {a: 1}}\nspec:\n  template:\n    metadata: {x: 1}\n    spec: {b: 2}\n    spec: {c: 3}\n",
                vec!["spec", "template"],
            ),
        ];
        for (text, keys) in cases {
            let o = object(text);
            let by_key = o.root.path(&keys).expect("template");
            let t = o.workload_template().expect("template");
            assert!(std::ptr::eq(t, by_key), "{text}");
            let w = o.workload().expect("workload");
            assert_eq!(
                w.pod_metadata.map(|n| n as *const Node),
                by_key.get("metadata").map(|n| n as *const Node),
                "{text}"
            );
            if let Some(spec) = by_key.get("spec") {
                assert!(std::ptr::eq(w.pod_spec, spec), "{text}");
            }
        }
        // A patch without a pod spec still is a workload, with an empty spec.
        let patch =
            object("kind: Deployment\nspec:\n  template:\n    metadata: {annotations: {a: b}}\n");
        let w = patch.workload().expect("workload");
        assert!(w.pod_metadata.is_some() && w.pod_spec.entries().next().is_none());
        assert!(object("kind: ConfigMap\ndata: {}\n").workload().is_none());
        assert!(object("kind: Deployment\nmetadata: {}\n")
            .workload()
            .is_none());
    }
}
