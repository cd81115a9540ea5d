//! POL012 — Deny shadowed by a more specific allow ("deny doesn't win"): a `deny` rule whose
//! pattern matches a path that the ACL hands to a *different* rule with non-deny capabilities
//! (an exact rule, a longer prefix, a higher-priority `+` rule). Vault merges capabilities only
//! across identical path strings; among different patterns only the highest-priority match
//! counts (§2.3). The probe paths are concrete instances of every rule of the policy, and the
//! question "which rule governs" is the ACL's.

use super::{caps_text, instances, label, rule_acl, rule_matches, show, unique};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct DenyShadowed;

impl Rule for DenyShadowed {
    fn id(&self) -> &'static str {
        "POL012"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            let Some(acl) = sp.acl.as_ref().filter(|a| !a.is_root()) else {
                continue;
            };
            let rules = sp.rules();
            let probes = unique(rules.iter().flat_map(instances));
            for deny in rules {
                if !deny.caps.is_deny() || deny.templated {
                    continue;
                }
                let own = rule_acl(deny);
                let shadow = probes
                    .iter()
                    .filter(|p| rule_matches(&own, p))
                    .find_map(|p| {
                        let entry = acl.entry(acl.decide(p, false).governing)?;
                        if entry.caps.is_deny() || entry.caps.is_empty() {
                            return None;
                        }
                        let &(_, ai) = entry.sources.first()?;
                        Some((p, ai, entry.caps))
                    });
                let Some((p, ai, caps)) = shadow else {
                    continue;
                };
                let allow = &rules[ai];
                out.report(
                    sp.location(deny.path_span),
                    format!(
                        "the deny of {} does not apply to `{}`: {} ({}) governs that path — Vault uses only the highest-priority matching rule, and deny wins only among rules with the identical path",
                        label(deny),
                        show(p),
                        label(allow),
                        caps_text(caps)
                    ),
                )
                .related(
                    sp.location(allow.path_span),
                    format!("{} wins for `{}`", label(allow), show(p)),
                )
                .identity(format!("policy {}: path {}: shadowed", sp.name, deny.raw_path));
            }
        }
    }
}
