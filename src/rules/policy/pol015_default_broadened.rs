//! POL015 — `default` policy broadened: the policy named `default` (attached to every token
//! unless `no_default_policy`) grants a path outside the stock set (OpenBao 2.7.2's stock
//! `default`, read from a dev server, plus the paths Vault's stock policy adds).

use super::{caps_text, has_any, label, report_rule};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct DefaultBroadened;

/// Paths of the stock `default` policy (OpenBao 2.7.2 and Vault).
pub(crate) const STOCK: &[&str] = &[
    "auth/token/lookup-self",
    "auth/token/renew-self",
    "auth/token/revoke-self",
    "sys/capabilities-self",
    "identity/entity/id/{{identity.entity.id}}",
    "identity/entity/name/{{identity.entity.name}}",
    "sys/internal/ui/resultant-acl",
    "sys/leases/renew",
    "sys/leases/lookup",
    "sys/renew",
    "cubbyhole/*",
    "sys/wrapping/wrap",
    "sys/wrapping/lookup",
    "sys/wrapping/unwrap",
    "sys/wrapping/*",
    "sys/tools/hash",
    "sys/tools/hash/*",
    "sys/tools/hash*",
    "sys/control-group/request",
    "identity/oidc/provider/+/authorize",
    "sys/mfa/challenge",
];

impl Rule for DefaultBroadened {
    fn id(&self) -> &'static str {
        "POL015"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies().iter().filter(|p| p.name == "default") {
            for (ri, rule) in sp.rules().iter().enumerate() {
                let p = rule.raw_path.strip_prefix('/').unwrap_or(&rule.raw_path);
                if !has_any(rule.caps) || STOCK.contains(&p) {
                    continue;
                }
                report_rule(
                    sp,
                    ri,
                    format!(
                        "the `default` policy is attached to every token: {} ({}) is not part of the stock default policy; grant it through a dedicated policy",
                        label(rule),
                        caps_text(rule.caps)
                    ),
                    Severity::High,
                    out,
                );
            }
        }
    }
}
