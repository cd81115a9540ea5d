//! K8S011 — "Deny-egress" policy that does not affect egress: (a) a NetworkPolicy without
//! `policyTypes` and without egress rules (no `egress`, or `egress: []`) — so the API server
//! defaults its types to [Ingress] — whose name or annotations signal egress intent (they
//! contain `egress`, or `deny` without `ingress`); (b) a policy with egress rules whose
//! explicit `policyTypes` omits Egress (the rules are ignored).

use super::{model, policy_display};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct DenyEgressWithoutEgressType;

impl Rule for DenyEgressWithoutEgressType {
    fn id(&self) -> &'static str {
        "K8S011"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let m = model(inv);
        for (key, p) in &m.policies {
            let o = &inv.files[p.file].objects[p.object];
            let display = policy_display(inv, key, p);
            if let Some(types) = p.policy_types {
                if !p.types.egress && !p.egress.is_empty() {
                    let f = out.report(
                        o.location(types),
                        format!("{display} has {} egress rule{} but its policyTypes does not list Egress: the API server ignores them and the selected pods' egress is not isolated", p.egress.len(), if p.egress.len() == 1 { "" } else { "s" }),
                    );
                    if let Some(e) = p.egress_key {
                        f.related(o.location(e), "these egress rules are ignored");
                    }
                    f.identity(format!("{}/spec/policyTypes", o.identity()));
                }
                continue;
            }
            if !p.egress.is_empty() || p.types.egress {
                continue;
            }
            let mut intent = p.name.to_ascii_lowercase();
            for (_, e) in o
                .get(&["metadata", "annotations"])
                .into_iter()
                .flat_map(Node::entries)
            {
                intent.push(' ');
                intent.push_str(&e.value.as_str().unwrap_or("").to_ascii_lowercase());
            }
            let signals =
                intent.contains("egress") || intent.contains("deny") && !intent.contains("ingress");
            if !signals {
                continue;
            }
            let span = p
                .egress_key
                .or_else(|| o.root().entry("spec").map(|e| e.key.span))
                .unwrap_or_else(|| o.kind_span());
            let f = out.report(
                o.location(span),
                format!("{display} reads as an egress deny, but it has no policyTypes and no egress rules, so its effective policyTypes is [Ingress]: the selected pods' egress is not restricted at all"),
            );
            if let Some(n) = o.get(&["metadata", "name"]) {
                f.related(o.location(n.span), "the name signals egress intent");
            }
            f.identity(format!("{}/spec/policyTypes", o.identity()));
        }
    }
}
