//! XSR006 — Workload's Vault role grants access to its declared secrets only (least privilege
//! and 403 prediction, RULES-SPEC §3). Across files: every secret path a consumer declares —
//! injector annotations and templates (INJ006, shimmed for KV v2 as consul-template does,
//! §2.6), VSO `VaultStaticSecret` (`<mount>/data/<path>` or `<mount>/<path>`) and
//! `VaultDynamicSecret` (`<mount>/<path>`), ESO `remoteRef.key` (ESO `buildPath`) — is joined
//! with the Vault role it logs in with, and the role's policies (`token_policies`, plus
//! `default` unless `token_no_default_policy`; the stock default when the scan set has none)
//! are evaluated by the shared ACL evaluator (§2):
//! * low — a declared path the policies do not grant (`read`, or `update` for writes): the
//!   consumer gets 403. Only when every policy of the role is in the scan set (a missing one
//!   might grant it; identity-group policies are not known offline either, which the message
//!   says).
//! * medium — a policy of the role grants `read` with a glob far beyond what its consumers
//!   declare: a prefix or `+` rule on a KV mount whose fixed part lies outside the directory
//!   of every declared secret (the mount root, a sibling team's path). Reported once per
//!   role, at its `token_policies`, with each broad rule as a related location.

use super::AuthRoles;
use crate::engine::config::Config;
use crate::location::Location;
use crate::model::consumers::{
    eso_build_path, eso_store_of, injector_auth, vso_auth_of, ObjectIndex,
};
use crate::model::inventory::Inventory;
use crate::model::kv_mounts::KvMounts;
use crate::model::policies::ScannedPolicy;
use crate::model::vault_roles::Role;
use crate::policy::{Acl, Capability, Governing, Policy, RuleKind};
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::syntax::yaml::Node;
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

pub struct RoleLeastPrivilege;

/// One path a consumer requests.
struct Declared {
    /// Where the path is written.
    at: Location,
    /// `Deployment prod/api`.
    who: String,
    /// The request path Vault receives (candidates when the mount's KV version is unknown).
    paths: Vec<String>,
    write: bool,
    identity: String,
}

/// The request paths consul-template may send for a path on an unknown mount: as written,
/// or with `data/` after any leading segment (a KV v2 mount of that depth).
fn kv_candidates(path: &str) -> Vec<String> {
    let mut out = vec![path.to_owned()];
    for (i, _) in path.match_indices('/') {
        out.push(format!("{}/data{}", &path[..i], &path[i..]));
    }
    out
}

/// consul-template's `shimKVv2Path` with the mount model: `data/` is inserted after a KV v2
/// mount unless the rest already starts with `data/` or `metadata/`.
fn shim(mounts: &KvMounts, config: &Config, path: &str) -> Vec<String> {
    match mounts.lookup(config, path) {
        Some(f) if f.version == 2 => {
            let rest = &path[f.mount.len() + 1..];
            if rest.starts_with("data/") || rest.starts_with("metadata/") {
                vec![path.to_owned()]
            } else {
                vec![format!("{}/data/{rest}", f.mount)]
            }
        }
        Some(_) => vec![path.to_owned()],
        None => kv_candidates(path),
    }
}

