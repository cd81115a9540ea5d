//! POL010 — Mount-wide grant on a secrets engine: a prefix rule whose prefix is a mount root
//! (`secret/*`, `database/*`). On a KV v2 mount `secret/*` covers `data/`, `metadata/` (where
//! delete destroys every version), `destroy/`, `undelete/` and `config`. High with W
//! capabilities, medium for read/list. `sys/`, `auth/`, `identity/` (other rules) and the
//! stock `cubbyhole/*` are not secrets engines here.

use super::{caps_text, has_any, has_w, label, report_rule};
use crate::model::inventory::Inventory;
use crate::policy::RuleKind;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct MountWideGrant;

const NOT_ENGINES: &[&str] = &["sys/", "auth/", "identity/", "cubbyhole/"];

impl Rule for MountWideGrant {
    fn id(&self) -> &'static str {
        "POL010"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            for (ri, rule) in sp.rules().iter().enumerate() {
                if rule.kind != RuleKind::Prefix || rule.templated || !has_any(rule.caps) {
                    continue;
                }
                let p = rule.path.as_str();
                let Some(mount) = p.strip_suffix('/') else {
                    continue;
                };
                if mount.is_empty() || mount.contains('/') || NOT_ENGINES.contains(&p) {
                    continue;
                }
                let sev = if has_w(rule.caps) {
                    Severity::High
                } else {
                    Severity::Medium
                };
                report_rule(
                    sp,
                    ri,
                    format!(
                        "{} grants {} on everything in the `{p}` mount (on KV v2 that includes `{p}data/`, `{p}metadata/`, `{p}destroy/` and `{p}config`); scope it to `{p}data/<team>/<app>/*`",
                        label(rule),
                        caps_text(rule.caps)
                    ),
                    sev,
                    out,
                );
            }
        }
    }
}
