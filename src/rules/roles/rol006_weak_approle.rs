//! ROL006 — Weak AppRole configuration: `bind_secret_id = false` (high: the role ID, which is
//! not a secret, is enough to log in); else `secret_id_ttl` unset or `0` (medium: secret IDs
//! never expire) and `secret_id_num_uses` unset or `0` (low: unlimited uses), each its own
//! fact. `secret_id_ttl` is a Vault duration (integer seconds in Terraform).

use super::report_invalid;
use crate::model::inventory::Inventory;
use crate::model::vault_roles::{DurValue, RoleKind};
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct WeakAppRole;

impl Rule for WeakAppRole {
    fn id(&self) -> &'static str {
        "ROL006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for role in inv.vault_roles().of_kind(RoleKind::AppRole) {
            let id = role.identity();
            if let Some(f) = role
                .get("bind_secret_id")
                .filter(|f| f.bool() == Some(false))
            {
                out.report(
                    role.location(f.span),
                    format!("{} sets bind_secret_id=false: the role ID alone logs in, and role IDs are not secrets", role.display()),
                )
                .severity(Severity::High)
                .identity(format!("{id}.bind_secret_id"));
                continue;
            }
            let ttl = role.get("secret_id_ttl");
            let endless = match ttl.map(|f| (f, f.duration())) {
                None | Some((_, DurValue::Inherit)) => true,
                Some((f, DurValue::Invalid(e))) => {
                    report_invalid(
                        &role.path,
                        &role.display(),
                        f,
                        &e,
                        format!("{id}.secret_id_ttl.invalid"),
                        out,
                    );
                    false
                }
                _ => false,
            };
            if endless {
                out.report(
                    role.location(ttl.map_or(role.anchor, |f| f.span)),
                    format!("{} secret IDs never expire (secret_id_ttl {}): a leaked secret ID works until someone revokes it", role.display(), if ttl.is_some() { "is 0" } else { "unset" }),
                )
                .severity(Severity::Medium)
                .identity(format!("{id}.secret_id_ttl"));
            }
            let uses = role.get("secret_id_num_uses");
            let unlimited = uses.is_none_or(|f| f.text.as_deref().is_some_and(|t| t.trim() == "0"));
            if unlimited {
                out.report(
                    role.location(uses.map_or(role.anchor, |f| f.span)),
                    format!("{} secret IDs can be used without limit (secret_id_num_uses {}): use 1 and deliver a fresh one each time", role.display(), if uses.is_some() { "is 0" } else { "unset" }),
                )
                .severity(Severity::Low)
                .identity(format!("{id}.secret_id_num_uses"));
            }
        }
    }
}
