//! POL008 — Interior `*` is a literal: only a trailing `*` is a glob; `secret/*/config`
//! matches only a key literally named `*`. High when the block denies (the intended deny never
//! matches) or grants W capabilities, medium otherwise.

use super::{has_w, label, report_rule};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct InteriorStarLiteral;

impl Rule for InteriorStarLiteral {
    fn id(&self) -> &'static str {
        "POL008"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            for (ri, rule) in sp.rules().iter().enumerate() {
                let p = rule.raw_path.strip_prefix('/').unwrap_or(&rule.raw_path);
                let interior = p.strip_suffix('*').unwrap_or(p).contains('*');
                if !interior {
                    continue;
                }
                let (sev, effect) = if rule.caps.is_deny() {
                    (Severity::High, "the intended deny never matches")
                } else if has_w(rule.caps) {
                    (
                        Severity::High,
                        "the grant matches only a key literally named `*`",
                    )
                } else {
                    (
                        Severity::Medium,
                        "the grant matches only a key literally named `*`",
                    )
                };
                let fixed: String = p
                    .split('/')
                    .map(|s| if s == "*" { "+" } else { s })
                    .collect::<Vec<_>>()
                    .join("/");
                report_rule(
                    sp,
                    ri,
                    format!(
                        "{}: a `*` that is not the last character is a literal, not a glob — {effect}; use `+` for one segment (`{fixed}`)",
                        label(rule)
                    ),
                    sev,
                    out,
                );
            }
        }
    }
}
