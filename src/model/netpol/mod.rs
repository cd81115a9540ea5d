//! The network isolation model (RULES-SPEC K8S010–K8S014, XSR001, live LKS001): every
//! NetworkPolicy, CNI-specific policy, workload and Namespace of the inventory, grouped per
//! namespace across files, with Kubernetes' own selection semantics. It reads only
//! `Inventory` objects, so manifests from files and objects from a live cluster feed it alike.
//!
//! Entry points: [`NetpolModel::namespaces`] / [`NetpolModel::namespace`] (per-namespace
//! coverage: "does any policy govern egress here?") and [`NetpolModel::selection`] (which
//! policies select one pod, per direction, and what they allow).

pub mod cni;
pub mod consumer;
pub mod namespace;
pub mod policy;
pub mod selector;

use crate::location::{Location, Span};
use crate::model::file::ParsedFile;
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::syntax::yaml::{Node, Typed};
use cni::CniPolicy;
use consumer::{ConsumerReason, SecretConsumers};
use foldhash::HashMap;
use namespace::{NsKey, NsOrigin};
use policy::{Direction, NetworkPolicy};
use rayon::prelude::*;
use selector::Labels;
use std::collections::BTreeMap;

/// A pod-running workload as the isolation model sees it.
#[derive(Debug, Clone)]
pub struct Pod {
    /// Index into `Inventory::files` and that file's `objects`.
    pub file: usize,
    pub object: usize,
    pub namespace: NsKey,
    pub ns_origin: NsOrigin,
    /// Pod-template labels; `None` when templated (not known offline).
    pub labels: Option<Labels>,
    /// Where findings about the pod point: the pod template's `labels` key, else its
    /// `metadata` key, else the object's `kind`.
    pub anchor: Location,
    pub host_network: bool,
}

/// Everything the model knows about one namespace.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    /// Indexes into [`NetpolModel::policies`].
    pub policies: Vec<usize>,
    /// Indexes into [`NetpolModel::cni`] (namespaced ones; cluster-wide ones apply to all).
    pub cni: Vec<usize>,
    /// Indexes into [`NetpolModel::pods`].
    pub pods: Vec<usize>,
    /// Labels of the `Namespace` object, when the scan set has one (plus the
    /// `kubernetes.io/metadata.name` label the API server sets).
    pub labels: Labels,
    /// The `Namespace` object: (file, object).
    pub object: Option<(usize, usize)>,
    /// `policies` whose pod selector requires one `key=value` (a `matchLabels` entry or a
    /// one-value `In`), by that label: a pod can only be selected by those under its own
    /// labels, so selecting pods is not policies x pods within a namespace.
    by_label: HashMap<String, HashMap<String, Vec<usize>>>,
    /// The other `policies` (everything, expressions only, not evaluable): always checked.
    unindexed: Vec<usize>,
}

impl Namespace {
    /// Fills the label index once every policy is in `policies`.
    fn index(&mut self, policies: &[(NsKey, NetworkPolicy)]) {
        for &i in &self.policies {
            let required = match &policies[i].1.pod_selector {
                selector::Selector::Match(reqs) => reqs
                    .iter()
                    .find(|r| r.op == selector::Op::In && r.values.len() == 1),
                selector::Selector::Unknown(_) => None,
            };
            match required {
                Some(r) => self
                    .by_label
                    .entry(r.key.clone())
                    .or_default()
                    .entry(r.values[0].clone())
                    .or_default()
                    .push(i),
                None => self.unindexed.push(i),
            }
        }
    }

    /// The policies that may select a pod with these labels, in `policies` order; all of
    /// them when the labels are not known.
    fn candidates(&self, labels: Option<&Labels>) -> std::borrow::Cow<'_, [usize]> {
        let Some(labels) = labels else {
            return std::borrow::Cow::Borrowed(&self.policies);
        };
        let mut out = self.unindexed.clone();
        for (key, value) in labels {
            if let Some(found) = self.by_label.get(key).and_then(|v| v.get(value)) {
                out.extend_from_slice(found);
            }
        }
        out.sort_unstable();
        std::borrow::Cow::Owned(out)
    }
}

/// The model.
#[derive(Debug, Default)]
pub struct NetpolModel {
    pub policies: Vec<(NsKey, NetworkPolicy)>,
    pub cni: Vec<CniPolicy>,
    /// Indexes into `cni` of the cluster-wide policies (the namespaced ones are listed in
    /// their [`Namespace::cni`]).
    cluster_cni: Vec<usize>,
    pub pods: Vec<Pod>,
    namespaces: BTreeMap<NsKey, Namespace>,
    /// Namespace label sets from `Namespace` manifests (K8S014), including ones with no pods.
    pub namespace_labels: Vec<Labels>,
    consumers: SecretConsumers,
}

