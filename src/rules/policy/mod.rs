//! Rules of the `policy` family (RULES-SPEC §1(c)): Vault/OpenBao ACL policies, read once into
//! [`crate::model::policies`] and judged through the offline ACL evaluator
//! ([`crate::policy::Acl`]) — one implementation of Vault's path matching (§2) for every rule.
//!
//! Escalation rules (POL002–POL006) *probe*: they ask the policy's ACL which rule governs
//! representative request paths (templates such as `auth/<m>/config`, expanded with the mount
//! names the policy itself uses, plus one concrete instance of every rule's own pattern) and
//! report at the governing rule's `path` label.

mod kv;
mod pol001_root_equivalent_wildcard;
mod pol002_policy_self_escalation;
mod pol003_token_minting;
mod pol004_auth_config_writable;
mod pol005_identity_writable;
mod pol006_dangerous_sys_endpoints;
mod pol007_sudo_outside_admin;
mod pol008_interior_star_literal;
mod pol009_unbounded_glob;
mod pol010_mount_wide_grant;
mod pol012_deny_shadowed;
mod pol013_deny_with_other_caps;
mod pol014_rejected_policy;
mod pol015_default_broadened;
mod pol016_mutable_template;

use crate::model::inventory::Inventory;
use crate::model::policies::ScannedPolicy;
use crate::model::policy_heads::governed_heads;
use crate::policy::{Acl, Capability, Caps, PathRule, Policy, RuleKind};
use crate::rules::{Emitter, Rule, Severity};
use std::collections::BTreeMap;
use std::sync::Arc;

pub fn rules() -> Vec<Box<dyn Rule>> {
    let own: Vec<Box<dyn Rule>> = vec![
        Box::new(pol001_root_equivalent_wildcard::RootEquivalentWildcard),
        Box::new(pol002_policy_self_escalation::PolicySelfEscalation),
        Box::new(pol003_token_minting::TokenMinting),
        Box::new(pol004_auth_config_writable::AuthConfigWritable),
        Box::new(pol005_identity_writable::IdentityWritable),
        Box::new(pol006_dangerous_sys_endpoints::DangerousSysEndpoints),
        Box::new(pol007_sudo_outside_admin::SudoOutsideAdmin),
        Box::new(pol008_interior_star_literal::InteriorStarLiteral),
        Box::new(pol009_unbounded_glob::UnboundedGlob),
        Box::new(pol010_mount_wide_grant::MountWideGrant),
        Box::new(pol012_deny_shadowed::DenyShadowed),
        Box::new(pol013_deny_with_other_caps::DenyWithOtherCaps),
        Box::new(pol014_rejected_policy::RejectedPolicy),
        Box::new(pol015_default_broadened::DefaultBroadened),
        Box::new(pol016_mutable_template::MutableTemplate),
    ];
    // KV-version-aware rules (POL011, XSR005) live in `kv`, beside the mount model they need.
    own.into_iter().chain(kv::rules()).collect()
}

/// The placeholder segment probes use; shown to users as `<name>`.
pub(crate) const PROBE: &str = "__probe__";

/// "Write-ish" capabilities W = {create, update, patch, delete, sudo} (§1(c)).
pub(crate) fn has_w(caps: Caps) -> bool {
    !caps.is_deny()
        && [
            Capability::Create,
            Capability::Update,
            Capability::Patch,
            Capability::Delete,
            Capability::Sudo,
        ]
        .into_iter()
        .any(|c| caps.contains(c))
}

/// Any non-deny capability.
pub(crate) fn has_any(caps: Caps) -> bool {
    !caps.is_deny() && !caps.is_empty()
}

/// `path "<as written>"`, for messages.
pub(crate) fn label(rule: &PathRule) -> String {
    format!("path {:?}", rule.raw_path)
}

/// A probe path as shown to users.
pub(crate) fn show(probe: &str) -> String {
    probe.replace(PROBE, "<name>")
}

/// The capabilities of a bitmap, `read, list`.
pub(crate) fn caps_text(caps: Caps) -> String {
    caps.names().join(", ")
}

/// The ACL of a token holding only this one rule (how the rule's own pattern matches).
pub(crate) fn rule_acl(rule: &PathRule) -> Acl {
    let p = Policy {
        name: "__rule__".into(),
        source: Arc::from(""),
        rules: vec![rule.clone()],
    };
    Acl::new(std::slice::from_ref(&p)).expect("a one-rule ACL builds")
}

/// True when `rule` alone matches `path`.
pub(crate) fn rule_matches(acl: &Acl, path: &str) -> bool {
    acl.decide(path, false).step != crate::policy::Step::NoMatch
}

