//! Which rules of a policy can take part in a decision, found without building an ACL.
//!
//! Every kind of rule compares the part of its pattern before the first `+` or `*` literally:
//! an exact rule its whole key, a prefix rule its start, a `+` rule the segments before the
//! first `+`. So every request path a rule matches begins with that part, its *literal
//! prefix*, once leading `/`s are trimmed as [`crate::policy::Acl::decide`] trims them. Two
//! rules whose literal prefixes are not prefix-related match no path in common, and a rule
//! whose literal prefix does not begin a path cannot govern it.
//!
//! Rules that judge a role's whole policy set (POL012, XSR006) use this to leave out the
//! rules that cannot matter: a policy shared by every role would otherwise be built into an
//! ACL once per role, quadratic in a scan of many roles sharing one large policy.

use crate::policy::PathRule;

/// A pattern's text before its first `+` or `*`, leading `/`s trimmed.
pub fn literal_prefix(pattern: &str) -> &str {
    let pattern = pattern.trim_start_matches('/');
    &pattern[..pattern.find(['+', '*']).unwrap_or(pattern.len())]
}

/// The literal prefixes of one policy's rules, sorted for range queries. Templated rules
/// are left out: the ACL drops them (they cannot be resolved offline).
#[derive(Debug, Default)]
pub struct LiteralPrefixes<'a> {
    /// (literal prefix, index of the rule in the policy), sorted.
    sorted: Vec<(&'a str, usize)>,
    /// The longest prefix: no longer start of a path can be one.
    longest: usize,
}

impl<'a> LiteralPrefixes<'a> {
    pub fn new(rules: &'a [PathRule]) -> LiteralPrefixes<'a> {
        let mut sorted: Vec<(&str, usize)> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.templated)
            .map(|(i, r)| (literal_prefix(&r.path), i))
            .collect();
        sorted.sort_unstable();
        let longest = sorted.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
        LiteralPrefixes { sorted, longest }
    }

    /// The rules that may match `path` (a request path, or another rule's literal prefix):
    /// those whose literal prefix begins it. Unordered; each rule once.
    pub fn beginning<'s>(&'s self, path: &'s str) -> impl Iterator<Item = usize> + 's {
        let path = path.trim_start_matches('/');
        let ends = (0..=path.len().min(self.longest)).filter(move |&k| path.is_char_boundary(k));
        ends.flat_map(move |k| self.equal_to(&path[..k]))
    }

    /// The rules whose literal prefix is exactly `text`.
    fn equal_to<'s>(&'s self, text: &'s str) -> impl Iterator<Item = usize> + 's {
        let from = self.sorted.partition_point(|&(p, _)| p < text);
        self.sorted[from..]
            .iter()
            .take_while(move |&&(p, _)| p == text)
            .map(|&(_, i)| i)
    }

    /// Whether some rule here may match a path that a rule with literal prefix `prefix`
    /// also matches: one of the two prefixes begins the other. `false` proves the two
    /// match no path in common.
    pub fn may_share_a_path(&self, prefix: &str) -> bool {
        let prefix = prefix.trim_start_matches('/');
        let from = self.sorted.partition_point(|&(p, _)| p < prefix);
        let extends = self
            .sorted
            .get(from)
            .is_some_and(|&(p, _)| p.starts_with(prefix));
        extends || self.beginning(prefix).next().is_some()
    }
}

/// Patterns and paths over one small alphabet (exact, prefix and `+` rules, a `+` inside a
/// segment, an interior `*`, leading `/`s, a templated key, empty paths), shared by the
/// tests of everything that relies on literal prefixes.
#[cfg(test)]
pub(crate) mod samples {
    pub(crate) const PATTERNS: &[&str] = &[
        "secret/data/app",
        "secret/data/app*",
        "secret/data/+/x",
        "secret/+/app/*",
        "+/data/*",
        "+",
        "*",
        "secret/a+b/c",
        "secret/da*ta/x",
        "/secret/data/app*",
        "//secret/x",
        "secret/",
        "secret*",
        "auth/+/role/+",
        "kv/app1*",
        "kv/app1",
        "kv/app10/+",
        "sys/policy",
        "{{identity.entity.id}}/x",
    ];