/// What one object contributes to the model, read on its own (in parallel). The large
/// variants are boxed: every object of the scan passes through a list of these, and a
/// policy inline made each item ~230 bytes.
enum Found {
    Namespace {
        name: String,
        labels: Labels,
        /// Its labels are written by a template: not known offline.
        templated: bool,
        at: (usize, usize),
    },
    Policy(Box<(NsKey, NetworkPolicy)>),
    Cni(Box<CniPolicy>),
    Pod(Box<Pod>),
}

impl Found {
    fn read(
        f: &ParsedFile,
        fi: usize,
        oi: usize,
        o: &K8sObject,
        default_ns: &str,
    ) -> Option<Found> {
        let ns_key = || namespace::resolve(f, o, default_ns);
        if o.kind == "Namespace" && o.api_version == "v1" {
            let mut labels = selector::labels_of(o.get(&["metadata", "labels"]));
            labels.insert("kubernetes.io/metadata.name".into(), o.name.clone());
            let templated = o
                .get(&["metadata"])
                .and_then(|md| md.entry("labels"))
                .is_some_and(|e| namespace::templated(f, e.key.span));
            Some(Found::Namespace {
                name: o.name.clone(),
                labels,
                templated,
                at: (fi, oi),
            })
        } else if o.kind == "NetworkPolicy" && o.api_group() == "networking.k8s.io" {
            let (key, _) = ns_key();
            Some(Found::Policy(Box::new((
                key,
                NetworkPolicy::parse(f, fi, oi),
            ))))
        } else if cni::is_cni_policy(o) {
            let key = (!cni::is_cluster_wide(&o.kind)).then(|| ns_key().0);
            Some(Found::Cni(Box::new(CniPolicy::parse(o, fi, oi, key))))
        } else if let Some(w) = o.workload() {
            let (key, origin) = ns_key();
            let (labels, anchor) = pod_labels(f, o, &w);
            let host_network = matches!(
                w.pod_spec.get("hostNetwork").and_then(Node::typed),
                Some(Typed::Bool(true))
            );
            Some(Found::Pod(Box::new(Pod {
                file: fi,
                object: oi,
                namespace: key,
                ns_origin: origin,
                labels,
                anchor: o.location(anchor),
                host_network,
            })))
        } else {
            None
        }
    }
}

/// Which policies select a pod for one direction.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Policies that select the pod and isolate this direction.
    pub isolating: Vec<usize>,
    /// Policies whose selector cannot be evaluated (templated) that isolate this direction.
    pub maybe: Vec<usize>,
    /// Policies that select the pod but do not isolate this direction (e.g. ingress-only).
    pub other_direction: Vec<usize>,
    /// CNI-specific policies that select (or may select) the pod and govern egress.
    pub cni: Vec<usize>,
}

impl Selection {
    /// True when no policy isolates this direction for the pod (and none may).
    pub fn open(&self) -> bool {
        self.isolating.is_empty() && self.maybe.is_empty()
    }
}

/// One namespace's coverage (the view LKS001 and XSR001 read).
#[derive(Debug, Clone, Copy)]
pub struct NamespaceView<'a> {
    pub key: &'a NsKey,
    pub ns: &'a Namespace,
    model: &'a NetpolModel,
}

impl<'a> NamespaceView<'a> {
    /// Policies of the namespace whose effective types include Egress.
    pub fn egress_policies(&self) -> impl Iterator<Item = &'a NetworkPolicy> + 'a {
        let m = self.model;
        self.ns
            .policies
            .iter()
            .map(move |&i| &m.policies[i].1)
            .filter(|p| p.types.egress)
    }
    /// True when some NetworkPolicy of the namespace governs egress (regardless of selector).
    pub fn has_egress_policy(&self) -> bool {
        self.egress_policies().next().is_some()
    }
    /// CNI-specific policies governing egress that apply here (namespaced or cluster-wide).
    pub fn cni_egress(&self) -> impl Iterator<Item = &'a CniPolicy> + 'a {
        let m = self.model;
        m.cni_in(self.ns)
            .into_iter()
            .map(move |i| &m.cni[i])
            .filter(|c| c.egress)
    }
    pub fn pods(&self) -> impl Iterator<Item = &'a Pod> + 'a {
        let m = self.model;
        self.ns.pods.iter().map(move |&i| &m.pods[i])
    }
    /// The namespace's secret consumers, with their reasons.
    pub fn secret_consumers(&self) -> impl Iterator<Item = (&'a Pod, &'a ConsumerReason)> + 'a {
        let m = self.model;
        self.pods()
            .filter_map(move |p| Some((p, m.consumers.of(p.file, p.object)?)))
    }
}