/// POL001's test: the rule's pattern matches request paths on every mount — the three
/// representative probes of RULES-SPEC (`secret/data/x`, `sys/policies/acl/x`,
/// `auth/token/create`), or every single-segment path (`+`).
pub(crate) fn root_equivalent(rule: &PathRule) -> bool {
    if rule.templated {
        return false;
    }
    let acl = rule_acl(rule);
    let all = |ps: &[&str]| ps.iter().all(|p| rule_matches(&acl, p));
    all(&["secret/data/x", "sys/policies/acl/x", "auth/token/create"])
        || all(&["secret", "sys", "auth", "identity"])
}

/// [`root_equivalent`] remembered per pattern: building a one-rule ACL per rule of every
/// policy was most of POL001's time, and policies repeat the same patterns.
#[derive(Default)]
pub(crate) struct RootEquivalence<'a> {
    seen: foldhash::HashMap<(&'a str, RuleKind, Caps, bool), bool>,
}

impl<'a> RootEquivalence<'a> {
    pub(crate) fn of(&mut self, rule: &'a PathRule) -> bool {
        *self
            .seen
            .entry((&rule.path, rule.kind, rule.caps, rule.templated))
            .or_insert_with(|| root_equivalent(rule))
    }
}

/// Concrete paths a rule's pattern matches: `+` segments filled in, a trailing glob both empty
/// and filled in.
pub(crate) fn instances(rule: &PathRule) -> Vec<String> {
    if rule.templated {
        return Vec::new();
    }
    let fill = |p: &str| {
        p.split('/')
            .map(|s| if s == "+" { PROBE } else { s })
            .collect::<Vec<_>>()
            .join("/")
    };
    match rule.kind {
        RuleKind::Exact => vec![rule.path.clone()],
        RuleKind::Prefix => vec![format!("{}{PROBE}", rule.path), rule.path.clone()],
        RuleKind::Segment { is_prefix } => {
            let base = if is_prefix {
                rule.path.strip_suffix('*').unwrap_or(&rule.path)
            } else {
                &rule.path
            };
            let base = fill(base);
            if is_prefix {
                vec![format!("{base}{PROBE}"), base]
            } else {
                vec![base]
            }
        }
    }
}

/// A class of dangerous request paths: `pattern` segments are literal, `<x>` (any name), `<m>`
/// (an auth mount: the ones the policy names, or any) or a final `<**>` (any rest, even none).
pub(crate) struct Probe {
    pub pattern: &'static str,
    pub severity: Severity,
    /// What the endpoint does, for the message.
    pub what: &'static str,
    /// Whether the governing capabilities make this dangerous.
    pub when: fn(Caps) -> bool,
}

#[cfg(test)]
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let class: Vec<&str> = pattern.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    segments_match(&class, &segments)
}

/// Whether a path (split at `/`) is in a probe class (its pattern split at `/`).
fn segments_match(class: &[&str], path: &[&str]) -> bool {
    let mut ps = path.iter();
    for seg in class {
        if *seg == "<**>" {
            return true;
        }
        let Some(p) = ps.next() else { return false };
        if seg.starts_with('<') {
            if p.is_empty() {
                return false;
            }
        } else if seg != p {
            return false;
        }
    }
    ps.next().is_none()
}

fn expand(pattern: &str, mounts: &[String]) -> Vec<String> {
    let mut out = vec![String::new()];
    for (i, seg) in pattern.split('/').enumerate() {
        let choices: Vec<String> = match seg {
            "<x>" => vec![PROBE.into()],
            "<m>" => mounts.to_vec(),
            "<**>" => {
                let mut next: Vec<String> = out.clone();
                next.extend(out.iter().map(|o| format!("{o}/{PROBE}")));
                return next;
            }
            s => vec![s.into()],
        };
        out = out
            .iter()
            .flat_map(|o| {
                choices.iter().map(move |c| {
                    if i == 0 {
                        c.clone()
                    } else {
                        format!("{o}/{c}")
                    }
                })
            })
            .collect();
    }
    out
}

/// Auth mount names the policy's rules spell out (`auth/kubernetes/…` → `kubernetes`), plus
/// the probe name for any other mount.
fn auth_mounts(rules: &[PathRule]) -> Vec<String> {
    let mut m: Vec<String> = rules
        .iter()
        .filter(|r| !r.templated)
        .filter_map(|r| r.path.strip_prefix("auth/"))
        .filter_map(|rest| rest.split('/').next())
        .filter(|s| !s.is_empty() && *s != "+" && !s.contains('*') && *s != "token")
        .map(str::to_owned)
        .collect();
    m.push(PROBE.into());
    m.sort();
    m.dedup();
    m
}

/// The distinct items, in first-seen order (so messages name the first probe of a class).
pub(crate) fn unique(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.filter(|i| seen.insert(i.clone())).collect()
}

