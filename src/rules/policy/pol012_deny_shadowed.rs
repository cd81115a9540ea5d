//! POL012 — Deny shadowed by a more specific allow ("deny doesn't win"): a `deny` rule whose
//! pattern matches a path that the ACL hands to a *different* rule with non-deny capabilities
//! (an exact rule, a longer prefix, a higher-priority `+` rule). Vault merges capabilities only
//! across identical path strings; among different patterns only the highest-priority match
//! counts (§2.3). The probe paths are concrete instances of every rule involved, and the
//! question "which rule governs" is the ACL's.
//!
//! Checked for each policy alone, and for each auth role's `token_policies` set when two or
//! more of its policies are in the scan set (the allow may live in another policy attached to
//! the same principal). Each deny is reported once.

use super::{caps_text, instances, label, rule_acl, rule_matches, show, unique};
use crate::model::inventory::Inventory;
use crate::model::policies::ScannedPolicy;
use crate::policy::prefixes::{literal_prefix, LiteralPrefixes};
use crate::policy::{Acl, Policy};
use crate::rules::{Context, Emitter, Rule};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

pub struct DenyShadowed;

/// The denies of each policy of the scan set that can be judged (not templated), by
/// index into its rules.
fn denies_of(all: &[ScannedPolicy]) -> Vec<Vec<usize>> {
    all.iter()
        .map(|sp| {
            let rules = sp.rules().iter().enumerate();
            rules
                .filter(|(_, r)| r.caps.is_deny() && !r.templated)
                .map(|(ri, _)| ri)
                .collect()
        })
        .collect()
}

/// Whether a policy of `set` still has a deny to judge: one not reported yet. Most policies
/// have none, and then neither their probe paths nor (for a role's set) a combined ACL need
/// be built.
fn has_open_deny(denies: &[Vec<usize>], set: &[usize], done: &HashSet<(usize, usize)>) -> bool {
    set.iter()
        .any(|&pi| denies[pi].iter().any(|&ri| !done.contains(&(pi, ri))))
}

/// Whether a role's set may shadow a deny its own policy does not: some open deny of one
/// policy of the set may match a path that a rule of another policy of the set matches.
///
/// When none may, the combined ACL decides every path a deny matches exactly as the deny's
/// own policy alone does (the other policies' rules match none of those paths, so they
/// neither govern one nor merge into an entry that does), and that policy was judged alone
/// already: the set can add no finding. Checking this first keeps a policy every role shares
/// from being built into an ACL, and probed, once per role.
fn may_shadow_across<'a>(
    all: &'a [ScannedPolicy],
    denies: &[Vec<usize>],
    prefixes: &mut HashMap<usize, LiteralPrefixes<'a>>,
    set: &[usize],
    done: &HashSet<(usize, usize)>,
) -> bool {
    set.iter().any(|&pi| {
        denies[pi]
            .iter()
            .filter(|&&ri| !done.contains(&(pi, ri)))
            .any(|&ri| {
                let deny = literal_prefix(&all[pi].rules()[ri].path);
                set.iter().filter(|&&other| other != pi).any(|&other| {
                    prefixes
                        .entry(other)
                        .or_insert_with(|| LiteralPrefixes::new(all[other].rules()))
                        .may_share_a_path(deny)
                })
            })
    })
}

/// Reports the shadowed denies of `set` (indices into `inv.policies()`) under `acl`, built
/// from the same policies in the same order. `via` names the role for a combined set.
fn check_set(
    all: &[ScannedPolicy],
    set: &[usize],
    acl: &Acl,
    via: Option<(crate::location::Location, String)>,
    done: &mut HashSet<(usize, usize)>,
    out: &mut Emitter,
) {
    let probes = unique(
        set.iter()
            .flat_map(|&i| all[i].rules().iter().flat_map(instances)),
    );
    let by_text = ProbeIndex::new(&probes);
    for (k, &pi) in set.iter().enumerate() {
        let sp = &all[pi];
        for (ri, deny) in sp.rules().iter().enumerate() {
            if !deny.caps.is_deny() || deny.templated || done.contains(&(pi, ri)) {
                continue;
            }
            let own = rule_acl(deny);
            let shadow = by_text
                .starting_with(literal_prefix(&deny.path))
                .into_iter()
                .map(|i| &probes[i])
                .filter(|p| rule_matches(&own, p))
                .find_map(|p| {
                    let entry = acl.entry(acl.decide(p, false).governing)?;
                    if entry.caps.is_deny() || entry.caps.is_empty() {
                        return None;
                    }
                    let &(ak, ai) = entry.sources.first()?;
                    // For a combined set, only allows from another policy are new facts.
                    (via.is_none() || ak != k).then_some((p, ak, ai, entry.caps))
                });
            let Some((p, ak, ai, caps)) = shadow else {
                continue;
            };
            done.insert((pi, ri));
            let other = &all[set[ak]];
            let allow = &other.rules()[ai];
            let in_policy = if via.is_some() {
                format!(" in policy {:?}", other.name)
            } else {
                String::new()
            };
            let f = out.report(
                sp.location(deny.path_span),
                format!(
                    "the deny of {} does not apply to `{}`: {}{in_policy} ({}) governs that path — Vault uses only the highest-priority matching rule, and deny wins only among rules with the identical path",
                    label(deny),
                    show(p),
                    label(allow),
                    caps_text(caps)
                ),
            );
            f.related(
                other.location(allow.path_span),
                format!("{} wins for `{}`", label(allow), show(p)),
            )
            .identity(format!(
                "policy {}: path {}: shadowed",
                sp.name, deny.raw_path
            ));
            if let Some((loc, role)) = &via {
                f.related(
                    loc.clone(),
                    format!("{role} attaches both policies to the same tokens"),
                );
            }
        }
    }
}

