//! ROL002 — Kubernetes auth role open to any/default ServiceAccount:
//! `bound_service_account_names` contains `*` or a prefix/suffix glob (high), or `default`
//! (medium: every pod that does not name a ServiceAccount runs as `default`). Quoted `"*"` and
//! an unquoted shell `*` are the same value for Vault; the unquoted one also gets a low
//! warning that the shell may glob it.

use super::{is_glob, is_star, maybe_unquoted};
use crate::model::inventory::Inventory;
use crate::model::vault_roles::RoleKind;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct K8sRoleAnyServiceAccount;

impl Rule for K8sRoleAnyServiceAccount {
    fn id(&self) -> &'static str {
        "ROL002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let key = "bound_service_account_names";
        for role in inv.vault_roles().of_kind(RoleKind::Kubernetes) {
            let items = role.get(key).map(|f| f.items.clone()).unwrap_or_default();
            let id = format!("{}.{key}", role.identity());
            if let Some(star) = items.iter().find(|i| is_star(&i.text)) {
                out.report(
                    role.location(star.span),
                    format!("{} binds {key} to `*`: every ServiceAccount of the bound namespaces gets this role's policies", role.display()),
                )
                .severity(Severity::High)
                .identity(id);
                maybe_unquoted(role, key, star, out);
            } else if let Some(g) = items.iter().find(|i| is_glob(&i.text)) {
                out.report(
                    role.location(g.span),
                    format!("{} binds {key} to the glob `{}`: any ServiceAccount whose name matches it gets this role's policies", role.display(), g.text),
                )
                .severity(Severity::High)
                .identity(id);
                maybe_unquoted(role, key, g, out);
            } else if let Some(d) = items.iter().find(|i| i.text == "default") {
                out.report(
                    role.location(d.span),
                    format!("{} binds the `default` ServiceAccount: every pod that does not set serviceAccountName runs as it and gets this role's policies", role.display()),
                )
                .severity(Severity::Medium)
                .identity(id);
            }
        }
    }
}