/// Runs probe classes against every policy and reports each governing rule once, at its
/// highest severity. Root-equivalent rules are POL001's and skipped (one fact, one finding).
pub(crate) fn run_probes(inv: &Inventory, probes: &[Probe], title: &str, out: &mut Emitter) {
    // Every policy is probed by five rules, so what does not depend on the policy is worked
    // out once: each class's segments, and the paths of classes that name no auth mount.
    let classes: Vec<Vec<&str>> = probes
        .iter()
        .map(|p| p.pattern.split('/').collect())
        .collect();
    let fixed: Vec<Option<Vec<String>>> = probes
        .iter()
        .map(|p| (!p.pattern.contains("<m>")).then(|| expand(p.pattern, &[])))
        .collect();
    // A rule's instances share its pattern's first segment (`+` becomes the probe name, a
    // trailing glob only lengthens it), so a rule whose first segment starts no probe class
    // cannot yield a probed path: most of a policy's rules (`secret/…`) are skipped before
    // their instances are built.
    let firsts: Option<Vec<&str>> = classes
        .iter()
        .map(|c| (!c[0].starts_with('<')).then_some(c[0]))
        .collect();
    let may_match = |path: &str| {
        firsts
            .as_ref()
            .is_none_or(|f| f.contains(&path.split('/').next().unwrap_or("")))
    };
    // A policy none of whose rules reaches a class's first segment has no candidate path:
    // the class paths begin with those segments, and so does every instance `may_match`
    // keeps. Only the policies that reach one are visited (all of them when a class begins
    // with a placeholder).
    let policies = inv.policies();
    let visit: Vec<usize> = match &firsts {
        Some(f) => inv.policy_heads().reaching(f),
        None => (0..policies.len()).collect(),
    };
    for sp in visit.into_iter().map(|i| &policies[i]) {
        let Some(acl) = sp.acl.as_ref().filter(|a| !a.is_root()) else {
            continue;
        };
        let rules = sp.rules();
        // A probe path whose first segment no rule can reach has no governing rule: most
        // policies grant under a few mounts and are probed under `sys/`, `auth/`, ….
        let heads = governed_heads(rules);
        let reachable = |class: &[&str]| {
            class[0].starts_with('<') || heads.as_ref().is_none_or(|h| h.contains(&class[0]))
        };
        let mut mounts = None;
        let probed: Vec<std::borrow::Cow<'_, [String]>> = probes
            .iter()
            .zip(&fixed)
            .zip(&classes)
            .map(|((p, f), class)| match f {
                Some(paths) => paths.into(),
                // Every path of a class shares its literal first segment: an unreachable
                // class is not expanded over the policy's auth mounts at all.
                None if !reachable(class) => std::borrow::Cow::Borrowed(&[][..]),
                None => expand(p.pattern, mounts.get_or_insert_with(|| auth_mounts(rules))).into(),
            })
            .collect();
        let own: Vec<String> = rules
            .iter()
            .filter(|r| may_match(&r.path))
            .flat_map(instances)
            .collect();
        // Probe paths in class order, then the rules' own instances; the first path of a class
        // names it in the message.
        let candidates = probed
            .iter()
            .flat_map(|p| p.iter())
            .filter(|p| heads.as_ref().is_none_or(|h| h.contains(&first_segment(p))))
            .chain(own.iter());
        let mut seen = std::collections::HashSet::new();
        let mut segments: Vec<&str> = Vec::new();
        let mut best: BTreeMap<usize, (Severity, String)> = BTreeMap::new();
        for path in candidates {
            if !seen.insert(path.as_str()) {
                continue;
            }
            segments.clear();
            segments.extend(path.split('/'));
            let mut matching = probes
                .iter()
                .zip(&classes)
                .filter(|(_, c)| segments_match(c, &segments))
                .map(|(p, _)| p)
                .peekable();
            // Most of a policy's own paths match no probe class: skip them before asking the
            // ACL, the expensive part.
            if matching.peek().is_none() {
                continue;
            }
            let d = acl.capabilities(path);
            let Some(entry) = acl.entry(d.governing) else {
                continue;
            };
            let Some(&(_, ri)) = entry.sources.first() else {
                continue;
            };
            for p in matching {
                if !(p.when)(entry.caps) || root_equivalent(&rules[ri]) {
                    continue;
                }
                if best.get(&ri).is_some_and(|(s, _)| *s >= p.severity) {
                    continue;
                }
                let msg = format!(
                    "{} grants {} on `{}` ({}): {title}",
                    label(&rules[ri]),
                    caps_text(entry.caps),
                    show(path),
                    p.what
                );
                best.insert(ri, (p.severity, msg));
            }
        }
        for (ri, (sev, msg)) in best {
            report_rule(sp, ri, msg, sev, out);
        }
    }
}

