//! K8S013 — Vault server pods reachable from every pod: Vault/OpenBao server pods (labels
//! `app.kubernetes.io/name: vault|openbao` + `component: server`, or a StatefulSet rendered by
//! the vault/openbao chart) that no NetworkPolicy isolating ingress selects (at the pod
//! template's labels); or an ingress rule of a policy selecting them that admits every pod —
//! `from` absent or empty, `namespaceSelector: {}` without a podSelector (the vault-helm
//! default), or an `ipBlock` of `0.0.0.0/0`/`::/0` without `except` (at the rule).

use super::{model, ns_phrase, policy_display, policy_location, who};
use crate::model::inventory::Inventory;
use crate::model::netpol::policy::Direction;
use crate::rules::{Context, Emitter, Rule};
use std::collections::HashSet;

pub struct VaultServerReachable;

impl Rule for VaultServerReachable {
    fn id(&self) -> &'static str {
        "K8S013"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let m = model(inv);
        let mut reported_rules = HashSet::new();
        for pod in m.pods.iter().filter(|p| p.is_vault_server(inv)) {
            let obj = &inv.files[pod.file].objects[pod.object];
            let sel = m.selection(pod, Direction::Ingress);
            if sel.open() {
                let f = out.report(
                    pod.anchor.clone(),
                    format!("{}: Vault server pods that no NetworkPolicy of {} isolates for ingress — every pod in the cluster can reach the Vault API", who(inv, pod), ns_phrase(&pod.namespace, pod.ns_origin)),
                );
                for &i in &sel.other_direction {
                    let (key, p) = &m.policies[i];
                    f.related(
                        policy_location(inv, p),
                        format!(
                            "{} selects these pods but isolates egress only",
                            policy_display(inv, key, p)
                        ),
                    );
                }
                f.identity(format!("{}/ingress", obj.identity()));
                continue;
            }
            for &i in &sel.isolating {
                let (key, p) = &m.policies[i];
                let po = &inv.files[p.file].objects[p.object];
                for (ri, rule) in p.ingress.iter().enumerate() {
                    let Some(everything) = rule.everything() else {
                        continue;
                    };
                    let (span, what) = (
                        everything.span(rule),
                        everything.describe(Direction::Ingress),
                    );
                    if !reported_rules.insert((i, ri)) {
                        continue;
                    }
                    let f = out.report(
                        po.location(span),
                        format!("ingress rule {} of {} {what}, so the Vault server pods it selects are reachable from every pod", ri + 1, policy_display(inv, key, p)),
                    );
                    f.related(
                        pod.anchor.clone(),
                        format!("{} runs the Vault server", who(inv, pod)),
                    );
                    f.identity(format!("{}/spec/ingress/{ri}", po.identity()));
                }
            }
        }
    }
}
