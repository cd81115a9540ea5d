//! LKS001 — Namespace without any egress policy: the live counterpart of XSR001. A namespace
//! with running Pods (read by `--kube`) and no NetworkPolicy whose effective types include
//! Egress — regardless of its selector — nor a CNI policy governing egress there, lets every
//! Pod in it connect anywhere. Namespaces whose Pods all use the host network are skipped
//! (NetworkPolicies do not apply to them), as are the excluded system namespaces.

use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::live::kube::LivePod;
use crate::model::netpol::namespace::NsKey;
use crate::rules::netpol::excluded;
use crate::rules::{Context, Emitter, Rule, Severity};
use std::collections::BTreeMap;

pub struct NamespaceWithoutEgressPolicy;

impl Rule for NamespaceWithoutEgressPolicy {
    fn id(&self) -> &'static str {
        "LKS001"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let Some(facts) = &inv.live.kube else {
            return;
        };
        let mut by_ns: BTreeMap<&str, Vec<&LivePod>> = BTreeMap::new();
        for pod in facts.pods.iter().filter(|p| p.phase == "Running") {
            by_ns.entry(pod.namespace.as_str()).or_default().push(pod);
        }
        let model = inv.netpol();
        for (ns, pods) in by_ns {
            let key = NsKey::Known(ns.to_owned());
            if excluded(cx, self.id(), &key) || pods.iter().all(|p| p.host_network) {
                continue;
            }
            let covered = model
                .namespace(&key)
                .is_some_and(|v| v.has_egress_policy() || v.cni_egress().next().is_some())
                || model.cni.iter().any(|c| c.egress && c.namespace.is_none());
            if covered {
                continue;
            }
            let consumers = pods.iter().filter(|p| p.vault_injected).count()
                + model
                    .namespace(&key)
                    .map_or(0, |v| v.secret_consumers().count());
            let severity = if consumers > 0 {
                Severity::High
            } else {
                Severity::Medium
            };
            let path = format!("k8s://{}/_cluster/Namespace/{ns}", facts.context);
            let at = inv.file(&path).and_then(|f| f.objects.first()).map_or_else(
                || Location::new(path.clone().into(), Span::file_start()),
                |o| o.location(o.kind_span()),
            );
            let who = if consumers > 0 {
                format!(", {consumers} of them consuming Vault or synced secrets")
            } else {
                String::new()
            };
            out.report(
                at,
                format!(
                    "namespace `{ns}` runs {} Pod{}{who} and has no NetworkPolicy with Egress in its effective policyTypes: every Pod can connect anywhere",
                    pods.len(),
                    if pods.len() == 1 { "" } else { "s" },
                ),
            )
            .severity(severity)
            .identity(format!("{}/{ns}", facts.context));
        }
    }
}
