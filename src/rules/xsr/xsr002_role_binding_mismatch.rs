//! XSR002 — Injector/VSO/ESO role ↔ Vault role binding mismatch (RULES-SPEC §3). Every
//! Kubernetes-auth login the scan set declares (injected agents, VSO `VaultAuth`, ESO stores)
//! is checked against the role it names on its auth mount: the ServiceAccount must match
//! `bound_service_account_names` and its namespace `bound_service_account_namespaces`, as
//! the plugin matches them at login (`*` alone binds everything, otherwise
//! `StrListContainsGlob`: `prefix*`, `*suffix`, `*infix*`). A mismatch is low (the login
//! fails — "Pod stuck in Init"); a login that succeeds only through `*` or a glob is high
//! (it works because the role is over-broad, ROL001/ROL002). A role the scan set does not
//! define is info, and only when the scan set defines Kubernetes roles at all (otherwise
//! there is nothing to compare with).

use super::{logins, AuthRoles};
use crate::model::inventory::Inventory;
use crate::model::vault_roles::{Field, RoleKind};
use crate::rules::{Context, Emitter, Rule, Severity};
use std::collections::BTreeMap;

pub struct RoleBindingMismatch;

/// How many role names a "not defined" message lists at most.
const NEAREST: usize = 6;

/// The names around where `wanted` would sort in `sorted` (names sharing its longest prefix
/// sit next to it), at most [`NEAREST`].
fn nearest<'a>(sorted: &[&'a str], wanted: &str) -> Vec<&'a str> {
    let at = sorted.partition_point(|n| *n < wanted);
    let from = at
        .saturating_sub(NEAREST / 2)
        .min(sorted.len().saturating_sub(NEAREST));
    sorted[from..(from + NEAREST).min(sorted.len())].to_vec()
}

/// How a value matched a bound list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    Exact,
    /// Through `*` or a glob.
    Broad,
    No,
}

/// go-secure-stdlib `strutil.GlobbedStringsMatch`.
fn globbed(item: &str, val: &str) -> bool {
    if item.len() < 2 {
        return val == item;
    }
    let (pre, suf) = (item.starts_with('*'), item.ends_with('*'));
    match (pre, suf) {
        (true, true) => val.contains(&item[1..item.len() - 1]),
        (true, false) => val.ends_with(&item[1..]),
        (false, true) => val.starts_with(&item[..item.len() - 1]),
        (false, false) => val == item,
    }
}

/// The Kubernetes auth plugin's check of one bound list (`path_login.go`).
fn matches(items: &[&str], val: &str) -> Match {
    if items.len() == 1 && items[0] == "*" {
        return Match::Broad;
    }
    if items.contains(&val) {
        return Match::Exact;
    }
    if items.iter().any(|i| globbed(i, val)) {
        return Match::Broad;
    }
    Match::No
}

fn list(f: Option<&Field>) -> Option<Vec<&str>> {
    let f = f?;
    if f.items.is_empty() {
        return None;
    }
    Some(f.items.iter().map(|i| i.text.as_str()).collect())
}