/// The first segment of a request path, as the ACL sees it (leading `/` dropped).
fn first_segment(path: &str) -> &str {
    let path = path.trim_start_matches('/');
    path.split_once('/').map_or(path, |(first, _)| first)
}

/// Each rule of a policy that parsed, with the `path` block it was read from. The parser
/// accepts only `path` blocks at the top level and reads one rule from each, in order, so the
/// two line up one to one and the blocks need not be told apart by name again. Empty for a
/// policy that did not parse.
pub(crate) fn rules_with_blocks<'a>(
    inv: &'a Inventory,
    sp: &'a ScannedPolicy,
) -> impl Iterator<Item = (&'a PathRule, &'a crate::syntax::hcl::Block)> {
    sp.rules().iter().zip(&inv.policy_doc(sp).body.blocks)
}

/// Reports at a rule's path label.
pub(crate) fn report_rule(
    sp: &ScannedPolicy,
    ri: usize,
    msg: String,
    sev: Severity,
    out: &mut Emitter,
) {
    let rule = &sp.rules()[ri];
    out.report(sp.location(rule.path_span), msg)
        .severity(sev)
        .identity(format!("policy {}: path {}", sp.name, rule.raw_path));
}

/// True when the policy name is listed in `options: { <ID>: { <key>: [...] } }`.
pub(crate) fn listed(cx: &crate::rules::Context, id: &str, key: &str, name: &str) -> bool {
    cx.config
        .option(id, key)
        .is_some_and(|l| l.iter().any(|n| n == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(p: &str) -> PathRule {
        crate::policy::parse_policy_text(
            "p",
            "p",
            &format!("path {p:?} {{ capabilities = [\"read\"] }}"),
        )
        .unwrap()
        .rules
        .remove(0)
    }

    /// The prefilter is conservative: every path the ACL finds a governing rule for has its
    /// first segment among the heads (checked over pairs of keys of every kind).
    #[test]
    fn governed_heads_never_leave_out_a_governed_path() {
        let keys = [
            "secret/*",
            "secret/data/+/x",
            "sys*",
            "+/foo",
            "auth/token/create",
            "identity",
            "/kv/x",
            "*",
            "a/+/*",
            "+",
            "x/{{identity.entity.id}}/y",
            "sys/",
            "s",
        ];
        let paths = [
            "secret/a",
            "sys/policy/x",
            "system/x",
            "sys",
            "auth/token/create",
            "identity",
            "identity/",
            "kv/x",
            "/kv/x",
            "foo/bar",
            "q/foo",
            "a/b/c",
            "",
            "x/y",
            "s",
            "s/",
        ];
        for k1 in keys {
            for k2 in keys {
                let text = format!(
                    "path {k1:?} {{ capabilities = [\"read\"] }}\npath {k2:?} {{ capabilities = [\"list\"] }}"
                );
                let policy = crate::policy::parse_policy_text("p", "p", &text).unwrap();
                let acl = Acl::new(std::slice::from_ref(&policy)).unwrap();
                let heads = governed_heads(&policy.rules);
                for path in paths {
                    let d = acl.capabilities(path);
                    if acl.entry(d.governing).is_some() {
                        assert!(
                            heads.as_ref().is_none_or(|h| h.contains(&first_segment(path))),
                            "{k1} + {k2}: `{path}` is governed but its head is left out ({heads:?})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn root_equivalent_patterns() {
        for p in ["*", "+/*", "+", "+/+/*", "/*"] {
            assert!(root_equivalent(&rule(p)), "{p}");
        }
        for p in ["secret/*", "sys/*", "+/data/*", "a*", "secret/+/*"] {
            assert!(!root_equivalent(&rule(p)), "{p}");
        }
    }

    #[test]
    fn probe_patterns_expand_and_match() {
        let m = vec!["kubernetes".to_owned(), PROBE.to_owned()];
        assert_eq!(
            expand("auth/<m>/role/<x>", &m),
            [
                "auth/kubernetes/role/__probe__",
                "auth/__probe__/role/__probe__"
            ]
        );
        assert_eq!(expand("sys/raw/<**>", &m), ["sys/raw", "sys/raw/__probe__"]);
        assert!(pattern_matches("sys/raw/<**>", "sys/raw"));
        assert!(pattern_matches("sys/raw/<**>", "sys/raw/a/b"));
        assert!(pattern_matches("auth/<m>/config", "auth/k/config"));
        assert!(!pattern_matches("auth/<m>/config", "auth/k/config/x"));
        assert!(!pattern_matches("auth/<m>/config", "auth//config"));
    }

    #[test]
    fn instances_fill_patterns() {
        assert_eq!(
            instances(&rule("a/+/b*")),
            ["a/__probe__/b__probe__", "a/__probe__/b"]
        );
        assert_eq!(instances(&rule("a/*")), ["a/__probe__", "a/"]);
    }
}
