//! Network isolation rules (RULES-SPEC §1(a) K8S010–K8S014, §3 XSR001) over the isolation
//! model (`model::netpol`): what the API server and the CNI would enforce, per namespace and
//! across files.
//!
//! Which rule owns which fact (§0.7): a namespace with *no* NetworkPolicy governing egress is
//! one fact about the namespace — XSR001 reports it once (with every workload as a related
//! location); K8S010 reports a workload only where its namespace has egress policies and none
//! of them selects it (a selector gap). A policy that selects a pod but allows everything is
//! K8S012's (at the rule), never K8S010's.

mod k8s010_workload_without_egress_policy;
mod k8s011_deny_egress_without_egress_type;
mod k8s012_egress_allows_everything;
mod k8s013_vault_server_reachable;
mod k8s014_namespace_label_may_not_exist;
mod xsr001_namespace_egress_coverage;

use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::netpol::namespace::NsKey;
use crate::model::netpol::policy::NetworkPolicy;
use crate::model::netpol::{NetpolModel, Pod};
use crate::rules::{Context, Rule};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(k8s010_workload_without_egress_policy::WorkloadWithoutEgressPolicy),
        Box::new(k8s011_deny_egress_without_egress_type::DenyEgressWithoutEgressType),
        Box::new(k8s012_egress_allows_everything::EgressAllowsEverything),
        Box::new(k8s013_vault_server_reachable::VaultServerReachable),
        Box::new(k8s014_namespace_label_may_not_exist::NamespaceLabelMayNotExist),
        Box::new(xsr001_namespace_egress_coverage::NamespaceEgressCoverage),
    ]
}

/// Namespaces skipped unless the rule's `exclude_namespaces` option says otherwise.
const DEFAULT_EXCLUDED: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];

/// True when the rule's `exclude_namespaces` option (default: kube-system, kube-public,
/// kube-node-lease) lists the namespace.
pub fn excluded(cx: &Context, rule: &str, ns: &NsKey) -> bool {
    let Some(name) = ns.name() else { return false };
    match cx.config.option(rule, "exclude_namespaces") {
        Some(list) => list.iter().any(|n| n == name),
        None => DEFAULT_EXCLUDED.contains(&name),
    }
}

/// `Deployment prod/api`, saying where an unknown namespace comes from.
pub fn who(inv: &Inventory, pod: &Pod) -> String {
    let o = &inv.files[pod.file].objects[pod.object];
    format!("{} {}/{}", o.kind, pod.namespace, o.name)
}

/// "namespace `prod` (from metadata.namespace)".
pub fn ns_phrase(key: &NsKey, origin: crate::model::netpol::namespace::NsOrigin) -> String {
    match key {
        NsKey::Known(n) => format!("namespace `{n}` ({})", origin.describe()),
        NsKey::Unknown(scope) => format!("the {scope} ({})", origin.describe()),
    }
}

/// Where a policy is (its `metadata.name`, else its `kind`), for related locations.
pub fn policy_location(inv: &Inventory, p: &NetworkPolicy) -> Location {
    let o = &inv.files[p.file].objects[p.object];
    let span = o
        .get(&["metadata", "name"])
        .map_or_else(|| o.kind_span(), |n| n.span);
    o.location(span)
}

/// `NetworkPolicy prod/default-deny` (the model's namespace, which knows Helm releases).
pub fn policy_display(inv: &Inventory, ns: &NsKey, p: &NetworkPolicy) -> String {
    format!(
        "{} {ns}/{}",
        inv.files[p.file].objects[p.object].kind, p.name
    )
}

/// The model (shorthand).
pub fn model(inv: &Inventory) -> &NetpolModel {
    inv.netpol()
}