/// The probe paths sorted by text, so each deny tests only the probes that begin with its
/// [`literal_prefix`]: one policy of thousands of rules otherwise tested every deny against
/// every probe.
struct ProbeIndex<'p> {
    /// (probe with its leading `/`s trimmed, index in the probe list), sorted.
    sorted: Vec<(&'p str, usize)>,
}

impl<'p> ProbeIndex<'p> {
    fn new(probes: &'p [String]) -> ProbeIndex<'p> {
        let mut sorted: Vec<(&str, usize)> = probes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.trim_start_matches('/'), i))
            .collect();
        sorted.sort_unstable();
        ProbeIndex { sorted }
    }

    /// The indices, in probe-list order, of the probes that begin with `prefix`: in sorted
    /// order they are one run, from the first not less than `prefix`.
    fn starting_with(&self, prefix: &str) -> Vec<usize> {
        let from = self.sorted.partition_point(|&(text, _)| text < prefix);
        let mut found: Vec<usize> = self.sorted[from..]
            .iter()
            .take_while(|(text, _)| text.starts_with(prefix))
            .map(|&(_, i)| i)
            .collect();
        found.sort_unstable();
        found
    }
}

/// Policy name → index of the first policy of that name that parses, from `(name, parses)`
/// in `inv.policies()` order: what a search of the list for the name would find, without
/// one pass over every policy per name a role lists.
fn usable_by_name<'a>(policies: impl Iterator<Item = (&'a str, bool)>) -> HashMap<&'a str, usize> {
    let mut by_name = HashMap::new();
    for (i, (name, parses)) in policies.enumerate() {
        if parses {
            by_name.entry(name).or_insert(i);
        }
    }
    by_name
}

/// The policies (indices) a role's `token_policies` names, in the order first named, each
/// once; names without a usable policy in the scan set are left out.
fn role_set<'a>(
    by_name: &HashMap<&str, usize>,
    names: impl Iterator<Item = &'a str>,
) -> Vec<usize> {
    let mut set: Vec<usize> = Vec::new();
    for i in names.filter_map(|n| by_name.get(n).copied()) {
        // A role names a handful of policies: a linear check keeps their first-named order.
        if !set.contains(&i) {
            set.push(i);
        }
    }
    set
}