impl Rule for RoleBindingMismatch {
    fn id(&self) -> &'static str {
        "XSR002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let any_k8s_roles = inv
            .vault_roles()
            .of_kind(RoleKind::Kubernetes)
            .next()
            .is_some();
        let roles = AuthRoles::new(inv);
        // Role names per auth mount, sorted once: a message names the few nearest to the
        // missing one (a typo's neighbours), never every role — with thousands of logins and
        // roles that listing made the report quadratic in size.
        let mut known: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for r in inv.vault_roles().roles.iter().filter(|r| r.kind.is_auth()) {
            known.entry(&r.mount).or_default().push(&r.name);
        }
        for names in known.values_mut() {
            names.sort_unstable();
            names.dedup();
        }
        for l in logins(inv) {
            // Built only for a finding: most logins have none.
            let id = || format!("{}/login/{}/{}", l.object.identity(), l.mount, l.role);
            let Some(role) = roles.get(l.mount, l.role) else {
                if any_k8s_roles {
                    let names = known.get(l.mount).map_or(&[][..], Vec::as_slice);
                    let on = if names.is_empty() {
                        format!("the scan set defines no role on auth/{}", l.mount)
                    } else if names.len() <= NEAREST {
                        format!("roles on auth/{}: {}", l.mount, names.join(", "))
                    } else {
                        format!(
                            "{} roles on auth/{}, nearest by name: {}",
                            names.len(),
                            l.mount,
                            nearest(names, l.role).join(", ")
                        )
                    };
                    out.report(
                        l.location(),
                        format!("{} logs in with role `{}` on auth/{}, which the scan set does not define ({on})", l.who(), l.role, l.mount),
                    )
                    .severity(Severity::Info)
                    .identity(format!("{}/undefined", id()));
                }
                continue;
            };
            if role.kind != RoleKind::Kubernetes {
                continue;
            }
            let Some((ns, sa)) = &l.sa else { continue };
            let names_f = role.get("bound_service_account_names");
            let ns_f = role.get("bound_service_account_namespaces");
            let (Some(names), nss) = (list(names_f), list(ns_f)) else {
                continue;
            };
            let selector = role
                .get("bound_service_account_namespace_selector")
                .is_some_and(|f| f.text.as_deref().is_some_and(|t| !t.is_empty()));
            let by_name = matches(&names, sa);
            let by_ns = match &nss {
                Some(n) => matches(n, ns),
                None => Match::No,
            };
            if by_name == Match::No {
                let f = out.report(
                    l.location(),
                    format!("{} logs in as ServiceAccount {ns}/{sa} with {}, whose bound_service_account_names [{}] do not include `{sa}`: the login fails", l.who(), role.display(), names.join(", ")),
                );
                f.severity(Severity::Low)
                    .identity(format!("{}/names", id()));
                if let Some(nf) = names_f {
                    f.related(role.location(nf.span), "bound_service_account_names");
                }
                continue;
            }
            if by_ns == Match::No {
                if selector {
                    // The namespace may be admitted by labels the scan set cannot see.
                    out.not_evaluated(
                        l.location(),
                        format!("{}: namespace `{ns}` is not in {}'s bound_service_account_namespaces; its namespace selector is not evaluated offline", l.who(), role.display()),
                    );
                    continue;
                }
                let f = out.report(
                    l.location(),
                    format!("{} logs in from namespace `{ns}` with {}, whose bound_service_account_namespaces [{}] do not include it: the login fails", l.who(), role.display(), nss.unwrap_or_default().join(", ")),
                );
                f.severity(Severity::Low)
                    .identity(format!("{}/namespaces", id()));
                if let Some(nf) = ns_f {
                    f.related(role.location(nf.span), "bound_service_account_namespaces");
                }
                continue;
            }
            if by_name == Match::Broad || by_ns == Match::Broad {
                let which = if by_name == Match::Broad {
                    ("bound_service_account_names", names_f)
                } else {
                    ("bound_service_account_namespaces", ns_f)
                };
                let f = out.report(
                    l.location(),
                    format!("{} can log in with {} only because its {} is `*` or a glob: ServiceAccount {ns}/{sa} is not bound by name", l.who(), role.display(), which.0),
                );
                f.severity(Severity::High)
                    .identity(format!("{}/broad", id()));
                if let Some(field) = which.1 {
                    f.related(role.location(field.span), which.0);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_semantics_follow_the_plugin() {
        let l = |v: &[&'static str]| v.to_vec();
        assert_eq!(matches(&l(&["*"]), "x"), Match::Broad);
        assert_eq!(matches(&l(&["app"]), "app"), Match::Exact);
        assert_eq!(matches(&l(&["prod*"]), "production-sandbox"), Match::Broad);
        assert_eq!(matches(&l(&["*-prod"]), "team-prod"), Match::Broad);
        assert_eq!(matches(&l(&["*eam*"]), "team"), Match::Broad);
        assert_eq!(matches(&l(&["app", "web"]), "api"), Match::No);
        assert_eq!(matches(&l(&["a", "*"]), "b"), Match::No);
    }

    #[test]
    fn nearest_names_surround_the_missing_one() {
        let names = ["a", "app-1", "app-2", "app-3", "b", "c", "d", "e", "f"];
        assert_eq!(
            nearest(&names, "app-20"),
            ["a", "app-1", "app-2", "app-3", "b", "c"]
        );
        assert_eq!(nearest(&names, "zz"), ["app-3", "b", "c", "d", "e", "f"]);
        assert_eq!(nearest(&names[..3], "x"), ["a", "app-1", "app-2"]);
    }
}
