//! ROL001 — Kubernetes auth role open to any namespace: `bound_service_account_namespaces`
//! contains `*` (Terraform `["*"]`, script `"*"` or an unquoted `*` — the same value for Vault,
//! plus a low warning that the shell may glob the unquoted one), a broad prefix/suffix glob
//! (`prod*` also matches `production-sandbox`), or an empty namespace selector (`{}` selects
//! every namespace). Critical when the names are `*` too (any pod of any namespace) or contain
//! `default`. A selector with labels is reported at info, with the selector.

use super::{is_glob, is_star, maybe_unquoted};
use crate::model::inventory::Inventory;
use crate::model::vault_roles::RoleKind;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct K8sRoleAnyNamespace;

impl Rule for K8sRoleAnyNamespace {
    fn id(&self) -> &'static str {
        "ROL001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for role in inv.vault_roles().of_kind(RoleKind::Kubernetes) {
            let names: Vec<String> = role
                .get("bound_service_account_names")
                .map(|f| f.items.iter().map(|i| i.text.clone()).collect())
                .unwrap_or_default();
            let any_name = names.iter().any(|n| is_star(n));
            let default_name = names.iter().any(|n| n == "default");
            let key = "bound_service_account_namespaces";
            let items = role.get(key).map(|f| f.items.clone()).unwrap_or_default();
            if let Some(star) = items.iter().find(|i| is_star(&i.text)) {
                let (sev, also) = if any_name {
                    (Severity::Critical, " and bound_service_account_names is `*` too: any pod in any namespace can log in")
                } else if default_name {
                    (Severity::Critical, " and bound_service_account_names includes `default`: every namespace's default ServiceAccount can log in")
                } else {
                    (Severity::High, "")
                };
                out.report(
                    role.location(star.span),
                    format!("{} binds {key} to `*`: a ServiceAccount with a matching name in any namespace — including ones anyone can create — gets this role's policies{also}", role.display()),
                )
                .severity(sev)
                .identity(format!("{}.{key}", role.identity()));
                maybe_unquoted(role, key, star, out);
                continue;
            }
            if let Some(g) = items.iter().find(|i| is_glob(&i.text)) {
                out.report(
                    role.location(g.span),
                    format!("{} binds {key} to the glob `{}`: it matches every namespace with that prefix or suffix, not just the intended one (`prod*` also matches `production-sandbox`)", role.display(), g.text),
                )
                .severity(Severity::High)
                .identity(format!("{}.{key}", role.identity()));
                maybe_unquoted(role, key, g, out);
                continue;
            }
            let sel_key = "bound_service_account_namespace_selector";
            if let Some(sel) = role.get(sel_key) {
                let text = sel.text.as_deref().unwrap_or("");
                let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                let empty = matches!(
                    compact.as_str(),
                    "{}" | "{\"matchLabels\":{}}" | "{\"matchExpressions\":[]}" | "jsonencode({})"
                );
                if empty {
                    out.report(
                        role.location(sel.span),
                        format!(
                            "{} sets an empty {sel_key}: an empty selector matches every namespace",
                            role.display()
                        ),
                    )
                    .severity(Severity::High)
                    .identity(format!("{}.{sel_key}", role.identity()));
                } else if !text.is_empty() {
                    out.report(
                        role.location(sel.span),
                        format!("{} admits namespaces by label selector `{text}`: whoever can label a namespace can reach this role", role.display()),
                    )
                    .severity(Severity::Info)
                    .identity(format!("{}.{sel_key}", role.identity()));
                }
            }
        }
    }
}
