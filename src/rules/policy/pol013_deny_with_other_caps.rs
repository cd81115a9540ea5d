//! POL013 — `deny` combined with other capabilities in one block: Vault keeps only the deny
//! and ignores the rest of the block. Reported at the `deny` entry.

use super::rules_with_blocks;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::hcl::Expr;

pub struct DenyWithOtherCaps;

impl Rule for DenyWithOtherCaps {
    fn id(&self) -> &'static str {
        "POL013"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            for (rule, block) in rules_with_blocks(inv, sp) {
                // A block that says `deny` parsed to a deny-only rule (deny ends the list, and
                // a legacy `policy = "deny"` replaces it): the rest never say deny, and their
                // attributes need not be read.
                if !rule.caps.is_deny() {
                    continue;
                }
                let caps: Vec<(&str, crate::location::Span)> =
                    match block.body.attr("capabilities").map(|a| &a.value) {
                        Some(Expr::Array(items)) => items
                            .iter()
                            .filter_map(|(e, s)| e.as_str().map(|t| (t, *s)))
                            .collect(),
                        _ => Vec::new(),
                    };
                let legacy = block
                    .body
                    .attr("policy")
                    .and_then(|a| a.value.as_str().map(|v| (v, a.value_span)));
                let deny_at = caps
                    .iter()
                    .find(|(c, _)| *c == "deny")
                    .map(|(_, s)| *s)
                    .or(legacy.filter(|(v, _)| *v == "deny").map(|(_, s)| s));
                let others: Vec<&str> = caps
                    .iter()
                    .map(|(c, _)| *c)
                    .chain(legacy.map(|(v, _)| v))
                    .filter(|c| *c != "deny")
                    .collect();
                let Some(at) = deny_at else { continue };
                if others.is_empty() {
                    continue;
                }
                out.report(
                    sp.location(at),
                    format!(
                        "path {:?} combines deny with {}: Vault keeps only the deny and ignores the rest of the block; split it into separate blocks",
                        rule.raw_path,
                        others.join(", ")
                    ),
                )
                .identity(format!("policy {}: path {}: deny+", sp.name, rule.raw_path));
            }
        }
    }
}
