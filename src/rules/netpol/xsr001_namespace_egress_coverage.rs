//! XSR001 — Namespace egress coverage: a namespace that runs workloads has no NetworkPolicy
//! whose effective types include Egress in *any* file of the scan set, so every pod in it may
//! connect anywhere. The per-namespace fact behind K8S010 (and the offline counterpart of
//! live LKS001), reported once per namespace: at the `Namespace` manifest when the scan set
//! has one, else at the first workload's pod-template labels, with every workload (and any
//! ingress-only policy) as related locations. High when a workload is a secret consumer,
//! else medium; info when CNI-specific policies govern egress there (not evaluated). Silent
//! when the scan set holds no NetworkPolicy or CNI policy at all.

use super::{excluded, model, policy_display, policy_location, who};
use crate::model::inventory::Inventory;
use crate::model::netpol::namespace::NsKey;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct NamespaceEgressCoverage;

/// Related locations listed per finding, at most.
const MAX_RELATED: usize = 20;

impl Rule for NamespaceEgressCoverage {
    fn id(&self) -> &'static str {
        "XSR001"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let m = model(inv);
        // A scan set without a single NetworkPolicy or CNI policy says nothing about the
        // network layer (policies applied from elsewhere, one file scanned on its own): the
        // namespace-level verdict needs policy facts in scope (live LKS001 sees them all).
        if !m.has_policy_facts() {
            return;
        }
        for ns in m.namespaces() {
            if excluded(cx, "XSR001", ns.key) || ns.has_egress_policy() {
                continue;
            }
            let pods: Vec<_> = ns.pods().filter(|p| !p.host_network).collect();
            let Some(first) = pods.first() else { continue };
            let consumers: Vec<_> = ns
                .secret_consumers()
                .filter(|(p, _)| !p.host_network)
                .collect();
            let files: std::collections::BTreeSet<_> = pods
                .iter()
                .map(|p| &inv.files[p.file].path)
                .chain(
                    ns.ns
                        .policies
                        .iter()
                        .map(|&i| &inv.files[m.policy(i).file].path),
                )
                .collect();
            let name = match ns.key {
                NsKey::Known(n) => format!("Namespace `{n}`"),
                NsKey::Unknown(scope) => format!("The {scope}"),
            };
            let mut message = format!(
                "{name} has no NetworkPolicy that governs egress in any of the {} scanned file{} that place objects there: its {} workload{} can open connections anywhere, Vault included",
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                pods.len(),
                if pods.len() == 1 { "" } else { "s" },
            );
            if !consumers.is_empty() {
                message.push_str(&format!(
                    "; {} of them consume{} secrets ({})",
                    consumers.len(),
                    if consumers.len() == 1 { "s" } else { "" },
                    consumers
                        .iter()
                        .take(3)
                        .map(|(p, r)| format!("{}: {}", who(inv, p), r.describe()))
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            let cni: Vec<_> = ns.cni_egress().collect();
            if let Some(c) = cni.first() {
                message.push_str(&format!(
                    "; egress is governed by {} {}, a CNI-specific policy sealant does not evaluate",
                    c.kind, c.name
                ));
            }
            let location = match ns.ns.object {
                Some((fi, oi)) => {
                    let o = &inv.files[fi].objects[oi];
                    let span = o
                        .get(&["metadata", "name"])
                        .map_or_else(|| o.kind_span(), |n| n.span);
                    o.location(span)
                }
                None => first.anchor.clone(),
            };
            let f = out.report(location, message);
            f.severity(if !cni.is_empty() {
                Severity::Info
            } else if consumers.is_empty() {
                Severity::Medium
            } else {
                Severity::High
            });
            for p in pods.iter().take(MAX_RELATED) {
                let reason = m
                    .secret_consumer(p.file, p.object)
                    .map_or(String::new(), |r| {
                        format!(" (secret consumer: {})", r.describe())
                    });
                f.related(
                    p.anchor.clone(),
                    format!("{} runs here, egress unrestricted{reason}", who(inv, p)),
                );
            }
            for &i in &ns.ns.policies {
                let (key, p) = &m.policies[i];
                f.related(
                    policy_location(inv, p),
                    format!("{} isolates ingress only", policy_display(inv, key, p)),
                );
            }
            f.identity(format!("namespace/{}/egress", ns.key));
        }
    }
}
