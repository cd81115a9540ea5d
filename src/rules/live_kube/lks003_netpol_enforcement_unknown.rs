//! LKS003 — NetworkPolicy enforcement unknown (info): `kube-system` Pods were read and none
//! is the agent of a policy-enforcing CNI (cilium, calico-node, antrea-agent, kube-router,
//! weave-net, …; calico-node may also run in `calico-system`). Without one, NetworkPolicies
//! are accepted by the API but enforced by nobody, so the egress findings (K8S010–K8S014,
//! LKS001) may understate the exposure. A heuristic (RULES-SPEC §1(h) [U]): reported once,
//! on the `kube-system` Namespace object when it was read.

use super::{pods, PodSource};
use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::live::kube::detect_cni;
use crate::rules::{Context, Emitter, Rule};

pub struct NetpolEnforcementUnknown;

impl Rule for NetpolEnforcementUnknown {
    fn id(&self) -> &'static str {
        "LKS003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let all = pods(inv);
        let policies = inv
            .objects_of_kind(&["NetworkPolicy"])
            .filter(|o| o.api_group() == "networking.k8s.io")
            .count();
        let caveat = if policies == 0 {
            "NetworkPolicies would not be enforced".to_owned()
        } else {
            format!("the {policies} NetworkPolicies read may not be enforced, and egress findings assume they are")
        };
        if let Some(facts) = &inv.live.kube {
            if !facts.cni_checked || !facts.cni.is_empty() {
                return;
            }
            let ns = format!("k8s://{}/_cluster/Namespace/kube-system", facts.context);
            let at = inv.file(&ns).and_then(|f| f.objects.first()).map_or_else(
                || {
                    Location::new(
                        format!("k8s://{}", facts.context).into(),
                        Span::file_start(),
                    )
                },
                |o| o.location(o.kind_span()),
            );
            out.report(
                at,
                format!("no policy-enforcing CNI agent (cilium, calico-node, antrea, kube-router, weave-net, …) runs in kube-system of cluster {}: {caveat}", facts.context),
            )
            .identity(format!("{}/cni", facts.context));
            return;
        }
        // An offline cluster dump: judge it only when it holds kube-system Pods.
        let system: Vec<_> = all
            .iter()
            .filter(|(p, _)| p.namespace == "kube-system")
            .collect();
        let Some((_, PodSource::File(first))) = system.first() else {
            return;
        };
        let pods: Vec<_> = system.iter().map(|(p, _)| p.clone()).collect();
        if !detect_cni(&pods).is_empty() {
            return;
        }
        out.report(
            first.location(first.kind_span()),
            format!("none of the {} kube-system Pods scanned is a policy-enforcing CNI agent (cilium, calico-node, antrea, kube-router, weave-net, …): {caveat}", pods.len()),
        )
        .identity("kube-system/cni");
    }
}