/// Every declared path read with a role the scan set defines, grouped by that role (auth
/// mount, role name). Paths read with other roles are dropped before their texts are built:
/// nothing can be said of them, and a large scan declares hundreds of thousands.
fn declared(
    inv: &Inventory,
    config: &Config,
    roles: &AuthRoles<'_>,
) -> BTreeMap<(String, String), Vec<Declared>> {
    let mounts = inv.kv_mounts();
    let auths = ObjectIndex::vault_auths(inv);
    let stores = ObjectIndex::eso_stores(inv);
    let mut by_role: BTreeMap<(String, String), Vec<Declared>> = BTreeMap::new();
    for s in inv.injected_secrets() {
        let auth = injector_auth(&s.workload);
        let Some((role, _)) = auth.role else { continue };
        if roles.get(auth.mount, role).is_none() {
            continue;
        }
        by_role
            .entry((auth.mount.to_owned(), role.to_owned()))
            .or_default()
            .push(Declared {
                at: s.location(),
                who: s.workload.object.display().to_string(),
                paths: shim(mounts, config, s.path),
                write: s.write,
                identity: format!(
                    "{}/inject/{}/{}",
                    s.workload.object.identity(),
                    s.name,
                    s.path
                ),
            });
    }
    for s in inv
        .objects_of_kind(&["VaultStaticSecret", "VaultDynamicSecret"])
        .filter(|o| o.api_group() == "secrets.hashicorp.com")
    {
        let Some(a) = vso_auth_of(&auths, s) else {
            continue;
        };
        if a.get(&["spec", "method"])
            .and_then(Node::as_str)
            .is_some_and(|m| m != "kubernetes")
        {
            continue;
        }
        let Some(role) = a
            .get(&["spec", "kubernetes", "role"])
            .and_then(Node::as_str)
        else {
            continue;
        };
        let auth_mount = a
            .get(&["spec", "mount"])
            .and_then(Node::as_str)
            .unwrap_or("kubernetes");
        let spec = |k: &str| s.get(&["spec", k]);
        let (Some(mount), Some(path_n)) = (spec("mount").and_then(Node::as_str), spec("path"))
        else {
            continue;
        };
        let Some(path) = path_n.as_str() else {
            continue;
        };
        let mount = mount.trim_matches('/');
        let path = path.trim_matches('/');
        let (request, write) = if s.kind == "VaultStaticSecret" {
            let v2 = spec("type").and_then(Node::as_str) == Some("kv-v2");
            let p = if v2 {
                format!("{mount}/data/{path}")
            } else {
                format!("{mount}/{path}")
            };
            (p, false)
        } else {
            // GET unless parameters are given (then PUT) or a method is set (VSO docs).
            let method = spec("requestHTTPMethod").and_then(Node::as_str);
            let write = match method {
                Some(m) => m != "GET",
                None => spec("params").is_some_and(|p| p.entries().next().is_some()),
            };
            (format!("{mount}/{path}"), write)
        };
        let auth_mount = auth_mount.trim_matches('/');
        if roles.get(auth_mount, role).is_none() {
            continue;
        }
        by_role
            .entry((auth_mount.to_owned(), role.to_owned()))
            .or_default()
            .push(Declared {
                at: s.location(path_n.span),
                who: s.display().to_string(),
                paths: vec![request],
                write,
                identity: format!("{}/path", s.identity()),
            });
    }
    for es in inv
        .objects_of_kind(&["ExternalSecret"])
        .filter(|o| o.api_group() == "external-secrets.io")
    {
        let Some(store) = eso_store_of(&stores, es) else {
            continue;
        };
        let Some(v) = store.get(&["spec", "provider", "vault"]) else {
            continue;
        };
        let Some(k) = v.path(&["auth", "kubernetes"]) else {
            continue;
        };
        let Some(role) = k.get("role").and_then(Node::as_str) else {
            continue;
        };
        let auth_mount = k
            .get("mountPath")
            .and_then(Node::as_str)
            .unwrap_or("kubernetes");
        let auth_mount = auth_mount.trim_matches('/');
        let auth_mount = auth_mount.strip_prefix("auth/").unwrap_or(auth_mount);
        if roles.get(auth_mount, role).is_none() {
            continue;
        }
        let store_path = v
            .get("path")
            .and_then(Node::as_str)
            .map(|p| p.trim_matches('/'));
        let version = v.get("version").and_then(Node::as_str).unwrap_or("v2");
        let data = es.get(&["spec", "data"]).map(Node::items).unwrap_or(&[]);
        let data_from = es
            .get(&["spec", "dataFrom"])
            .map(Node::items)
            .unwrap_or(&[]);
        let keys = data
            .iter()
            .filter_map(|d| d.path(&["remoteRef", "key"]))
            .chain(data_from.iter().filter_map(|d| d.path(&["extract", "key"])));
        for key_n in keys {
            let Some(key) = key_n.as_str() else { continue };
            by_role
                .entry((auth_mount.to_owned(), role.to_owned()))
                .or_default()
                .push(Declared {
                    at: es.location(key_n.span),
                    who: es.display().to_string(),
                    paths: vec![eso_build_path(
                        store_path,
                        version,
                        key.trim_start_matches('/'),
                    )],
                    write: false,
                    identity: format!("{}/remoteRef/{key}", es.identity()),
                });
        }
    }
    by_role
}

