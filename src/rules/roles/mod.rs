//! Rules of the `roles` family (RULES-SPEC §1(f)): auth roles, secrets-engine roles and
//! tokens created by code, read through the normalised role model
//! ([`crate::model::vault_roles`]) with effective TTLs resolved per §0.3.

mod rol001_k8s_role_any_namespace;
mod rol002_k8s_role_any_service_account;
mod rol003_auth_role_token_lifetime;
mod rol004_dynamic_credential_lease;
mod rol005_k8s_role_without_audience;
mod rol006_weak_approle;
mod rol007_token_creation_in_code;
mod rol009_kv_mount_inventory;

use crate::duration::{parse_vault, Duration};
use crate::model::vault_roles::{Effective, Field, Role, RoleSet};
use crate::rules::{Context, Emitter, Rule, Severity};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(rol001_k8s_role_any_namespace::K8sRoleAnyNamespace),
        Box::new(rol002_k8s_role_any_service_account::K8sRoleAnyServiceAccount),
        Box::new(rol003_auth_role_token_lifetime::AuthRoleTokenLifetime),
        Box::new(rol004_dynamic_credential_lease::DynamicCredentialLease),
        Box::new(rol005_k8s_role_without_audience::K8sRoleWithoutAudience),
        Box::new(rol006_weak_approle::WeakAppRole),
        Box::new(rol007_token_creation_in_code::TokenCreationInCode),
        Box::new(rol009_kv_mount_inventory::KvMountInventory),
    ]
}

/// A duration threshold from `.sealant.yaml` `options: { <ID>: { <name>: [<duration>] } }`
/// (Vault duration syntax), else the default.
pub(crate) fn threshold(cx: &Context, id: &str, name: &str, default: Duration) -> Duration {
    cx.config
        .option(id, name)
        .and_then(|v| v.first())
        .and_then(|s| parse_vault(s).ok().flatten())
        .unwrap_or(default)
}

/// Reports a TTL value Vault itself rejects (the write fails, so the role keeps its old
/// settings or is never created).
pub(crate) fn report_invalid(
    role_path: &std::sync::Arc<str>,
    what: &str,
    f: &Field,
    e: &crate::duration::DurationError,
    identity: String,
    out: &mut Emitter,
) {
    let value = f.text.as_deref().unwrap_or("");
    out.report(
        crate::location::Location::new(role_path.clone(), f.span),
        format!(
            "{what}: `{}={value}` is not a duration Vault accepts ({e}); the write is rejected",
            f.key
        ),
    )
    .severity(Severity::Low)
    .identity(identity);
}

/// The effective TTL and max TTL of a role: each resolved per §0.3, the TTL capped by the
/// effective max, and both capped by an explicit max (`token_explicit_max_ttl`) when given.
pub(crate) struct Lifetimes {
    pub ttl: Option<Effective>,
    pub max: Option<Effective>,
}

pub(crate) fn lifetimes(
    set: &RoleSet,
    role: &Role,
    ttl_key: &str,
    max_key: &str,
    explicit: Option<Duration>,
    out: &mut Emitter,
) -> Lifetimes {
    type Resolved = Result<Option<Effective>, Box<(Field, crate::duration::DurationError)>>;
    let mut bad = |r: Resolved| match r {
        Ok(e) => e,
        Err(b) => {
            let (f, e) = *b;
            report_invalid(
                &role.path,
                &role.display(),
                &f,
                &e,
                format!("{}.{}.invalid", role.identity(), f.key),
                out,
            );
            None
        }
    };
    let mut max = bad(set.effective(role, max_key, true));
    let mut ttl = bad(set.effective(role, ttl_key, false));
    if let (Some(m), Some(x)) = (max.as_mut(), explicit) {
        if x < m.value {
            m.value = x;
            m.chain = format!("{} capped by token_explicit_max_ttl={x}", m.chain);
            m.at = None;
            m.from_role = false;
        }
    }
    if let (Some(t), Some(m)) = (ttl.as_mut(), max.as_ref()) {
        if m.value < t.value {
            t.value = m.value;
            t.chain = format!("{} capped by the max TTL {}", t.chain, m.value);
        }
    }
    Lifetimes { ttl, max }
}

/// True when a list value binds everything (`*`).
pub(crate) fn is_star(s: &str) -> bool {
    s == "*"
}

/// A prefix/suffix glob (`prod*`, `*-prod`), as `StrListContainsGlob` matches them.
pub(crate) fn is_glob(s: &str) -> bool {
    s != "*" && (s.starts_with('*') || s.ends_with('*'))
}

/// The low finding for an unquoted `*` (alone or in a glob) in a script word.
pub(crate) fn unquoted_star(
    role: &Role,
    key: &str,
    item: &crate::model::vault_roles::Item,
    out: &mut Emitter,
) {
    out.report(
        role.location(item.span),
        format!("{}: `{key}={}` is unquoted in a shell script: the shell may replace the `*` with matching file names (or fail under `failglob`); quote it", role.display(), item.text),
    )
    .severity(Severity::Low)
    .identity(format!("{}.{key}.unquoted-glob", role.identity()));
}

/// The glob warning, when the item is an unquoted script word.
pub(crate) fn maybe_unquoted(
    role: &Role,
    key: &str,
    item: &crate::model::vault_roles::Item,
    out: &mut Emitter,
) {
    if role.source == crate::model::vault_roles::Source::Script
        && item.unquoted
        && item.text.contains('*')
    {
        unquoted_star(role, key, item, out);
    }
}
