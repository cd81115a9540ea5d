//! Kubernetes label selectors (`metav1.LabelSelector`) with the API server's semantics:
//! `matchLabels` and `matchExpressions` are ANDed; `In`/`NotIn`/`Exists`/`DoesNotExist`;
//! an empty selector (`{}`, `matchLabels: null`) matches everything. Where the selector sits
//! decides what *absent* means (an absent `podSelector` in a policy's spec is "all pods"; an
//! absent `namespaceSelector` in a peer is "the policy's own namespace") — callers say so.

use crate::location::Span;
use crate::syntax::yaml::Node;

/// Labels of a pod or namespace (callers hold `None` when they are not known, templated in
/// a Helm chart): a map from key to value, iterated in key order.
///
/// A vector sorted by key rather than a `BTreeMap`: the model keeps one set per pod (29,933
/// at 100k files, most with one or two labels), and a B-tree allocates a full leaf (~540
/// bytes) for even one entry. Sets are small, so a binary search is as quick as the tree.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Labels(Vec<(String, String)>);

impl Labels {
    /// An empty set.
    pub fn new() -> Labels {
        Labels::default()
    }
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
    /// The value of `key`, if the set has it.
    pub fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }
    /// True when the set has `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }
    /// Sets `key` to `value`, returning the value it replaces (as `BTreeMap::insert`).
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }
    /// The labels in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    /// How many labels the set has.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when the set has no label.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, String)> for Labels {
    /// As collecting into a `BTreeMap`: in key order, the last value of a repeated key wins.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Labels {
        let mut v: Vec<(String, String)> = iter.into_iter().collect();
        // Stable, so equal keys keep their order and the last one is kept below.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(v.len());
        for (k, val) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = val,
                _ => out.push((k, val)),
            }
        }
        out.shrink_to_fit();
        Labels(out)
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl std::fmt::Debug for Labels {
    /// As a map, like the `BTreeMap` this replaced.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: Op,
    /// Values for `In`/`NotIn` (one for a `matchLabels` entry).
    pub values: Vec<String>,
    /// Where the requirement is written (the `matchLabels` key, or the expression's `key`).
    pub span: Span,
    /// True for a `matchLabels` entry, false for a `matchExpressions` entry.
    pub from_match_labels: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// A parsed selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// Requirements, all of which must hold (empty = matches everything).
    Match(Vec<Requirement>),
    /// Not evaluable: templated in a Helm chart, or rejected by the API server (the reason).
    Unknown(String),
}

