//! K8S014 — NetworkPolicy selects namespaces by a label that may not exist: a
//! `namespaceSelector` requirement (a `matchLabels` entry, or a `matchExpressions` `In`/
//! `Exists`) on a key other than `kubernetes.io/metadata.name` — which the API server sets on
//! every namespace — that no `Namespace` manifest of the scan set satisfies (offline: low).
//! Such a peer silently matches nothing (seed002's `namespaceSelector: {name: vault}`).

use super::{model, policy_display};
use crate::model::inventory::Inventory;
use crate::model::netpol::policy::{Direction, Peer};
use crate::model::netpol::selector::{Labels, Op, Requirement, Selector};
use crate::rules::{Context, Emitter, Rule};

pub struct NamespaceLabelMayNotExist;

const AUTOMATIC: &str = "kubernetes.io/metadata.name";

fn satisfied(r: &Requirement, namespaces: &[Labels]) -> bool {
    namespaces.iter().any(|l| {
        l.contains_key("*")
            || match r.op {
                Op::In => l.get(&r.key).is_some_and(|v| r.values.contains(v)),
                _ => l.contains_key(&r.key),
            }
    })
}

impl Rule for NamespaceLabelMayNotExist {
    fn id(&self) -> &'static str {
        "K8S014"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let m = model(inv);
        for (key, p) in &m.policies {
            let o = &inv.files[p.file].objects[p.object];
            for d in [Direction::Ingress, Direction::Egress] {
                for (ri, rule) in p.rules(d).iter().enumerate() {
                    for peer in rule.peers.iter().flatten() {
                        let Peer::Pods {
                            namespaces: Some(Selector::Match(reqs)),
                            pods,
                            ..
                        } = peer
                        else {
                            continue;
                        };
                        for r in reqs {
                            if r.key == AUTOMATIC
                                || !matches!(r.op, Op::In | Op::Exists)
                                || satisfied(r, &m.namespace_labels)
                            {
                                continue;
                            }
                            let injector = matches!(pods, Some(Selector::Match(p)) if p.iter().any(|q| q.key == "app.kubernetes.io/name" && q.values.iter().any(|v| v == "vault-agent-injector")));
                            let note = if injector {
                                " (note: its podSelector picks the vault-agent-injector webhook pods, not the Vault server)"
                            } else {
                                ""
                            };
                            let f = out.report(
                                o.location(r.span),
                                format!("{} selects namespaces by `{}`, which no Namespace in the scan set carries; only `{AUTOMATIC}` is set automatically, so this {} peer may match no namespace at all{note}", policy_display(inv, key, p), r.describe(), match d { Direction::Ingress => "ingress", Direction::Egress => "egress" }),
                            );
                            let dir = match d {
                                Direction::Ingress => "ingress",
                                Direction::Egress => "egress",
                            };
                            f.identity(format!(
                                "{}/spec/{dir}/{ri}/namespaceSelector/{}",
                                o.identity(),
                                r.key
                            ));
                        }
                    }
                }
            }
        }
    }
}
