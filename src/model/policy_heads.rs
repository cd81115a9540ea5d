//! Which policies of the scan set can govern a request path, by the path's first segment.
//!
//! The probing policy rules (POL002–POL006) ask each policy's ACL about paths under a few
//! mounts (`sys/`, `auth/`, `identity/`, …), while most policies grant under others
//! (`secret/`, `pki/`, …). Five rules walking every policy to find that out touched each
//! policy's rules five times; this index is built once and hands each rule only the
//! policies whose rules reach one of its first segments.

use crate::model::policies::ScannedPolicy;
use crate::policy::{PathRule, RuleKind};
use foldhash::{HashMap, HashMapExt};

/// The first path segments a policy's rules can govern, or `None` when a rule's first
/// segment is open (`+`, a glob within it, a template): then any path may be governed.
/// Never leaves out a segment some rule reaches, so a path outside the set has no governing
/// rule and the ACL need not be asked.
pub fn governed_heads(rules: &[PathRule]) -> Option<Vec<&str>> {
    let mut heads = Vec::new();
    collect_heads(rules, &mut heads).then_some(heads)
}

/// [`governed_heads`] into `heads` (cleared first, sorted and without repeats after), so the
/// index reuses one buffer for every policy; false when a rule's first segment is open.
fn collect_heads<'r>(rules: &'r [PathRule], heads: &mut Vec<&'r str>) -> bool {
    heads.clear();
    for r in rules {
        let path = r.path.trim_start_matches('/');
        let head = match path.split_once('/') {
            // A `Prefix` key keeps its `/`, so `secret/` reaches only `secret`; a `Segment`
            // key's first segment is literal unless it is `+`.
            Some((first, _)) => first,
            // One segment: exact, or open (`sys*` reaches `system`, `+` reaches anything).
            None if r.kind == RuleKind::Exact => path,
            None => return false,
        };
        if head.contains(['+', '*', '{']) {
            return false;
        }
        heads.push(head);
    }
    heads.sort_unstable();
    heads.dedup();
    true
}

/// Policies (indices into `Inventory::policies`) by the first segments their rules govern.
#[derive(Debug, Default)]
pub struct PolicyHeads {
    /// Literal first segment → the policies with a rule reaching it, ascending.
    by_head: HashMap<String, Vec<usize>>,
    /// Policies whose [`governed_heads`] is `None` (some rule reaches any first segment),
    /// ascending.
    open: Vec<usize>,
}

impl PolicyHeads {
    /// Indexes every policy once.
    pub fn build(policies: &[ScannedPolicy]) -> PolicyHeads {
        let mut index = PolicyHeads {
            by_head: HashMap::new(),
            open: Vec::new(),
        };
        let mut heads = Vec::new();
        for (i, sp) in policies.iter().enumerate() {
            if !collect_heads(sp.rules(), &mut heads) {
                index.open.push(i);
                continue;
            }
            for &head in &heads {
                // A scan set has a few dozen distinct heads: allocate a key only for a new one.
                match index.by_head.get_mut(head) {
                    Some(list) => list.push(i),
                    None => {
                        index.by_head.insert(head.to_owned(), vec![i]);
                    }
                }
            }
        }
        index
    }

    /// The policies, ascending and each once, that may govern a path whose first segment is
    /// one of `heads`: every policy not listed has [`governed_heads`] `Some(h)` with no
    /// element of `heads` in `h`.
    pub fn reaching(&self, heads: &[&str]) -> Vec<usize> {
        let mut found: Vec<usize> = self.open.clone();
        let mut seen: Vec<&str> = Vec::with_capacity(heads.len());
        for head in heads {
            // Probe classes repeat their first segment (`sys` fifteen times for POL006).
            if seen.contains(head) {
                continue;
            }
            seen.push(head);
            found.extend(self.by_head.get(*head).into_iter().flatten());
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy_text;
    use std::sync::Arc;

    fn scanned(i: usize, text: &str) -> ScannedPolicy {
        ScannedPolicy {
            file: i,
            doc: 0,
            path: Arc::from("p.hcl"),
            name: format!("p{i}"),
            parsed: parse_policy_text(&format!("p{i}"), "p.hcl", text),
            acl: None,
        }
    }

    /// `reaching` lists exactly the policies a walk over all of them would keep, over
    /// policies of exact, prefix, `+`, templated and leading-`/` rules, an empty one and a
    /// rejected one, and head lists with repeats, unknown heads and the empty head.
    #[test]
    fn reaching_matches_a_walk_over_every_policy() {
        let keys = [
            "sys/raw/*",
            "secret/data/x",
            "auth/+/login",
            "+/foo",
            "sys*",
            "identity",
            "/sys/mounts",
            "x/{{identity.entity.id}}/y",
            "pki/",
            "s",
            "",
        ];
        let mut policies = Vec::new();
        for (i, k1) in keys.iter().enumerate() {
            for k2 in &keys[i..] {
                let text = format!(
                    "path {k1:?} {{ capabilities = [\"read\"] }}\npath {k2:?} {{ capabilities = [\"list\"] }}"
                );
                policies.push(scanned(policies.len(), &text));
            }
        }
        policies.push(scanned(policies.len(), ""));
        policies.push(scanned(policies.len(), "path \"a\" { capabilities = 3 }"));
        assert!(policies.last().unwrap().parsed.is_err());
        let index = PolicyHeads::build(&policies);
        let lists: [&[&str]; 7] = [
            &["sys"],
            &["sys", "sys", "auth"],
            &["identity", "secret"],
            &["nothing"],
            &[],
            &[""],
            &["s", "pki", "x", "foo"],
        ];
        for heads in lists {
            let walk: Vec<usize> = (0..policies.len())
                .filter(|&i| {
                    governed_heads(policies[i].rules())
                        .is_none_or(|h| heads.iter().any(|x| h.contains(x)))
                })
                .collect();
            assert_eq!(index.reaching(heads), walk, "heads {heads:?}");
        }
    }
}
