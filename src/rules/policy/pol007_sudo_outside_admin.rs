//! POL007 — `sudo` granted outside admin policies: any rule granting `sudo` (in
//! `capabilities` or through legacy `policy = "sudo"`) in a policy not listed in
//! `options: { POL007: { admin_policies: [NAME…] } }`. Reported at the `sudo` entry.

use super::{label, listed};
use crate::model::inventory::Inventory;
use crate::policy::Capability;
use crate::rules::{Context, Emitter, Rule};

pub struct SudoOutsideAdmin;

impl Rule for SudoOutsideAdmin {
    fn id(&self) -> &'static str {
        "POL007"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            if listed(cx, "POL007", "admin_policies", &sp.name) {
                continue;
            }
            for rule in sp.rules() {
                if rule.caps.is_deny() || !rule.caps.contains(Capability::Sudo) {
                    continue;
                }
                let span = rule
                    .capabilities
                    .iter()
                    .find(|(c, _)| *c == Capability::Sudo)
                    .map(|(_, s)| *s)
                    .or(rule.legacy_policy.as_ref().map(|(_, s)| *s))
                    .unwrap_or(rule.path_span);
                out.report(
                    sp.location(span),
                    format!(
                        "{} grants sudo (root-protected endpoints) in policy {:?}, which is not a configured admin policy",
                        label(rule),
                        sp.name
                    ),
                )
                .identity(format!("policy {}: path {}: sudo", sp.name, rule.raw_path));
            }
        }
    }
}