impl Selector {
    /// The selector that matches everything.
    pub fn all() -> Selector {
        Selector::Match(Vec::new())
    }
    /// True for `{}`: every pod (or namespace).
    pub fn is_everything(&self) -> bool {
        matches!(self, Selector::Match(r) if r.is_empty())
    }
    /// Whether the selector matches these labels; `None` when that cannot be known.
    pub fn matches(&self, labels: Option<&Labels>) -> Option<bool> {
        match self {
            Selector::Unknown(_) => None,
            Selector::Match(reqs) if reqs.is_empty() => Some(true),
            Selector::Match(reqs) => {
                let labels = labels?;
                Some(reqs.iter().all(|r| r.matches(labels)))
            }
        }
    }
    /// A short rendering for messages and `netpol explain` (`app=web, tier in (a,b)`).
    pub fn describe(&self) -> String {
        match self {
            Selector::Unknown(why) => format!("<not evaluated: {why}>"),
            Selector::Match(r) if r.is_empty() => "{} (everything)".into(),
            Selector::Match(reqs) => reqs
                .iter()
                .map(Requirement::describe)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl Requirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        let v = labels.get(&self.key);
        match self.op {
            Op::In => v.is_some_and(|v| self.values.contains(v)),
            // NotIn matches pods without the key too (apimachinery `labels.Requirement`).
            Op::NotIn => v.is_none_or(|v| !self.values.contains(v)),
            Op::Exists => v.is_some(),
            Op::DoesNotExist => v.is_none(),
        }
    }
    pub fn describe(&self) -> String {
        match self.op {
            Op::In if self.from_match_labels => format!("{}={}", self.key, self.values[0]),
            Op::In => format!("{} in ({})", self.key, self.values.join(",")),
            Op::NotIn => format!("{} notin ({})", self.key, self.values.join(",")),
            Op::Exists => self.key.clone(),
            Op::DoesNotExist => format!("!{}", self.key),
        }
    }
}

/// Parses a selector node that is present. `templated` says the text under it holds Helm
/// template actions (masked away before parsing), which makes it unknown.
pub fn parse(node: &Node, templated: bool) -> Selector {
    if templated {
        return Selector::Unknown("templated".into());
    }
    if node.is_null() {
        return Selector::all();
    }
    if node.as_map().is_none() {
        return Selector::Unknown("not a mapping (the API server rejects the object)".into());
    }
    let mut reqs = Vec::new();
    for (key, e) in node.get("matchLabels").into_iter().flat_map(Node::entries) {
        let Some(value) = e.value.as_str() else {
            return Selector::Unknown(format!("matchLabels.{key} is not a string"));
        };
        reqs.push(Requirement {
            key: key.to_owned(),
            op: Op::In,
            values: vec![value.to_owned()],
            span: e.key.span,
            from_match_labels: true,
        });
    }
    for expr in node.get("matchExpressions").map(Node::items).unwrap_or(&[]) {
        let key = expr.entry("key");
        let (Some(k), Some(op)) = (
            key.and_then(|e| e.value.as_str()),
            expr.get("operator").and_then(Node::as_str),
        ) else {
            return Selector::Unknown("matchExpressions entry without key or operator".into());
        };
        let values: Vec<String> = expr
            .get("values")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        // Operators are case-sensitive in the API; validation rejects others, and rejects
        // In/NotIn without values and Exists/DoesNotExist with values.
        let op = match op {
            "In" => Op::In,
            "NotIn" => Op::NotIn,
            "Exists" => Op::Exists,
            "DoesNotExist" => Op::DoesNotExist,
            other => {
                return Selector::Unknown(format!("operator `{other}` is not valid"));
            }
        };
        let needs_values = matches!(op, Op::In | Op::NotIn);
        if needs_values == values.is_empty() {
            return Selector::Unknown(format!(
                "operator {op:?} {} values (the API server rejects it)",
                if needs_values { "needs" } else { "takes no" }
            ));
        }
        reqs.push(Requirement {
            key: k.to_owned(),
            op,
            values,
            span: key.map_or(expr.span, |e| e.value.span),
            from_match_labels: false,
        });
    }
    Selector::Match(reqs)
}

/// Labels written in a `labels:` mapping (non-string values are skipped).
pub fn labels_of(node: Option<&Node>) -> Labels {
    node.into_iter()
        .flat_map(Node::entries)
        .filter_map(|(k, e)| Some((k.to_owned(), e.value.as_str()?.to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml;

    fn sel(text: &str) -> Selector {
        parse(&yaml::parse(text).documents[0].root, false)
    }
    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    /// The sorted set answers as the `BTreeMap` it replaced: collected with repeated keys
    /// (last wins), grown by inserts, looked up, iterated and printed.
    #[test]
    fn labels_behave_as_a_btree_map() {
        use std::collections::BTreeMap;
        let words = ["", "a", "app", "b", "tier", "z", "app.kubernetes.io/name"];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for round in 0..400 {
            let pairs: Vec<(String, String)> = (0..next(6))
                .map(|_| {
                    (
                        words[next(words.len())].into(),
                        words[next(words.len())].into(),
                    )
                })
                .collect();
            let mut ours: Labels = pairs.iter().cloned().collect();
            let mut theirs: BTreeMap<String, String> = pairs.into_iter().collect();
            for _ in 0..next(4) {
                let (k, v) = (words[next(words.len())], words[next(words.len())]);
                assert_eq!(
                    ours.insert(k.into(), v.into()),
                    theirs.insert(k.into(), v.into()),
                    "round {round}"
                );
            }
            assert!(ours.iter().eq(theirs.iter()), "round {round}");
            assert!((&ours).into_iter().eq(theirs.iter()), "round {round}");
            assert_eq!(ours.len(), theirs.len());
            assert_eq!(ours.is_empty(), theirs.is_empty());
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
            for k in words {
                assert_eq!(ours.get(k), theirs.get(k), "round {round} {k:?}");
                assert_eq!(ours.contains_key(k), theirs.contains_key(k));
            }
        }
    }

    #[test]
    fn empty_and_null_match_everything() {
        assert!(sel("{}").is_everything());
        assert!(sel("matchLabels: null").is_everything());
        assert_eq!(sel("{}").matches(Some(&labels(&[]))), Some(true));
        assert_eq!(sel("{}").matches(None), Some(true));
    }

    #[test]
    fn match_labels_and_expressions_are_anded() {
        let s = sel("matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [a, b]}\n- {key: legacy, operator: DoesNotExist}\n");
        assert_eq!(
            s.matches(Some(&labels(&[("app", "web"), ("tier", "a")]))),
            Some(true)
        );
        assert_eq!(
            s.matches(Some(&labels(&[("app", "web"), ("tier", "c")]))),
            Some(false)
        );
        assert_eq!(
            s.matches(Some(&labels(&[
                ("app", "web"),
                ("tier", "a"),
                ("legacy", "")
            ]))),
            Some(false)
        );
        assert_eq!(s.matches(None), None, "unknown labels stay unknown");
    }

    #[test]
    fn not_in_matches_missing_keys_and_exists_needs_the_key() {
        let s = sel("matchExpressions:\n- {key: env, operator: NotIn, values: [prod]}\n");
        assert_eq!(s.matches(Some(&labels(&[]))), Some(true));
        assert_eq!(s.matches(Some(&labels(&[("env", "prod")]))), Some(false));
        let e = sel("matchExpressions:\n- {key: env, operator: Exists}\n");
        assert_eq!(e.matches(Some(&labels(&[]))), Some(false));
        assert_eq!(e.matches(Some(&labels(&[("env", "")]))), Some(true));
    }

    #[test]
    fn invalid_operators_and_values_are_not_evaluated() {
        assert!(matches!(
            sel("matchExpressions:\n- {key: a, operator: in, values: [x]}\n"),
            Selector::Unknown(_)
        ));
        assert!(matches!(
            sel("matchExpressions:\n- {key: a, operator: In}\n"),
            Selector::Unknown(_)
        ));
        assert!(matches!(
            sel("matchExpressions:\n- {key: a, operator: Exists, values: [x]}\n"),
            Selector::Unknown(_)
        ));
    }
}
