//! POL001 — Root-equivalent wildcard: a rule whose pattern matches request paths on every
//! mount (`*`, `+/*`, `+`, `+/+/*`, …) with any non-deny capability. Policies named in
//! `options: { POL001: { break_glass: [NAME…] } }` are not flagged.

use super::{caps_text, has_any, label, listed, report_rule, RootEquivalence};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct RootEquivalentWildcard;

impl Rule for RootEquivalentWildcard {
    fn id(&self) -> &'static str {
        "POL001"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let mut root_equivalent = RootEquivalence::default();
        for sp in inv.policies() {
            if listed(cx, "POL001", "break_glass", &sp.name) {
                continue;
            }
            for (ri, rule) in sp.rules().iter().enumerate() {
                if !has_any(rule.caps) || !root_equivalent.of(rule) {
                    continue;
                }
                report_rule(
                    sp,
                    ri,
                    format!(
                        "{} grants {} on every mount (sys/, auth/, every secrets engine): policy {:?} is root-equivalent",
                        label(rule),
                        caps_text(rule.caps),
                        sp.name
                    ),
                    Severity::Critical,
                    out,
                );
            }
        }
    }
}