impl NetpolModel {
    /// Builds the model from the inventory (`default_ns`: the scan's default namespace).
    pub fn build(inv: &Inventory, default_ns: &str) -> NetpolModel {
        // Reading each object (selectors, labels, namespaces) is independent: done on all
        // cores, beside the consumer index, then folded in scan order.
        let (consumers, found) = rayon::join(
            || SecretConsumers::build(inv),
            || {
                inv.files
                    .par_iter()
                    .enumerate()
                    .flat_map_iter(|(fi, f)| {
                        f.objects
                            .iter()
                            .enumerate()
                            .filter_map(move |(oi, o)| Found::read(f, fi, oi, o, default_ns))
                    })
                    .collect::<Vec<Found>>()
            },
        );
        let mut m = NetpolModel {
            consumers,
            ..Default::default()
        };
        // Sized once: at 100k files there are ~30k pods and ~15k policies, and doubling
        // growth would touch (and fault in) about twice their final size.
        let count = |pick: fn(&Found) -> bool| found.iter().filter(|f| pick(f)).count();
        m.policies
            .reserve_exact(count(|f| matches!(f, Found::Policy(_))));
        m.cni.reserve_exact(count(|f| matches!(f, Found::Cni(_))));
        m.pods.reserve_exact(count(|f| matches!(f, Found::Pod(_))));
        for item in found {
            match item {
                Found::Namespace {
                    name,
                    labels,
                    templated,
                    at,
                } => {
                    let n = namespace_mut(&mut m.namespaces, &NsKey::Known(name));
                    n.labels.clone_from(&labels);
                    n.object = Some(at);
                    if !templated {
                        m.namespace_labels.push(labels);
                    } else {
                        // Unknown labels could satisfy any selector: never report K8S014.
                        let mut any = Labels::new();
                        any.insert("*".into(), "*".into());
                        m.namespace_labels.push(any);
                    }
                }
                Found::Policy(policy) => {
                    let i = m.policies.len();
                    namespace_mut(&mut m.namespaces, &policy.0).policies.push(i);
                    m.policies.push(*policy);
                }
                Found::Cni(policy) => {
                    let i = m.cni.len();
                    match &policy.namespace {
                        Some(k) => namespace_mut(&mut m.namespaces, k).cni.push(i),
                        None => m.cluster_cni.push(i),
                    }
                    m.cni.push(*policy);
                }
                Found::Pod(pod) => {
                    let i = m.pods.len();
                    namespace_mut(&mut m.namespaces, &pod.namespace)
                        .pods
                        .push(i);
                    m.pods.push(*pod);
                }
            }
        }
        for ns in m.namespaces.values_mut() {
            ns.index(&m.policies);
        }
        m
    }

    /// True when the scan set holds at least one NetworkPolicy or CNI-specific policy.
    pub fn has_policy_facts(&self) -> bool {
        !self.policies.is_empty() || !self.cni.is_empty()
    }
    /// Every namespace the scan set mentions, in name order.
    pub fn namespaces(&self) -> impl Iterator<Item = NamespaceView<'_>> {
        self.namespaces.iter().map(move |(key, ns)| NamespaceView {
            key,
            ns,
            model: self,
        })
    }
    /// One namespace, if the scan set mentions it.
    pub fn namespace<'a>(&'a self, key: &NsKey) -> Option<NamespaceView<'a>> {
        let (key, ns) = self.namespaces.get_key_value(key)?;
        Some(NamespaceView {
            key,
            ns,
            model: self,
        })
    }
    /// The secret-consumer predicate for the workload at (file, object).
    pub fn secret_consumer(&self, file: usize, object: usize) -> Option<&ConsumerReason> {
        self.consumers.of(file, object)
    }
    /// The secret-consumer index (synced Secrets, SecretProviderClasses).
    pub fn consumers(&self) -> &SecretConsumers {
        &self.consumers
    }
    /// The pod view of the workload at (file, object).
    pub fn pod(&self, file: usize, object: usize) -> Option<&Pod> {
        self.pods
            .iter()
            .find(|p| p.file == file && p.object == object)
    }
    pub fn policy(&self, i: usize) -> &NetworkPolicy {
        &self.policies[i].1
    }

    /// Which policies select the pod, for one direction.
    pub fn selection(&self, pod: &Pod, d: Direction) -> Selection {
        let mut s = Selection::default();
        let Some(ns) = self.namespaces.get(&pod.namespace) else {
            return s;
        };
        for &i in ns.candidates(pod.labels.as_ref()).iter() {
            let p = &self.policies[i].1;
            match (p.pod_selector.matches(pod.labels.as_ref()), p.affects(d)) {
                (Some(true), true) => s.isolating.push(i),
                (None, true) => s.maybe.push(i),
                (Some(true), false) => s.other_direction.push(i),
                _ => {}
            }
        }
        if d == Direction::Egress {
            for i in self.cni_in(ns) {
                let c = &self.cni[i];
                if c.egress
                    && c.selects(pod.labels.as_ref(), &pod.namespace, &ns.labels) != Some(false)
                {
                    s.cni.push(i);
                }
            }
        }
        s
    }

    /// Indexes into `cni` of the policies that can apply in namespace `ns` (an entry of
    /// `namespaces`): its own and the cluster-wide ones, in scan order. Every other CNI policy
    /// belongs to another namespace, so a pass over all of them per pod or per namespace
    /// would only skip it.
    fn cni_in(&self, ns: &Namespace) -> Vec<usize> {
        merge_ascending(&ns.cni, &self.cluster_cni)
    }
}

