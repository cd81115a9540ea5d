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
//!   role, at its `token_policies`, with the first broad rules named and related, the rest
//!   counted.

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
use crate::policy::prefixes::LiteralPrefixes;
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

/// The scan set's policies by name (several documents may share one).
type ByName<'a> = HashMap<&'a str, Vec<&'a ScannedPolicy>>;

/// Broad rules a finding names, in its message and as related locations; the rest are
/// counted. A policy every role shares can hold thousands of globs, and naming each in
/// every role's finding made the report grow as roles × globs.
const NAMED_BROAD_RULES: usize = 8;

/// The policies a role's set resolves to when the scan set does not define them.
struct Builtin {
    /// OpenBao's stock `default` policy.
    default: Option<Policy>,
    /// `root`: grants everything (and only alone).
    root: Policy,
}

impl Builtin {
    fn new() -> Builtin {
        Builtin {
            default: crate::policy::parse_policy_text(
                "default",
                "default (stock)",
                crate::policy::cli::DEFAULT_POLICY,
            )
            .ok(),
            root: Policy {
                name: "root".into(),
                source: "root".into(),
                rules: Vec::new(),
            },
        }
    }
}

/// The role's policy set, resolved in the scan set: (policies found, names not found, every
/// name of the set).
fn role_policies<'a>(
    inv: &'a Inventory,
    by_name: &ByName<'a>,
    builtin: &'a Builtin,
    role: &Role,
) -> (Vec<&'a Policy>, Vec<String>, Vec<String>) {
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
            Some(Ok(p)) => found.push(p),
            Some(Err(_)) => missing.push(n.clone()),
            None if n == "default" => found.extend(builtin.default.as_ref()),
            None if n == "root" => found.push(&builtin.root),
            None => missing.push(n.clone()),
        }
    }
    (found, missing, names)
}

/// The ACL of `policies` restricted to the rules that may match one of `paths`. It decides
/// each of those paths as the ACL of the whole set does: a rule that does not match a path
/// neither governs it nor merges into an entry that does (merged rules share their
/// pattern), the kept rules keep their order (ties between `+` rules fall the same way),
/// and every policy keeps its name (`root` mixed with others is refused alike). A policy
/// every role shares is then not copied into an ACL once per role. `prefixes` holds each
/// policy's index by name: within one scan a name always resolves to the same policy.
fn acl_for<'a>(
    policies: &[&'a Policy],
    paths: &[&str],
    prefixes: &mut HashMap<&'a str, LiteralPrefixes<'a>>,
) -> Result<Acl, crate::policy::acl::AclError> {
    let reduced: Vec<Policy> = policies
        .iter()
        .map(|p| {
            let index = prefixes
                .entry(p.name.as_str())
                .or_insert_with(|| LiteralPrefixes::new(&p.rules));
            let mut keep: Vec<usize> = paths
                .iter()
                .flat_map(|path| index.beginning(path))
                .collect();
            keep.sort_unstable();
            keep.dedup();
            Policy {
                name: p.name.clone(),
                source: p.source.clone(),
                rules: keep.iter().map(|&i| p.rules[i].clone()).collect(),
            }
        })
        .collect();
    Acl::new(&reduced)
}

/// The directory of a request path (`secret/data/team/app/`), the scope a glob may cover.
fn dir_of(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..=i])
}

/// The directories of a role's declared secrets, sorted, none inside another: a glob whose
/// fixed part begins with one of them stays within what the role's consumers read.
struct Dirs<'a>(Vec<&'a str>);

