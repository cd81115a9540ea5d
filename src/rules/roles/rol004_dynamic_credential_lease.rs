//! ROL004 — Long dynamic-credential lease on a secrets-engine role: database roles
//! (`vault_database_secret_backend_role`, `vault write <db-mount>/roles/<n>`) whose effective
//! `max_ttl` exceeds `max_ttl` (default 24h) or effective `default_ttl` exceeds `default_ttl`
//! (default 1h). Unset or `0` inherits the secrets mount's tune (`vault_mount`
//! `*_lease_ttl_seconds`, `vault secrets tune`), then the server, then 768h (§0.3); the
//! default TTL is capped by the effective max. AWS roles are judged only on explicit
//! `default_sts_ttl`/`max_sts_ttl` (their unset behaviour is not verified [U]). One finding
//! per role; values Vault rejects are a low finding.

use super::{lifetimes, threshold};
use crate::duration::Duration;
use crate::model::inventory::Inventory;
use crate::model::vault_roles::{DurValue, RoleKind};
use crate::rules::{Context, Emitter, Rule};

pub struct DynamicCredentialLease;

impl Rule for DynamicCredentialLease {
    fn id(&self) -> &'static str {
        "ROL004"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let def_thr = threshold(cx, "ROL004", "default_ttl", Duration::from_hours(1));
        let max_thr = threshold(cx, "ROL004", "max_ttl", Duration::from_hours(24));
        let set = inv.vault_roles();
        for role in &set.roles {
            let id = format!("{}.lease", role.identity());
            match role.kind {
                RoleKind::Database => {
                    let l = lifetimes(set, role, "default_ttl", "max_ttl", None, out);
                    if let Some(m) = l.max.filter(|m| m.value > max_thr) {
                        let at = role.get("max_ttl").map_or(role.anchor, |f| f.span);
                        out.report(
                            role.location(at),
                            format!("{} credentials can be renewed for up to {} ({}), above the {max_thr} threshold: a leaked database login stays valid that long", role.display(), m.value, m.chain),
                        )
                        .identity(id);
                    } else if let Some(t) = l.ttl.filter(|t| t.value > def_thr) {
                        let at = role.get("default_ttl").map_or(role.anchor, |f| f.span);
                        out.report(
                            role.location(at),
                            format!("{} credentials are leased for {} ({}), above the {def_thr} threshold", role.display(), t.value, t.chain),
                        )
                        .identity(id);
                    }
                }
                RoleKind::Aws => {
                    for (key, thr) in [("max_sts_ttl", max_thr), ("default_sts_ttl", def_thr)] {
                        let Some(f) = role.get(key) else { continue };
                        if let DurValue::Set(d) = f.duration() {
                            if d > thr {
                                out.report(
                                    role.location(f.span),
                                    format!("{} issues STS credentials for up to {d} (`{key}`), above the {thr} threshold", role.display()),
                                )
                                .identity(format!("{id}.{key}"));
                                break;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
