//! POL009 — Glob not bounded by a segment: a trailing `*` not preceded by `/` is a plain
//! string prefix (`secret/data/app*` also matches `secret/data/application-admin/…`). Low,
//! medium with W capabilities. Not flagged when the block's line or the line above carries a
//! comment with `lint:allow-prefix`.

use super::{has_w, label, report_rule};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct UnboundedGlob;

impl Rule for UnboundedGlob {
    fn id(&self) -> &'static str {
        "POL009"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            let text = &inv.files[sp.file].text;
            let lines: Vec<&str> = text.lines().collect();
            for (ri, rule) in sp.rules().iter().enumerate() {
                let p = rule.raw_path.strip_prefix('/').unwrap_or(&rule.raw_path);
                let Some(base) = p.strip_suffix('*') else {
                    continue;
                };
                // `*` alone is POL001's; `…/*` is segment-bounded; `+*` is rejected (POL014).
                if base.is_empty() || base.ends_with('/') || base.ends_with('+') {
                    continue;
                }
                let line = rule.path_span.start.line as usize;
                let allowed = [line.checked_sub(2), line.checked_sub(1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|i| lines.get(i))
                    .any(|l| l.contains("lint:allow-prefix"));
                if allowed {
                    continue;
                }
                let sev = if has_w(rule.caps) {
                    Severity::Medium
                } else {
                    Severity::Low
                };
                let seg = base.rsplit('/').next().unwrap_or(base);
                report_rule(
                    sp,
                    ri,
                    format!(
                        "{}: the trailing `*` is a plain string prefix, not bounded by a segment — it also matches `{base}-anything/…` and other names starting with `{seg}`; use `{base}/*`",
                        label(rule)
                    ),
                    sev,
                    out,
                );
            }
        }
    }
}
