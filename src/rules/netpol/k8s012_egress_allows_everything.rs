//! K8S012 — Egress rule that allows everything: in a policy whose effective types include
//! Egress, a rule whose destinations are everything — `to` absent or empty, an `ipBlock` of
//! `0.0.0.0/0` or `::/0` without `except`, or `namespaceSelector: {}` with no or an empty
//! `podSelector`. Medium when the rule has no `ports`, low when ports restrict it; rules whose
//! ports are all 53 (DNS) are fine. One finding per rule, at the rule.

use super::{model, policy_display};
use crate::model::inventory::Inventory;
use crate::model::netpol::policy::Direction;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct EgressAllowsEverything;

impl Rule for EgressAllowsEverything {
    fn id(&self) -> &'static str {
        "K8S012"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let m = model(inv);
        for (key, p) in m.policies.iter().filter(|(_, p)| p.types.egress) {
            let o = &inv.files[p.file].objects[p.object];
            for (i, rule) in p.egress.iter().enumerate() {
                if rule.dns_only() {
                    continue;
                }
                let Some(everything) = rule.everything() else {
                    continue;
                };
                let what = everything.describe(Direction::Egress);
                let ports = if rule.ports.is_empty() {
                    "on every port".to_owned()
                } else {
                    format!(
                        "on {}",
                        rule.ports
                            .iter()
                            .map(|x| x.describe())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let f = out.report(
                    o.location(rule.span),
                    format!(
                        "egress rule {} of {} {what}, {ports}",
                        i + 1,
                        policy_display(inv, key, p)
                    ),
                );
                if !rule.ports.is_empty() {
                    f.severity(Severity::Low);
                }
                f.identity(format!("{}/spec/egress/{i}", o.identity()));
            }
        }
    }
}
