//! ROL005 — Kubernetes auth role without `audience`: any ServiceAccount token of a bound
//! account is accepted, whatever it was minted for (the plugin warns for every such role).

use crate::model::inventory::Inventory;
use crate::model::vault_roles::RoleKind;
use crate::rules::{Context, Emitter, Rule};

pub struct K8sRoleWithoutAudience;

impl Rule for K8sRoleWithoutAudience {
    fn id(&self) -> &'static str {
        "ROL005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for role in inv.vault_roles().of_kind(RoleKind::Kubernetes) {
            let set = role
                .get("audience")
                .is_some_and(|f| f.text.as_deref().is_none_or(|t| !t.trim().is_empty()));
            if !set {
                out.report(
                    role.location(role.anchor),
                    format!("{} sets no audience: a ServiceAccount token minted for any other audience (another service's projected token) logs in too", role.display()),
                )
                .identity(format!("{}.audience", role.identity()));
            }
        }
    }
}
