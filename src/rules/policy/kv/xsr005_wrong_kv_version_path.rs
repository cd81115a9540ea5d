//! XSR005 — Policy path written for the wrong KV version (RULES-SPEC §3). A rule whose path
//! starts with a KV v2 mount `M/` but not with `data/ metadata/ delete/ undelete/ destroy/
//! subkeys/ config` matches no request the KV v2 API receives (the v1-style path of
//! hashicorp/vault#8662 and #9337), and the reverse, `M/data/…` on a KV v1 mount, matches only
//! keys literally named `data/…`. A `deny` written this way denies nothing: its own,
//! higher-severity message. The fix names the paths `vault kv … -output-policy` would print
//! (§2.6, §2.7) for the capabilities the rule grants. `M/*` and `M/+…` cover everything
//! (POL010's business); unknown mounts are left alone.

use super::{add_container, policy_label, KV2_PREFIXES};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::policy::{Capability, PathRule, RuleKind};
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct WrongKvVersionPath;

/// True when `rem` (the path after `M/`) addresses a KV v2 API path, or a glob that covers one.
fn is_v2_shaped(rem: &str, kind: RuleKind) -> bool {
    KV2_PREFIXES.iter().any(|k| {
        rem.strip_prefix(k)
            .is_some_and(|r| r.is_empty() || r.starts_with('/'))
            || (kind == RuleKind::Prefix && k.starts_with(rem.trim_end_matches('*')))
    })
}

/// `["read", "update"]`.
fn caps_list(caps: &[&str]) -> String {
    let q: Vec<String> = caps.iter().map(|c| format!("\"{c}\"")).collect();
    format!("[{}]", q.join(", "))
}

/// The KV v2 paths (and capabilities) that stand for a v1-style rule granting `caps` on key
/// `K` (§2.6): `data/K` for get/put/patch/delete, `metadata/K` for list, and the
/// `delete/ undelete/ destroy/` endpoints (update) where deleting was granted.
fn v2_equivalents(mount: &str, key: &str, rule: &PathRule) -> Vec<(String, Vec<&'static str>)> {
    let has = |c| rule.caps.contains(c);
    let mut out = Vec::new();
    let data: Vec<&str> = [
        Capability::Create,
        Capability::Read,
        Capability::Update,
        Capability::Patch,
        Capability::Delete,
    ]
    .into_iter()
    .filter(|c| has(*c))
    .map(Capability::as_str)
    .collect();
    if !data.is_empty() {
        out.push((format!("{mount}/data/{key}"), data));
    }
    if has(Capability::List) {
        out.push((format!("{mount}/metadata/{key}"), vec!["list"]));
    }
    if has(Capability::Delete) {
        for p in ["delete", "undelete", "destroy"] {
            out.push((format!("{mount}/{p}/{key}"), vec!["update"]));
        }
    }
    out
}

impl Rule for WrongKvVersionPath {
    fn id(&self) -> &'static str {
        "XSR005"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let mounts = inv.kv_mounts();
        for sp in inv.policies() {
            let Ok(policy) = &sp.parsed else {
                continue;
            };
            let doc = inv.policy_doc(sp);
            for rule in policy.rules.iter().filter(|r| !r.templated) {
                let path = rule.raw_path.strip_prefix('/').unwrap_or(&rule.raw_path);
                let Some(fact) = mounts.lookup(cx.config, path) else {
                    continue;
                };
                let m = &fact.mount;
                let rem = &path[m.len() + 1..];
                if rem.is_empty() || rem == "*" || rem.starts_with('+') {
                    continue;
                }
                let deny = rule.caps.is_deny();
                if !deny && rule.caps.is_empty() {
                    continue;
                }
                let label = policy_label(doc, policy);
                let at = Location::new(doc.path.clone(), rule.path_span);
                let raw = &rule.raw_path;
                let f = if fact.version == 2 {
                    if is_v2_shaped(rem, rule.kind) {
                        continue;
                    }
                    if deny {
                        let paths: Vec<String> =
                            ["data", "metadata", "delete", "undelete", "destroy"]
                                .iter()
                                .map(|p| format!("`{m}/{p}/{rem}`"))
                                .collect();
                        out.report(at, format!(
                            "{label}: `deny` on `{raw}` denies nothing: on the {} requests go to {}, which this path does not match, so whatever other rules grant there stays granted; deny those paths instead",
                            fact.describe(),
                            paths.join(", ")
                        ))
                        .severity(Severity::High)
                    } else {
                        let fix: Vec<String> = v2_equivalents(m, rem, rule)
                            .into_iter()
                            .map(|(p, caps)| {
                                format!("path \"{p}\" {{ capabilities = {} }}", caps_list(&caps))
                            })
                            .collect();
                        out.report(at, format!(
                            "{label}: `{raw}` is a KV v1-style path on the {}: no KV v2 request matches it, so it grants nothing (403); write {}",
                            fact.describe(),
                            fix.join(" and ")
                        ))
                    }
                } else {
                    let Some(key) = rem
                        .strip_prefix("data/")
                        .or_else(|| rem.strip_prefix("metadata/"))
                    else {
                        continue;
                    };
                    let what = if deny { "denies" } else { "grants" };
                    let f = out.report(at, format!(
                        "{label}: `{raw}` is a KV v2-style path on the {}: it {what} only keys literally under `{m}/{}/`; the v1 path is `{m}/{key}`",
                        fact.describe(),
                        &rem[..rem.find('/').unwrap_or(rem.len())],
                    ));
                    if deny {
                        f.severity(Severity::High);
                    }
                    f
                };
                f.identity(format!(
                    "{}#policy:{}:{}:kv-version",
                    doc.path, policy.name, raw
                ));
                if let Some(l) = fact.location() {
                    f.related(l.clone(), format!("mount `{m}/` declared here"));
                }
                add_container(f, doc);
            }
        }
    }
}