/// The role's policy set, resolved in the scan set: (policies found, names not found).
/// The scan set's policies by name (several documents may share one).
type ByName<'a> = HashMap<&'a str, Vec<&'a ScannedPolicy>>;

fn role_policies(
    inv: &Inventory,
    by_name: &ByName<'_>,
    role: &Role,
) -> (Vec<Policy>, Vec<String>, Vec<String>) {
    let mut names: Vec<String> = role
        .get("token_policies")
        .map(|f| f.items.iter().map(|i| i.text.clone()).collect())
        .unwrap_or_default();
    // `vault_policy.<label>.name` references the Terraform policy resource.
    for n in &mut names {
        if let Some(label) = n
            .strip_prefix("vault_policy.")
            .and_then(|r| r.strip_suffix(".name"))
        {
            let origin = format!("vault_policy \"{label}\"");
            if let Some(p) = inv
                .policies()
                .iter()
                .find(|p| inv.policy_doc(p).origin.as_deref() == Some(origin.as_str()))
            {
                n.clone_from(&p.name);
            }
        }
    }
    let no_default = role.get("token_no_default_policy").and_then(|f| f.bool()) == Some(true);
    if !no_default && !names.iter().any(|n| n == "default") {
        names.push("default".into());
    }
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for n in &names {
        let scanned = by_name.get(n.as_str()).and_then(|v| v.first());
        match scanned.map(|p| &p.parsed) {
            Some(Ok(p)) => found.push(p.clone()),
            Some(Err(_)) => missing.push(n.clone()),
            None if n == "default" => {
                if let Ok(p) = crate::policy::parse_policy_text(
                    "default",
                    "default (stock)",
                    crate::policy::cli::DEFAULT_POLICY,
                ) {
                    found.push(p);
                }
            }
            None if n == "root" => found.push(Policy {
                name: "root".into(),
                source: "root".into(),
                rules: Vec::new(),
            }),
            None => missing.push(n.clone()),
        }
    }
    (found, missing, names)
}

/// The directory of a request path (`secret/data/team/app/`), the scope a glob may cover.
fn dir_of(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..=i])
}

