//! POL016 — Templated path keyed on mutable identifiers: `identity.entity.name`,
//! `identity.groups.names.<name>.*` and alias `metadata`/`custom_metadata` keys can be
//! renamed or reused; template on IDs (`identity.entity.id`, `identity.groups.ids.<id>.name`,
//! alias `.id`). The stock default policy's `identity/entity/name/{{identity.entity.name}}`
//! is not flagged.

use super::pol014_rejected_policy::template_params as pol014_params;
use super::{label, report_rule};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct MutableTemplate;

fn mutable(param: &str) -> Option<&'static str> {
    let s: Vec<&str> = param.trim().split('.').collect();
    match s.as_slice() {
        ["identity", "entity", "name"] => Some("the entity name"),
        ["identity", "groups", "names", ..] => Some("a group name"),
        ["identity", "entity", "aliases", _, "metadata" | "custom_metadata", _] => {
            Some("alias metadata")
        }
        _ => None,
    }
}

impl Rule for MutableTemplate {
    fn id(&self) -> &'static str {
        "POL016"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            for (ri, rule) in sp.rules().iter().enumerate() {
                if !rule.templated
                    || rule.raw_path.trim_start_matches('/')
                        == "identity/entity/name/{{identity.entity.name}}"
                {
                    continue;
                }
                let Ok(params) = pol014_params(&rule.raw_path) else {
                    continue;
                };
                let Some((p, what)) = params.iter().find_map(|p| mutable(p).map(|w| (p, w))) else {
                    continue;
                };
                report_rule(
                    sp,
                    ri,
                    format!(
                        "{} is keyed on {what} (`{{{{{}}}}}`), which can be changed or reused so another identity gets this path; template on IDs instead",
                        label(rule),
                        p.trim()
                    ),
                    Severity::Low,
                    out,
                );
            }
        }
    }
}