impl<'a> Dirs<'a> {
    fn new(mut dirs: Vec<&'a str>) -> Dirs<'a> {
        dirs.sort_unstable();
        dirs.dedup();
        // Sorted, a directory inside another comes after it, with only directories inside
        // that one between them: comparing with the last one kept is enough.
        let mut kept: Vec<&str> = Vec::with_capacity(dirs.len());
        for d in dirs {
            if !kept.last().is_some_and(|k| d.starts_with(k)) {
                kept.push(d);
            }
        }
        Dirs(kept)
    }

    /// Whether `fixed` begins with one of the directories: only the greatest one not after
    /// it can begin it (any later one would lie inside that one).
    fn cover(&self, fixed: &str) -> bool {
        let i = self.0.partition_point(|d| *d <= fixed);
        i > 0 && fixed.starts_with(self.0[i - 1])
    }

    /// How many of `sorted` begin with one of the directories (their runs are disjoint).
    fn covered(&self, sorted: &[&str]) -> usize {
        self.0
            .iter()
            .map(|d| {
                let from = sorted.partition_point(|f| f < d);
                sorted[from..].partition_point(|f| f.starts_with(d))
            })
            .sum()
    }
}

/// A policy's globs that grant `read` over KV secrets, whoever holds the policy: (rule
/// index, the glob's fixed part) in rule order, and the fixed parts sorted.
struct KvGlobs<'a> {
    in_order: Vec<(usize, &'a str)>,
    sorted: Vec<&'a str>,
}

impl<'a> KvGlobs<'a> {
    fn new(sp: &'a ScannedPolicy, mounts: &KvMounts, config: &Config) -> KvGlobs<'a> {
        let mut in_order = Vec::new();
        for (ri, r) in sp.rules().iter().enumerate() {
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
            // Only globs over KV secrets count; on v2 they must reach `data/`.
            let probe = format!("{}_", fixed);
            let Some(m) = mounts.lookup(config, &probe) else {
                continue;
            };
            if m.version == 2 {
                let data = format!("{}/data/", m.mount);
                if !(fixed.starts_with(&data) || data.starts_with(fixed)) {
                    continue;
                }
            }
            in_order.push((ri, fixed));
        }
        let mut sorted: Vec<&str> = in_order.iter().map(|&(_, f)| f).collect();
        sorted.sort_unstable();
        KvGlobs { in_order, sorted }
    }
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
        let builtin = Builtin::new();
        let mut prefixes = HashMap::new();
        // Keyed by the policy's address: several documents may share a name.
        let mut globs: HashMap<*const ScannedPolicy, KvGlobs<'_>> = HashMap::new();
        for ((mount, role_name), decls) in declared(inv, cx.config, &roles) {
            let Some(role) = roles.get(&mount, &role_name) else {
                continue;
            };
            let (policies, missing, names) = role_policies(inv, &by_name, &builtin, role);
            let paths: Vec<&str> = decls
                .iter()
                .flat_map(|d| d.paths.iter().map(String::as_str))
                .collect();
            let Ok(acl) = acl_for(&policies, &paths, &mut prefixes) else {
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
            let dirs = Dirs::new(paths.iter().map(|p| dir_of(p)).collect());
            let mut broad: Vec<(Location, String)> = Vec::new();
            let mut count = 0;
            if acl.is_root() {
                broad.push((
                    role.location(role.anchor),
                    "the root policy (everything)".into(),
                ));
                count += 1;
            }
            let used = policies
                .iter()
                .filter_map(|p| by_name.get(p.name.as_str()))
                .flatten();
            for &sp in used {
                let kv = globs
                    .entry(std::ptr::from_ref(sp))
                    .or_insert_with(|| KvGlobs::new(sp, mounts, cx.config));
                count += kv.in_order.len() - dirs.covered(&kv.sorted);
                for &(ri, fixed) in &kv.in_order {
                    if broad.len() == NAMED_BROAD_RULES {
                        break;
                    }
                    if !dirs.cover(fixed) {
                        let r = &sp.rules()[ri];
                        broad.push((
                            sp.location(r.path_span),
                            format!("`{}` in policy `{}`", r.raw_path, sp.name),
                        ));
                    }
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
            let mut what = broad
                .iter()
                .map(|(_, w)| w.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            if count > broad.len() {
                what.push_str(&format!(" and {} more rules", count - broad.len()));
            }
            let f = out.report(
                role.location(span),
                format!(
                    "{} grants read through {what} — far more than its consumers declare ({})",
                    role.display(),
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

    fn policy(name: &str, rules: &[(&str, &str)]) -> Policy {
        let text: String = rules
            .iter()
            .map(|(p, caps)| format!("path \"{p}\" {{\n  capabilities = [{caps}]\n}}\n"))
            .collect();
        crate::policy::parse_policy_text(name, "p.hcl", &text).expect("parses")
    }

    /// The reduced ACL decides every declared path as the ACL of the whole set does (the
    /// reference: every policy copied whole): governing step, capabilities and the governing
    /// entry's key, over exact, prefix and `+` rules, merges of one pattern across policies,
    /// denies, templated rules, leading slashes, `root` alone and mixed.
    #[test]
    fn reduced_acl_decides_declared_paths_as_the_whole_set() {
        let a = policy(
            "a",
            &[
                ("secret/data/app/*", "\"read\""),
                ("secret/data/app/db", "\"deny\""),
                ("secret/data/+/db", "\"update\""),
                ("secret/data/+/+", "\"list\""),
                ("secret/*", "\"read\""),
                ("/kv/team", "\"read\""),
                ("{{identity.entity.id}}/x", "\"read\""),
                ("+/data/*", "\"create\""),
            ],
        );
        let b = policy(
            "b",
            &[
                ("secret/data/app/*", "\"update\""),
                ("secret/data/ap*", "\"read\""),
                ("secret/data/+/db", "\"read\""),
                ("kv/team", "\"deny\""),
                ("kv/+", "\"read\""),
                ("*", "\"list\""),
            ],
        );
        let c = policy("c", &[("other/*", "\"read\"")]);
        let root = Builtin::new().root;
        let paths = [
            "secret/data/app/db",
            "secret/data/app/x",
            "secret/data/apple",
            "secret/data/web/db",
            "secret/data/web/y/z",
            "/secret/data/app/db",
            "kv/team",
            "kv/other",
            "other/a",
            "nothing/here",
            "secret",
            "",
        ];
        let sets: [Vec<&Policy>; 6] = [
            vec![&a],
            vec![&a, &b],
            vec![&b, &a, &c],
            vec![&c],
            vec![&root],
            vec![&a, &root],
        ];
        for set in &sets {
            let whole: Vec<Policy> = set.iter().map(|p| (*p).clone()).collect();
            let names: Vec<&str> = set.iter().map(|p| p.name.as_str()).collect();
            let reference = Acl::new(&whole);
            // One declared path at a time, and all together.
            let groups: Vec<Vec<&str>> = paths
                .iter()
                .map(|p| vec![*p])
                .chain(std::iter::once(paths.to_vec()))
                .collect();
            for group in &groups {
                let mut prefixes = HashMap::new();
                let reduced = acl_for(set, group, &mut prefixes);
                let (reference, reduced) = match (&reference, reduced) {
                    (Ok(r), Ok(d)) => (r, d),
                    (Err(_), Err(_)) => continue,
                    (r, d) => panic!("{names:?}: {:?} against {:?}", r.is_ok(), d.is_ok()),
                };
                assert_eq!(reference.is_root(), reduced.is_root());
                for path in group {
                    let want = reference.decide(path, false);
                    let got = reduced.decide(path, false);
                    let key = |acl: &Acl, d: &crate::policy::Decision| {
                        acl.entry(d.governing).map(|e| e.key.clone())
                    };
                    assert_eq!(
                        (want.root, want.caps, want.step, key(reference, &want)),
                        (got.root, got.caps, got.step, key(&reduced, &got)),
                        "{names:?} on {path:?}"
                    );
                }
            }
        }
    }

    /// `Dirs` answers as a search of every declared directory: nested and repeated
    /// directories, the empty directory (a path without `/`), fixed parts equal to a
    /// directory, shorter than one, and sorting between them.
    #[test]
    fn dirs_cover_as_a_search_of_every_directory() {
        let fixed = [
            "secret/data/",
            "secret/data/a/",
            "secret/data/a/b/",
            "secret/data/a",
            "secret/data/ab/",
            "secret/data/b/x",
            "secret/",
            "kv/",
            "kv/team/",
            "",
            "secret/data/c/",
        ];
        let dir_sets: [&[&str]; 6] = [
            &["secret/data/a/"],
            &["secret/data/a/", "secret/data/a/b/", "secret/data/a/"],
            &["secret/data/b/", "kv/team/", "secret/data/a/b/"],
            &[""],
            &[],
            &["secret/", "secret/data/a/", "kv/"],
        ];
        let mut sorted = fixed.to_vec();
        sorted.sort_unstable();
        for ds in dir_sets {
            let dirs = Dirs::new(ds.to_vec());
            let brute = |f: &str| ds.iter().any(|d| f.starts_with(d));
            for f in fixed {
                assert_eq!(dirs.cover(f), brute(f), "{f:?} under {ds:?}");
            }
            let want = fixed.iter().filter(|f| brute(f)).count();
            assert_eq!(dirs.covered(&sorted), want, "{ds:?}");
        }
    }

    /// A role whose policies grant more globs than a finding names: the first ones in rule
    /// order are named and related, the rest counted; at the limit nothing is counted.
    #[test]
    fn a_finding_names_the_first_broad_rules_and_counts_the_rest() {
        use crate::model::file::load_text;
        use crate::source::classify::Format;
        let run = |globs: usize| {
            let policy: String = (0..globs)
                .map(|j| {
                    format!(
                        "path \"secret/data/common/k{j}/*\" {{\n  capabilities = [\"read\"]\n}}\n"
                    )
                })
                .collect();
            let tf = "resource \"vault_kubernetes_auth_backend_role\" \"app\" {\n  role_name = \"app\"\n  bound_service_account_names = [\"app\"]\n  bound_service_account_namespaces = [\"ns\"]\n  token_policies = [\"common\"]\n}\n";
            let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: ns\nspec:\n  template:\n    metadata:\n      annotations:\n        vault.hashicorp.com/agent-inject: \"true\"\n        vault.hashicorp.com/role: app\n        vault.hashicorp.com/agent-inject-secret-db: secret/data/app/db\n    spec:\n      serviceAccountName: app\n      containers:\n        - name: app\n          image: app\n";
            let files = vec![
                load_text("common.hcl", policy, Some(Format::Hcl)),
                load_text("vault.tf", tf.to_owned(), Some(Format::Terraform)),
                load_text("app.yaml", deploy.to_owned(), Some(Format::Yaml)),
            ];
            let inv = Inventory::new(files, "default", &[]);
            let config = Config::default();
            let mut out = Emitter::new("XSR006");
            RoleLeastPrivilege.check(&inv, &Context { config: &config }, &mut out);
            let broad: Vec<_> = out
                .findings
                .into_iter()
                .filter(|f| f.severity == Severity::Medium)
                .collect();
            assert_eq!(broad.len(), 1, "{globs} globs");
            let f = &broad[0];
            (f.message.clone(), f.related.len())
        };
        let (message, related) = run(NAMED_BROAD_RULES);
        assert_eq!(related, NAMED_BROAD_RULES);
        assert!(!message.contains("more rules"), "{message}");
        assert!(message.contains("`secret/data/common/k7/*`"), "{message}");
        let (message, related) = run(NAMED_BROAD_RULES + 5);
        assert_eq!(related, NAMED_BROAD_RULES);
        assert!(
            message.contains("`secret/data/common/k7/*` in policy `common` and 5 more rules — "),
            "{message}"
        );
        assert!(!message.contains("k8/*"), "{message}");
    }
}