    pub(crate) const PATHS: &[&str] = &[
        "secret/data/app",
        "secret/data/app/x",
        "secret/data/apple",
        "/secret/data/app",
        "//secret/data/app2",
        "secret/data/z/x",
        "secret/v/app/y",
        "kv/data/q",
        "secret",
        "secret/",
        "secret/a+b/c",
        "secret/da*ta/x",
        "auth/k8s/role/r",
        "kv/app10",
        "kv/app10/z",
        "kv/app1",
        "sys/policy",
        "",
        "/",
        "secret/x",
        "ünï/cödé",
    ];
}

#[cfg(test)]
mod tests {
    use super::samples::{PATHS, PATTERNS};
    use super::*;
    use crate::policy::{parse_policy_text, Acl, Policy, Step};

    fn policy(patterns: &[&str]) -> Policy {
        let text: String = patterns
            .iter()
            .map(|p| format!("path \"{p}\" {{\n  capabilities = [\"read\"]\n}}\n"))
            .collect();
        parse_policy_text("p", "p.hcl", &text).expect("parses")
    }

    fn matches(rule: &PathRule, path: &str) -> bool {
        let one = Policy {
            name: "one".into(),
            source: "".into(),
            rules: vec![rule.clone()],
        };
        let acl = Acl::new(std::slice::from_ref(&one)).expect("builds");
        acl.decide(path, false).step != Step::NoMatch
    }

    /// Every rule that matches a path is among those `beginning` hands for it, and a
    /// templated rule never is.
    #[test]
    fn beginning_hands_every_rule_that_matches() {
        let p = policy(PATTERNS);
        let index = LiteralPrefixes::new(&p.rules);
        for path in PATHS {
            let handed: Vec<usize> = index.beginning(path).collect();
            for (i, r) in p.rules.iter().enumerate() {
                if matches(r, path) {
                    assert!(handed.contains(&i), "{} matches {path:?}", r.raw_path);
                }
                if r.templated {
                    assert!(!handed.contains(&i), "templated {}", r.raw_path);
                }
            }
            let mut unique = handed.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), handed.len(), "{path}: a rule handed twice");
        }
    }

    /// Two rules that match a path in common are always reported as possibly sharing one.
    #[test]
    fn rules_sharing_a_path_are_never_told_apart() {
        let p = policy(PATTERNS);
        for (i, a) in p.rules.iter().enumerate() {
            if a.templated {
                continue;
            }
            for (j, b) in p.rules.iter().enumerate() {
                let shared = PATHS
                    .iter()
                    .any(|path| matches(a, path) && matches(b, path));
                let one = std::slice::from_ref(b);
                let index = LiteralPrefixes::new(one);
                if shared && !b.templated {
                    assert!(
                        index.may_share_a_path(literal_prefix(&a.path)),
                        "{} ({i}) and {} ({j}) share a path",
                        a.raw_path,
                        b.raw_path
                    );
                }
            }
        }
        let index = LiteralPrefixes::new(&p.rules[..1]);
        assert!(!index.may_share_a_path("kv/"));
        assert!(index.may_share_a_path("secret/d"));
        assert!(index.may_share_a_path("secret/data/app/more"));
    }

    #[test]
    fn literal_prefixes_trim_leading_slashes_and_stop_at_wildcards() {
        assert_eq!(literal_prefix("//secret/+/x"), "secret/");
        assert_eq!(literal_prefix("secret/da*ta"), "secret/da");
        assert_eq!(literal_prefix("+"), "");
        assert_eq!(literal_prefix("kv/app"), "kv/app");
    }
}
