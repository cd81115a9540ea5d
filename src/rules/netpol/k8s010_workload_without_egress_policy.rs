//! K8S010 — Workload has no egress restriction: its namespace has NetworkPolicies that govern
//! egress (across every file of the scan set), but none of them selects the workload's pods,
//! so they may connect anywhere — Vault included. High for secret consumers, medium
//! otherwise. A namespace with no egress policy at all is XSR001's (one fact, reported once).
//! Pods selected by a Cilium/Calico/AdminNetworkPolicy that governs egress are reported at
//! info ("governed by a CNI-specific policy, not evaluated"); `hostNetwork` pods at info
//! (NetworkPolicy does not apply to them).

use super::{excluded, model, ns_phrase, policy_display, policy_location, who};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::netpol::policy::Direction;
use crate::model::netpol::NamespaceView;
use crate::rules::{Context, Emitter, Rule, Severity};
use std::sync::Arc;

pub struct WorkloadWithoutEgressPolicy;

impl Rule for WorkloadWithoutEgressPolicy {
    fn id(&self) -> &'static str {
        "K8S010"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let m = model(inv);
        for ns in m.namespaces() {
            if excluded(cx, "K8S010", ns.key) || !ns.has_egress_policy() {
                continue;
            }
            // The same for every pod of the namespace: built once, for its first finding.
            let mut governing = None;
            for pod in ns.pods() {
                let obj = &inv.files[pod.file].objects[pod.object];
                if pod.host_network {
                    let f = out.report(
                        pod.anchor.clone(),
                        format!("{} runs with hostNetwork: true; NetworkPolicy generally does not apply to host-network pods, so the namespace's egress policies do not restrict it (CNI-dependent)", who(inv, pod)),
                    );
                    f.severity(Severity::Info)
                        .identity(format!("{}/egress/hostNetwork", obj.identity()));
                    continue;
                }
                let sel = m.selection(pod, Direction::Egress);
                if !sel.open() {
                    continue;
                }
                // Only for pods reported: most pods of a namespace are selected.
                let consumer = m.secret_consumer(pod.file, pod.object);
                let whom = who(inv, pod);
                let what = match consumer {
                    Some(r) => format!(" It is a secret consumer ({}).", r.describe()),
                    None => String::new(),
                };
                let f = if let Some(&c) = sel.cni.first() {
                    let c = &m.cni[c];
                    let f = out.report(
                        pod.anchor.clone(),
                        format!("{whom}: no NetworkPolicy of {} selects these pods for egress; egress is governed by {} {}, a CNI-specific policy sealant does not evaluate", ns_phrase(&pod.namespace, pod.ns_origin), c.kind, c.name),
                    );
                    f.severity(Severity::Info);
                    let co = &inv.files[c.file].objects[c.object];
                    f.related(
                        co.location(co.kind_span()),
                        format!("{} {} governs egress", c.kind, c.name),
                    );
                    f
                } else {
                    let f = out.report(
                        pod.anchor.clone(),
                        format!("{whom} is selected by none of the egress NetworkPolicies of {}: its pods can open connections anywhere, Vault included.{what}", ns_phrase(&pod.namespace, pod.ns_origin)),
                    );
                    f.severity(if consumer.is_some() {
                        Severity::High
                    } else {
                        Severity::Medium
                    });
                    f
                };
                let governing = governing.get_or_insert_with(|| governing_policies(inv, &ns));
                // Sized once: every finding of a namespace carries the same few related places.
                f.related
                    .reserve_exact(sel.other_direction.len() + governing.len());
                for &i in &sel.other_direction {
                    let (key, p) = &m.policies[i];
                    f.related(
                        policy_location(inv, p),
                        format!("{} selects these pods but isolates ingress only (effective policyTypes [Ingress])", policy_display(inv, key, p)),
                    );
                }
                for (at, message) in governing.iter() {
                    f.related(at.clone(), message.clone());
                }
                f.identity(format!("{}/egress", obj.identity()));
            }
        }
    }
}

/// The related locations naming the namespace's egress policies (the first five), which
/// every finding of the namespace carries.
fn governing_policies(inv: &Inventory, ns: &NamespaceView<'_>) -> Vec<(Location, Arc<str>)> {
    ns.egress_policies()
        .take(5)
        .map(|p| {
            (
                policy_location(inv, p),
                format!(
                    "{} governs egress for pods matching {}, not these",
                    policy_display(inv, ns.key, p),
                    p.pod_selector.describe()
                )
                .into(),
            )
        })
        .collect()
}
