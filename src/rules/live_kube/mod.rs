//! Live Kubernetes rules (RULES-SPEC §1(h)). They read Pods and cluster facts from the
//! `--kube` collector (`inv.live.kube`) and, for offline scans of a cluster dump
//! (`kubectl get pods -A -o yaml`), the same facts from Pod objects in the scanned files.

mod lks001_namespace_without_egress_policy;
mod lks002_injected_with_k8s_secrets;
mod lks003_netpol_enforcement_unknown;

use crate::engine::live_locations::is_live;
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::model::live::kube::LivePod;

pub fn rules() -> Vec<Box<dyn crate::rules::Rule>> {
    vec![
        Box::new(lks001_namespace_without_egress_policy::NamespaceWithoutEgressPolicy),
        Box::new(lks002_injected_with_k8s_secrets::InjectedWithK8sSecrets),
        Box::new(lks003_netpol_enforcement_unknown::NetpolEnforcementUnknown),
    ]
}

/// Where a Pod fact came from: a dump's Pod object, or the live collector.
pub(crate) enum PodSource<'a> {
    File(&'a K8sObject),
    Live,
}

/// Every Pod known: the collector's (all of them, controller-owned included) and Pod
/// objects of scanned files (live virtual files are already in the collector's list).
pub(crate) fn pods(inv: &Inventory) -> Vec<(LivePod, PodSource<'_>)> {
    let mut out: Vec<(LivePod, PodSource<'_>)> = inv
        .live
        .kube
        .iter()
        .flat_map(|k| k.pods.iter().cloned())
        .map(|p| (p, PodSource::Live))
        .collect();
    for o in inv.objects_of_kind(&["Pod"]).filter(|o| !is_live(&o.path)) {
        out.push((
            LivePod::from_node(o.root(), &o.namespace),
            PodSource::File(o),
        ));
    }
    out
}