/// The entry of namespace `key`, added when missing. The key is copied only then: there are
/// a few namespaces against tens of thousands of objects that name one.
fn namespace_mut<'a>(
    namespaces: &'a mut BTreeMap<NsKey, Namespace>,
    key: &NsKey,
) -> &'a mut Namespace {
    if !namespaces.contains_key(key) {
        namespaces.insert(key.clone(), Namespace::default());
    }
    namespaces.get_mut(key).expect("inserted above")
}

/// The union of two ascending index lists, ascending.
fn merge_ascending(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The pod template's labels and where findings about the pod point.
fn pod_labels(
    f: &crate::model::file::ParsedFile,
    o: &K8sObject,
    w: &crate::model::k8s::Workload<'_>,
) -> (Option<Labels>, Span) {
    let metadata_entry = o.workload_template().and_then(|t| t.entry("metadata"));
    let labels_entry = w.pod_metadata.and_then(|m| m.entry("labels"));
    let anchor = labels_entry
        .map(|e| e.key.span)
        .or(metadata_entry.map(|e| e.key.span))
        .unwrap_or_else(|| o.kind_span());
    let templated = match (labels_entry, metadata_entry) {
        (Some(e), _) => namespace::templated(f, e.key.span),
        (None, Some(m)) => namespace::templated(f, m.key.span),
        (None, None) => namespace::in_template(f),
    };
    if templated {
        return (None, anchor);
    }
    (
        Some(selector::labels_of(labels_entry.map(|e| &e.value))),
        anchor,
    )
}

/// Pod labels of a Vault/OpenBao server (vault-helm / openbao-helm server pods:
/// `app.kubernetes.io/name: vault|openbao` with `component: server`).
pub fn is_vault_server_labels(labels: &Labels) -> bool {
    let name = labels.get("app.kubernetes.io/name").map(String::as_str);
    let component = labels
        .get("component")
        .or_else(|| labels.get("app.kubernetes.io/component"))
        .map(String::as_str);
    matches!(name, Some("vault" | "openbao")) && component == Some("server")
}

impl Pod {
    /// True for Vault/OpenBao server pods: by pod labels, or a StatefulSet the vault/openbao
    /// chart rendered (`helm.sh/chart: vault-<version>`) whose pod labels are not templated.
    pub fn is_vault_server(&self, inv: &Inventory) -> bool {
        let Some(labels) = &self.labels else {
            return false;
        };
        if is_vault_server_labels(labels) {
            return true;
        }
        let o = &inv.files[self.file].objects[self.object];
        o.kind == "StatefulSet"
            && o.get(&["metadata", "labels", "helm.sh/chart"])
                .and_then(Node::as_str)
                .is_some_and(|c| {
                    c.strip_prefix("vault-")
                        .or_else(|| c.strip_prefix("openbao-"))
                        .is_some_and(|v| v.starts_with(|ch: char| ch.is_ascii_digit()))
                })
    }
}

impl NetpolModel {
    /// A NetworkPolicy that would satisfy K8S013 for chart-deployed Vault server pods
    /// (`app.kubernetes.io/name: <chart>`, `component: server`, release-specific labels
    /// unknown): it isolates their ingress and no ingress rule admits every pod.
    pub fn vault_server_ingress_policy(&self, chart: &str) -> Option<&NetworkPolicy> {
        let labels: Labels = [("app.kubernetes.io/name", chart), ("component", "server")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        // Release-specific labels (instance, chart version, pod name) are not known offline:
        // requirements on them are taken as met.
        let release_specific = |k: &str| {
            matches!(
                k,
                "app.kubernetes.io/instance"
                    | "helm.sh/chart"
                    | "statefulset.kubernetes.io/pod-name"
                    | "controller-revision-hash"
                    | "apps.kubernetes.io/pod-index"
            )
        };
        self.policies.iter().map(|(_, p)| p).find(|p| {
            let selects = match &p.pod_selector {
                selector::Selector::Match(reqs) => reqs
                    .iter()
                    .filter(|r| !release_specific(&r.key))
                    .all(|r| r.matches(&labels)),
                selector::Selector::Unknown(_) => false,
            };
            selects && p.types.ingress && p.ingress.iter().all(|r| r.everything().is_none())
        })
    }
}

#[cfg(test)]
mod tests;