impl Rule for RoleLeastPrivilege {
    fn id(&self) -> &'static str {
        "XSR006"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let mounts = inv.kv_mounts();
        let roles = AuthRoles::new(inv);
        let mut by_name: ByName<'_> = HashMap::new();
        for p in inv.policies() {
            by_name.entry(p.name.as_str()).or_default().push(p);
        }
        for ((mount, role_name), decls) in declared(inv, cx.config, &roles) {
            let Some(role) = roles.get(&mount, &role_name) else {
                continue;
            };
            let (policies, missing, names) = role_policies(inv, &by_name, role);
            let Ok(acl) = Acl::new(&policies) else {
                continue;
            };
            let set = names.join(", ");
            // 403 prediction.
            for d in &decls {
                let need = if d.write {
                    Capability::Update
                } else {
                    Capability::Read
                };
                let granted = d.paths.iter().any(|p| {
                    let dec = acl.decide(p, false);
                    dec.root || (!dec.caps.is_deny() && dec.caps.contains(need))
                });
                if granted {
                    continue;
                }
                let path = &d.paths[0];
                if !missing.is_empty() {
                    out.not_evaluated(
                        d.at.clone(),
                        format!("{} requests `{path}` with {}; policies {} are not in the scan set, so whether it is granted is unknown", d.who, role.display(), missing.join(", ")),
                    );
                    continue;
                }
                let dec = acl.decide(path, false);
                let why = match acl.entry(dec.governing) {
                    Some(e) if dec.caps.is_deny() => format!(
                        "the governing rule `{}` denies it",
                        display_key(e, dec.governing)
                    ),
                    Some(e) => format!(
                        "the governing rule `{}` grants only [{}]",
                        display_key(e, dec.governing),
                        dec.caps.names().join(", ")
                    ),
                    None => "no rule of its policies matches".to_owned(),
                };
                let f = out.report(
                    d.at.clone(),
                    format!("{} requests `{path}` ({}) with {} (policies: {set}), but {why}: Vault answers 403 (unless an identity group policy grants it)", d.who, need.as_str(), role.display()),
                );
                f.severity(Severity::Low)
                    .identity(format!("{}/xsr006/{}", d.identity, role.display()))
                    .related(
                        role.location(role.anchor),
                        format!("{} is defined here", role.display()),
                    );
            }
            // Least privilege: globs that reach beyond every declared secret's directory.
            let dirs: Vec<&str> = decls
                .iter()
                .flat_map(|d| d.paths.iter().map(|p| dir_of(p)))
                .collect();
            let mut broad: Vec<(Location, String)> = Vec::new();
            if acl.is_root() {
                broad.push((
                    role.location(role.anchor),
                    "the root policy (everything)".into(),
                ));
            }
            let used = policies
                .iter()
                .filter_map(|p| by_name.get(p.name.as_str()))
                .flatten();
            for sp in used {
                for r in sp.rules() {
                    if r.templated || r.caps.is_deny() || !r.caps.contains(Capability::Read) {
                        continue;
                    }
                    let fixed = match r.kind {
                        RuleKind::Exact => continue,
                        RuleKind::Prefix => r.path.as_str(),
                        RuleKind::Segment { .. } => {
                            let i = r.path.find('+').unwrap_or(r.path.len());
                            &r.path[..i]
                        }
                    };
                    if dirs.iter().any(|d| fixed.starts_with(d)) {
                        continue;
                    }
                    // Only globs over KV secrets count; on v2 they must reach `data/`.
                    let probe = format!("{}_", fixed);
                    let Some(m) = mounts.lookup(cx.config, &probe) else {
                        continue;
                    };
                    if m.version == 2 {
                        let data = format!("{}/data/", m.mount);
                        if !(fixed.starts_with(&data) || data.starts_with(fixed)) {
                            continue;
                        }
                    }
                    broad.push((
                        sp.location(r.path_span),
                        format!("`{}` in policy `{}`", r.raw_path, sp.name),
                    ));
                }
            }
            if broad.is_empty() {
                continue;
            }
            let span = role.get("token_policies").map_or(role.anchor, |f| f.span);
            let mut declared: Vec<String> =
                decls.iter().map(|d| format!("`{}`", d.paths[0])).collect();
            declared.sort();
            declared.dedup();
            let what: Vec<&str> = broad.iter().map(|(_, w)| w.as_str()).collect();
            let f = out.report(
                role.location(span),
                format!(
                    "{} grants read through {} — far more than its consumers declare ({})",
                    role.display(),
                    what.join(", "),
                    declared.join(", ")
                ),
            );
            f.identity(format!("{}/xsr006/broad", role.identity()));
            for (l, w) in broad {
                f.related(l, format!("grants read: {w}"));
            }
        }
    }
}

/// A store key as written in a policy (`secret/data/*` for a prefix entry).
fn display_key(e: &crate::policy::acl::Entry, g: Governing) -> String {
    match g {
        Governing::Prefix(_) => format!("{}*", e.key),
        _ => e.key.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_cover_every_mount_depth() {
        assert_eq!(
            kv_candidates("team/kv/app/db"),
            [
                "team/kv/app/db",
                "team/data/kv/app/db",
                "team/kv/data/app/db",
                "team/kv/app/data/db"
            ]
        );
        assert_eq!(dir_of("secret/data/a/b"), "secret/data/a/");
    }
}