impl Rule for DenyShadowed {
    fn id(&self) -> &'static str {
        "POL012"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let all = inv.policies();
        let denies = denies_of(all);
        let mut done = HashSet::new();
        for (pi, sp) in all.iter().enumerate() {
            let Some(acl) = sp.acl.as_ref().filter(|a| !a.is_root()) else {
                continue;
            };
            if has_open_deny(&denies, &[pi], &done) {
                check_set(all, &[pi], acl, None, &mut done, out);
            }
        }
        let by_name = usable_by_name(all.iter().map(|p| (p.name.as_str(), p.parsed.is_ok())));
        let mut prefixes = HashMap::new();
        for role in &inv.vault_roles().roles {
            let Some(field) = role.get("token_policies") else {
                continue;
            };
            let set = role_set(&by_name, field.items.iter().map(|i| i.text.as_str()));
            if set.len() < 2 || !may_shadow_across(all, &denies, &mut prefixes, &set, &done) {
                continue;
            }
            let policies: Vec<Policy> = set
                .iter()
                .filter_map(|&i| all[i].parsed.as_ref().ok().cloned())
                .collect();
            let Ok(acl) = Acl::new(&policies) else {
                continue;
            };
            if acl.is_root() {
                continue;
            }
            let via = (role.location(field.span), role.display());
            check_set(all, &set, &acl, Some(via), &mut done, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The set a search of the whole list formed: first policy of the name that parses,
    /// first-named order, each index once.
    fn brute_set(policies: &[(&str, bool)], names: &[&str]) -> Vec<usize> {
        let mut set = Vec::new();
        for n in names {
            if let Some(i) = policies.iter().position(|&(p, ok)| p == *n && ok) {
                if !set.contains(&i) {
                    set.push(i);
                }
            }
        }
        set
    }

    /// Every probe a deny's pattern matches is among those the index hands it, over exact,
    /// prefix and `+` patterns (a `+` inside a segment, an interior `*`, a leading `/`, a
    /// pattern that is all wildcard) and probes with and without leading slashes; and the
    /// index hands exactly the probes that begin with the prefix, in probe order.
    #[test]
    fn probe_index_keeps_every_probe_a_pattern_matches() {
        use crate::policy::parse::parse_policy_text;
        use crate::policy::prefixes::samples::{PATHS, PATTERNS};
        let probes: Vec<String> = PATHS.iter().map(|s| s.to_string()).collect();
        let index = ProbeIndex::new(&probes);
        for pattern in PATTERNS {
            let text = format!("path \"{pattern}\" {{\n  capabilities = [\"deny\"]\n}}\n");
            let policy = parse_policy_text("p", "p.hcl", &text).expect("parses");
            let rule = &policy.rules[0];
            let prefix = literal_prefix(&rule.path);
            let handed = index.starting_with(prefix);
            let wanted: Vec<usize> = (0..probes.len())
                .filter(|&i| probes[i].trim_start_matches('/').starts_with(prefix))
                .collect();
            assert_eq!(handed, wanted, "{pattern}");
            let own = rule_acl(rule);
            for (i, p) in probes.iter().enumerate() {
                if rule_matches(&own, p) {
                    assert!(
                        handed.contains(&i),
                        "{pattern} matches {p:?} outside {prefix:?}"
                    );
                }
            }
        }
    }

    /// Many roles share a policy of denies; only the role whose own policy holds an allow
    /// that outranks a shared deny adds a finding (the others' policies match no path a deny
    /// matches, so their sets are not built into ACLs), and the deny is reported once.
    #[test]
    fn a_shared_deny_is_judged_with_each_role_that_can_shadow_it() {
        use crate::engine::config::Config;
        use crate::model::file::load_text;
        use crate::source::classify::Format;
        let rule = |path: &str, caps: &str| {
            format!("path \"{path}\" {{\n  capabilities = [\"{caps}\"]\n}}\n")
        };
        let mut files = vec![load_text(
            "common.hcl",
            rule("secret/data/shared/*", "deny") + &rule("kv/+/admin", "deny"),
            Some(Format::Hcl),
        )];
        let mut tf = String::new();
        for (i, own) in [
            "secret/data/app0/*",
            "secret/data/shared/app1/*",
            "kv/team/admin",
            "kv/team/",
            "secret/data/app4/*",
        ]
        .iter()
        .enumerate()
        {
            files.push(load_text(
                &format!("app{i}.hcl"),
                rule(own, "read"),
                Some(Format::Hcl),
            ));
            tf.push_str(&format!(
                "resource \"vault_kubernetes_auth_backend_role\" \"app{i}\" {{\n  role_name = \"app{i}\"\n  token_policies = [\"app{i}\", \"common\"]\n}}\n"
            ));
        }
        files.push(load_text("roles.tf", tf, Some(Format::Terraform)));
        let inv = Inventory::new(files, "default", &[]);
        let config = Config::default();
        let mut out = Emitter::new("POL012");
        DenyShadowed.check(&inv, &Context { config: &config }, &mut out);
        let found: Vec<(String, u32, String)> = out
            .findings
            .iter()
            .map(|f| {
                (
                    f.location.path.to_string(),
                    f.location.span.start.line,
                    f.related[0].location.path.to_string(),
                )
            })
            .collect();
        // `secret/data/shared/app1/*` outranks the shared deny (app1); the exact
        // `kv/team/admin` outranks `kv/+/admin` (app2). app3's `kv/team/` prefix shares
        // paths with `kv/+/admin` but does not outrank it.
        assert_eq!(
            found,
            [
                ("common.hcl".to_owned(), 1, "app1.hcl".to_owned()),
                ("common.hcl".to_owned(), 4, "app2.hcl".to_owned()),
            ]
        );
    }

    /// Duplicate names (first parsing one wins, a broken first one is passed over), a name
    /// only broken policies carry, names listed twice, missing names and the empty name.
    #[test]
    fn role_set_matches_a_search_of_every_policy() {
        let policies = [
            ("a", true),
            ("b", false),
            ("c", true),
            ("b", true),
            ("a", true),
            ("broken", false),
            ("c", false),
            ("", true),
            ("b", true),
        ];
        let by_name = usable_by_name(policies.iter().copied());
        let lists: [&[&str]; 6] = [
            &["a", "b", "c"],
            &["b", "a", "b", "a"],
            &["broken", "missing"],
            &["c", "", "x", "c", "a"],
            &[],
            &["missing", "b", "broken", "a"],
        ];
        for names in lists {
            let got = role_set(&by_name, names.iter().copied());
            assert_eq!(got, brute_set(&policies, names), "names {names:?}");
        }
        assert_eq!(role_set(&by_name, ["b", "a"].into_iter()), vec![3, 0]);
    }
}
