//! ROL003 — Long or unbounded token lifetime on an auth role. After alias normalisation
//! (`ttl` → `token_ttl`, …) the effective TTLs are resolved per RULES-SPEC §0.3: the role's
//! value (capped by the mount's max), else the auth mount's tune (a `vault_auth_backend`
//! `tune` block or `vault auth tune`/`enable -max-lease-ttl` in the scan set), else the
//! server's `default_lease_ttl`/`max_lease_ttl`, else 768h. `0` means inherit, not "none".
//! One finding per role, in this order: periodic without `token_explicit_max_ttl` (high —
//! renewable forever); effective max TTL above `max_ttl` (default 24h; high above 7 days);
//! effective TTL above `ttl` (default 4h). `token_explicit_max_ttl` at or under the max
//! threshold is a hard cap and silences the rule. Values Vault rejects (`7d12h`) are a low
//! finding. Options: `ROL003: { ttl: [4h], max_ttl: [24h] }`.

use super::{lifetimes, report_invalid, threshold};
use crate::duration::Duration;
use crate::model::inventory::Inventory;
use crate::model::vault_roles::DurValue;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct AuthRoleTokenLifetime;

impl Rule for AuthRoleTokenLifetime {
    fn id(&self) -> &'static str {
        "ROL003"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let ttl_thr = threshold(cx, "ROL003", "ttl", Duration::from_hours(4));
        let max_thr = threshold(cx, "ROL003", "max_ttl", Duration::from_hours(24));
        let week = Duration::from_hours(168);
        let set = inv.vault_roles();
        for role in set.roles.iter().filter(|r| r.kind.is_auth()) {
            let id = role.identity();
            let explicit_f = role.get("token_explicit_max_ttl");
            let explicit = match explicit_f.map(|f| (f, f.duration())) {
                Some((_, DurValue::Set(d))) => Some(d),
                Some((f, DurValue::Invalid(e))) => {
                    report_invalid(
                        &role.path,
                        &role.display(),
                        f,
                        &e,
                        format!("{id}.{}.invalid", f.key),
                        out,
                    );
                    None
                }
                _ => None,
            };
            if explicit.is_some_and(|x| x <= max_thr) {
                continue;
            }
            let period_f = role.get("token_period");
            match period_f.map(|f| (f, f.duration())) {
                Some((f, DurValue::Set(p))) if explicit.is_none() => {
                    out.report(
                        role.location(f.span),
                        format!("{} issues periodic tokens (`{}={p}`) without token_explicit_max_ttl: each renewal within {p} extends them, so a stolen token never expires", role.display(), f.key),
                    )
                    .severity(Severity::High)
                    .identity(format!("{id}.lifetime"));
                    continue;
                }
                Some((f, DurValue::Invalid(e))) => {
                    report_invalid(
                        &role.path,
                        &role.display(),
                        f,
                        &e,
                        format!("{id}.{}.invalid", f.key),
                        out,
                    );
                }
                _ => {}
            }
            let l = lifetimes(set, role, "token_ttl", "token_max_ttl", explicit, out);
            if let Some(m) = l.max.filter(|m| m.value > max_thr) {
                let at = role.get("token_max_ttl").map_or(role.anchor, |f| f.span);
                out.report(
                    role.location(at),
                    format!("{} tokens can be renewed for up to {} ({}), above the {max_thr} threshold: a leaked token stays usable that long", role.display(), m.value, m.chain),
                )
                .severity(if m.value > week { Severity::High } else { Severity::Medium })
                .identity(format!("{id}.lifetime"));
                continue;
            }
            if let Some(t) = l.ttl.filter(|t| t.value > ttl_thr) {
                let at = role.get("token_ttl").map_or(role.anchor, |f| f.span);
                out.report(
                    role.location(at),
                    format!("{} tokens live {} before the first renewal ({}), above the {ttl_thr} threshold", role.display(), t.value, t.chain),
                )
                .identity(format!("{id}.lifetime"));
            }
        }
    }
}
