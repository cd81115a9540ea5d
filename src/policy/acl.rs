//! The ACL built from several policies, and the choice of the one rule that governs a
//! request path (RULES-SPEC §2.2–§2.4; OpenBao `NewACL`, `AllowOperation`,
//! `CheckAllowedFromNonExactPaths`).
//!
//! Built once, queried many times: exact and prefix keys live in byte tries (one walk per
//! lookup, no hashing, no allocation); segment-wildcard rules are pre-split and pre-sorted by
//! Vault's priority so the first one that matches is the best of its kind.

use super::parse::{PathRule, Policy, RuleKind};
use super::Caps;
use std::cmp::Ordering;

/// Which server's lookup order to follow where Vault and OpenBao differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// OpenBao (default; what the differential test checks): for a LIST of `p/`, the
    /// glob/`+` rules are asked about `p/` first and only then about `p`.
    #[default]
    OpenBao,
    /// HashiCorp Vault: for a LIST of `p/`, the glob/`+` rules are asked about `p` first.
    Vault,
}

/// A rule of some policy: `(policy index, rule index)` into the policies the ACL was built from.
pub type RuleRef = (usize, usize);

/// One entry of a store: the merged capabilities of every rule with this identical key.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub caps: Caps,
    /// Every rule that was merged into this entry, in policy order.
    pub sources: Vec<RuleRef>,
}

/// How the governing rule was found (the steps of `AllowOperation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The token holds the `root` policy: everything is allowed.
    Root,
    /// An exact rule for the path.
    Exact,
    /// LIST fallback: an exact rule for the path without its trailing `/`.
    ExactTrimmed,
    /// The best glob/`+` rule for the path.
    NonExact,
    /// LIST fallback: the best glob/`+` rule for the path without its trailing `/`.
    NonExactTrimmed,
    /// No rule matched: denied.
    NoMatch,
}

/// Which entry governed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Governing {
    None,
    Exact(usize),
    Prefix(usize),
    Segment(usize),
}

/// The answer for one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub root: bool,
    pub caps: Caps,
    pub step: Step,
    pub governing: Governing,
}

impl Decision {
    /// The names `sys/capabilities` returns: `["root"]`, `["deny"]`, or the granted ones
    /// sorted alphabetically.
    pub fn names(&self) -> Vec<&'static str> {
        if self.root {
            vec!["root"]
        } else {
            self.caps.names()
        }
    }
}

/// Stored keys of one kind (exact or prefix) with their entry indexes, sorted by bytes.
///
/// A sorted array rather than a byte trie: a policy has a handful of rules, and a trie spent
/// a node (plus a child list) per byte of every key, ~10 KB per policy, which dominated the
/// memory of the policy model. Lookups stay logarithmic.
#[derive(Debug, Clone, Default)]
struct Trie {
    keys: Vec<(Box<str>, u32)>,
}

impl Trie {
    fn new() -> Trie {
        Trie::default()
    }
    fn find(&self, key: &[u8]) -> Result<usize, usize> {
        self.keys.binary_search_by(|(k, _)| k.as_bytes().cmp(key))
    }
    fn get(&self, key: &str) -> Option<usize> {
        self.find(key.as_bytes())
            .ok()
            .map(|i| self.keys[i].1 as usize)
    }
    fn insert(&mut self, key: &str, value: usize) {
        match self.find(key.as_bytes()) {
            Ok(i) => self.keys[i].1 = value as u32,
            Err(i) => self.keys.insert(i, (key.into(), value as u32)),
        }
    }
    /// The value of the longest key that is a (byte) prefix of `s`, with that key's length.
    ///
    /// Let `p` be the greatest key <= `t` (at first `t = s`). If `p` is a prefix of `s`, it is
    /// the longest one. If not, `p` and `s` agree on their first `l` bytes and `p` is smaller
    /// at byte `l`; any key that is a prefix of `s` and longer than `l` would be greater than
    /// `p` yet <= `t`, so every candidate is a prefix of `s[..l]`: continue with `t = s[..l]`,
    /// which is strictly shorter.
    fn longest_prefix(&self, s: &str) -> Option<(usize, usize)> {
        let s = s.as_bytes();
        let mut t = s;
        loop {
            let at = match self.find(t) {
                Ok(i) => i + 1,
                Err(i) => i,
            };
            let (key, value) = self.keys[..at].last()?;
            let key = key.as_bytes();
            if s.starts_with(key) {
                return Some((key.len(), *value as usize));
            }
            let common = key.iter().zip(s).take_while(|(a, b)| a == b).count();
            t = &s[..common];
        }
    }
}

/// A segment-wildcard rule, pre-split.
#[derive(Debug, Clone)]
struct SegRule {
    entry: usize,
    /// The pattern without its trailing `*`, split on `/`; `None` is a `+` segment.
    parts: Vec<Option<Box<str>>>,
    is_prefix: bool,
    /// Byte index of the first `+` in the stored key (any `+`, as OpenBao computes it).
    first_wc: usize,
    wildcards: usize,
    /// The pattern without its trailing `*`.
    base: Box<str>,
}

/// The sort key of a glob/`+` candidate; the greatest governs.
#[derive(Debug, Clone, Copy)]
struct Priority<'a> {
    first_wc: usize,
    is_prefix: bool,
    wildcards: usize,
    base: &'a str,
}

/// Vault's candidate order (`less` in `CheckAllowedFromNonExactPaths`), as a total order
/// where greater wins. Each step exists to approximate "longest prefix" for patterns:
/// 1. a later first `+`/`*` means more of the path was matched literally;
/// 2. a pattern without a trailing `*` pins the path's length, so it is more specific;
/// 3. fewer `+` segments means more segments were matched literally;
/// 4. a longer pattern matched more literal text;
/// 5. byte order only breaks otherwise-equal ties deterministically.
fn priority_cmp(a: &Priority, b: &Priority) -> Ordering {
    a.first_wc
        .cmp(&b.first_wc)
        .then_with(|| b.is_prefix.cmp(&a.is_prefix))
        .then_with(|| b.wildcards.cmp(&a.wildcards))
        .then_with(|| a.base.len().cmp(&b.base.len()))
        .then_with(|| a.base.as_bytes().cmp(b.base.as_bytes()))
}

/// The ACL of a token: built from its policies once (§2.2).
#[derive(Debug, Clone)]
pub struct Acl {
    root: bool,
    dialect: Dialect,
    pub exact: Vec<Entry>,
    pub prefix: Vec<Entry>,
    pub segment: Vec<Entry>,
    exact_trie: Trie,
    prefix_trie: Trie,
    /// Sorted best-first by [`priority_cmp`].
    seg_rules: Vec<SegRule>,
    /// `seg_rules` by the first segment they accept.
    seg_index: SegIndex,
}

/// Up to this many `+` rules, a decision tries each in turn instead of asking the index.
const SEG_SCAN_MAX: usize = 16;

/// The `+` rules a path may match, by one literal part of each. A rule's literal part at
/// position `k` (not its last part when that is prefix-matched) matches only paths whose
/// `k`th segment equals it, so each rule is filed under the one of its literal parts that
/// the fewest rules share; rules without one are tried for every path. A policy of
/// thousands of `+` rules otherwise had every decision try each of them in turn, and
/// filing by the first part alone did not help rules that share it
/// (`auth/+/role/app1`, `auth/+/role/app2`, …).
#[derive(Debug, Clone, Default)]
struct SegIndex {
    /// By position: positions in `seg_rules`, ascending, by the literal part there.
    by_part: Vec<std::collections::HashMap<Box<str>, Vec<usize>>>,
    /// Positions of the rules without an exactly compared literal part, ascending.
    any: Vec<usize>,
}

impl SegIndex {
    /// The parts of `r` a path's segment must equal: (position, text).
    fn exact_parts(r: &SegRule) -> impl Iterator<Item = (usize, &str)> {
        let last = r.parts.len() - 1;
        r.parts.iter().enumerate().filter_map(move |(k, part)| {
            // Only the last part may be prefix-matched: every part before it is exact.
            let exact = !(r.is_prefix && k == last);
            part.as_deref().filter(|_| exact).map(|text| (k, text))
        })
    }

    fn new(rules: &[SegRule]) -> SegIndex {
        let mut sharing: std::collections::HashMap<(usize, &str), usize> = Default::default();
        for r in rules {
            for key in SegIndex::exact_parts(r) {
                *sharing.entry(key).or_default() += 1;
            }
        }
        let mut index = SegIndex::default();
        for (i, r) in rules.iter().enumerate() {
            // The rarest part; the earliest among equally rare ones.
            let key = SegIndex::exact_parts(r).min_by_key(|&(k, text)| (sharing[&(k, text)], k));
            match key {
                Some((k, text)) => {
                    if index.by_part.len() <= k {
                        index.by_part.resize_with(k + 1, Default::default);
                    }
                    index.by_part[k].entry(text.into()).or_default().push(i);
                }
                None => index.any.push(i),
            }
        }
        index
    }

    /// The first position, in `seg_rules` order, among the rules a path (split into
    /// `segs`) may match, for which `matches` holds.
    fn first_match(
        &self,
        path: &str,
        segs: &[(u32, u32)],
        matches: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let lists = self
            .by_part
            .iter()
            .zip(segs)
            .filter_map(|(by_text, &(s, e))| by_text.get(&path[s as usize..e as usize]))
            .chain(std::iter::once(&self.any));
        // Every list ascends, so each list's first match is its best; the answer is the best
        // of those. A list is read only up to the best found so far.
        let mut best: Option<usize> = None;
        for list in lists {
            let bound = best.unwrap_or(usize::MAX);
            if let Some(&i) = list
                .iter()
                .take_while(|&&i| i < bound)
                .find(|&&i| matches(i))
            {
                best = Some(i);
            }
        }
        best
    }
}

/// Why an ACL could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclError(pub String);

impl Acl {
    /// Builds the ACL of a token holding `policies` (OpenBao semantics).
    pub fn new(policies: &[Policy]) -> Result<Acl, AclError> {
        Acl::with_dialect(policies, Dialect::OpenBao)
    }

    /// The root policy alone: every path is allowed.
    pub fn root() -> Acl {
        let mut a = Acl::with_dialect(&[], Dialect::OpenBao).expect("empty ACL builds");
        a.root = true;
        a
    }

    pub fn with_dialect(policies: &[Policy], dialect: Dialect) -> Result<Acl, AclError> {
        let mut acl = Acl {
            root: false,
            dialect,
            exact: Vec::new(),
            prefix: Vec::new(),
            segment: Vec::new(),
            exact_trie: Trie::new(),
            prefix_trie: Trie::new(),
            seg_rules: Vec::new(),
            seg_index: SegIndex::default(),
        };
        let mut seg_index: std::collections::HashMap<String, usize> = Default::default();
        for (pi, policy) in policies.iter().enumerate() {
            // `root` grants everything but only alone: Vault refuses to build an ACL that
            // mixes it with other policies ("other policies present along with root").
            if policy.name == "root" {
                if policies.len() != 1 {
                    return Err(AclError("other policies present along with root".into()));
                }
                acl.root = true;
            }
            for (ri, rule) in policy.rules.iter().enumerate() {
                if rule.templated {
                    // Cannot be resolved offline; Vault drops a rule it cannot template.
                    continue;
                }
                let (store, idx) = match rule.kind {
                    RuleKind::Exact => {
                        let i = acl.exact_trie.get(&rule.path);
                        (&mut acl.exact, i)
                    }
                    RuleKind::Prefix => {
                        let i = acl.prefix_trie.get(&rule.path);
                        (&mut acl.prefix, i)
                    }
                    RuleKind::Segment { .. } => {
                        let i = seg_index.get(&rule.path).copied();
                        (&mut acl.segment, i)
                    }
                };
                match idx {
                    Some(i) => merge(&mut store[i], rule, (pi, ri)),
                    None => {
                        let i = store.len();
                        store.push(Entry {
                            key: rule.path.clone(),
                            caps: rule.caps,
                            sources: vec![(pi, ri)],
                        });
                        match rule.kind {
                            RuleKind::Exact => acl.exact_trie.insert(&rule.path, i),
                            RuleKind::Prefix => acl.prefix_trie.insert(&rule.path, i),
                            RuleKind::Segment { .. } => {
                                seg_index.insert(rule.path.clone(), i);
                            }
                        }
                    }
                }
            }
        }
        acl.seg_rules = acl
            .segment
            .iter()
            .enumerate()
            .map(|(i, e)| seg_rule(i, &e.key))
            .collect();
        acl.seg_rules
            .sort_by(|a, b| priority_cmp(&b.priority(), &a.priority()));
        acl.seg_index = SegIndex::new(&acl.seg_rules);
        Ok(acl)
    }

    pub fn is_root(&self) -> bool {
        self.root
    }

    /// What `sys/capabilities` answers for `path`: the request is evaluated as a LIST so the
    /// trailing-`/` fallbacks apply (§2.4). No allocation unless the path has more than 64
    /// segments.
    pub fn capabilities(&self, path: &str) -> Decision {
        self.decide(path, true)
    }

    /// The governing rule for a request of any operation; `list` enables the LIST/SCAN
    /// fallbacks for a trailing `/`.
    pub fn decide(&self, path: &str, list: bool) -> Decision {
        if self.root {
            return Decision {
                root: true,
                caps: Caps::NONE,
                step: Step::Root,
                governing: Governing::None,
            };
        }
        let path = path.trim_start_matches('/');
        let found = |step, g: Governing| {
            let caps = match g {
                Governing::Exact(i) => self.exact[i].caps,
                Governing::Prefix(i) => self.prefix[i].caps,
                Governing::Segment(i) => self.segment[i].caps,
                Governing::None => Caps::NONE,
            };
            Decision {
                root: false,
                caps,
                step,
                governing: g,
            }
        };
        // An exact rule is consulted before any pattern: it is the most specific statement.
        if let Some(i) = self.exact_trie.get(path) {
            return found(Step::Exact, Governing::Exact(i));
        }
        // LIST (and SCAN) of `p/` may also be governed by rules written for `p`: people write
        // the directory without its slash. Other operations never get this fallback.
        let trimmed = if list { path.strip_suffix('/') } else { None };
        if let Some(i) = trimmed.and_then(|t| self.exact_trie.get(t)) {
            return found(Step::ExactTrimmed, Governing::Exact(i));
        }
        let order: [(Option<&str>, Step); 2] = match self.dialect {
            Dialect::OpenBao => [
                (Some(path), Step::NonExact),
                (trimmed, Step::NonExactTrimmed),
            ],
            Dialect::Vault => [
                (trimmed, Step::NonExactTrimmed),
                (Some(path), Step::NonExact),
            ],
        };
        for (p, step) in order {
            if let Some(g) = p.and_then(|p| self.non_exact(p)) {
                return found(step, g);
            }
        }
        found(Step::NoMatch, Governing::None)
    }

    /// The best glob/`+` rule for `path`: the longest matching prefix rule competes with
    /// every matching segment rule under [`priority_cmp`]. Shorter prefix rules never take
    /// part (Vault only asks its radix tree for the longest).
    fn non_exact(&self, path: &str) -> Option<Governing> {
        let prefix = self.prefix_trie.longest_prefix(path);
        if self.seg_rules.is_empty() {
            return prefix.map(|(_, i)| Governing::Prefix(i));
        }
        let mut stack = [(0u32, 0u32); 64];
        let mut heap = Vec::new();
        let segs = split_segments(path, &mut stack, &mut heap);
        // seg_rules are sorted best-first, so the first match is the best segment rule. A
        // policy's few `+` rules are tried in turn (cheaper than hashing the path's first
        // segment); many go through the index.
        let seg = if self.seg_rules.len() <= SEG_SCAN_MAX {
            self.seg_rules.iter().find(|r| r.matches(path, segs))
        } else {
            self.seg_index
                .first_match(path, segs, |i| self.seg_rules[i].matches(path, segs))
                .map(|i| &self.seg_rules[i])
        };
        match (prefix, seg) {
            (None, None) => None,
            (Some((_, i)), None) => Some(Governing::Prefix(i)),
            (None, Some(r)) => Some(Governing::Segment(r.entry)),
            (Some((len, i)), Some(r)) => {
                let p = Priority {
                    first_wc: len,
                    is_prefix: true,
                    wildcards: 0,
                    base: &path[..len],
                };
                if priority_cmp(&p, &r.priority()) == Ordering::Greater {
                    Some(Governing::Prefix(i))
                } else {
                    Some(Governing::Segment(r.entry))
                }
            }
        }
    }

    /// Every glob/`+` rule that matches `path`, best first, for `explain`.
    pub fn candidates(&self, path: &str) -> Vec<Governing> {
        let path = path.trim_start_matches('/');
        let mut stack = [(0u32, 0u32); 64];
        let mut heap = Vec::new();
        let segs = split_segments(path, &mut stack, &mut heap);
        let mut out: Vec<(Priority, Governing)> = Vec::new();
        if let Some((len, i)) = self.prefix_trie.longest_prefix(path) {
            out.push((
                Priority {
                    first_wc: len,
                    is_prefix: true,
                    wildcards: 0,
                    base: &self.prefix[i].key,
                },
                Governing::Prefix(i),
            ));
        }
        for r in &self.seg_rules {
            if r.matches(path, segs) {
                out.push((r.priority(), Governing::Segment(r.entry)));
            }
        }
        out.sort_by(|a, b| priority_cmp(&b.0, &a.0));
        out.into_iter().map(|(_, g)| g).collect()
    }

    fn priority_of(&self, g: Governing) -> Option<Priority<'_>> {
        match g {
            Governing::Prefix(i) => Some(Priority {
                first_wc: self.prefix[i].key.len(),
                is_prefix: true,
                wildcards: 0,
                base: &self.prefix[i].key,
            }),
            Governing::Segment(i) => self
                .seg_rules
                .iter()
                .find(|r| r.entry == i)
                .map(SegRule::priority),
            _ => None,
        }
    }

    /// The decision for `path` (as `sys/capabilities` evaluates it) and every other rule that
    /// matched the path but did not govern, each with the reason it lost.
    pub fn explain(&self, path: &str) -> (Decision, Vec<(Governing, String)>) {
        let d = self.capabilities(path);
        let mut losers = Vec::new();
        if d.root {
            return (d, losers);
        }
        let p = path.trim_start_matches('/');
        let looked_at = match d.step {
            Step::NonExactTrimmed | Step::ExactTrimmed => p.strip_suffix('/').unwrap_or(p),
            _ => p,
        };
        let cands = self.candidates(looked_at);
        let winner = self.priority_of(d.governing);
        for g in cands {
            if g == d.governing {
                continue;
            }
            let why = match (d.step, winner, self.priority_of(g)) {
                (Step::Exact | Step::ExactTrimmed, _, _) => {
                    "an exact rule is consulted before any glob or + rule".to_owned()
                }
                (_, Some(w), Some(l)) => lost_because(&w, &l),
                _ => "not consulted".to_owned(),
            };
            losers.push((g, why));
        }
        // Shorter prefix rules never compete: only the longest matching prefix is a candidate.
        if let Some((len, longest)) = self.prefix_trie.longest_prefix(looked_at) {
            for (i, e) in self.prefix.iter().enumerate() {
                if i != longest && e.key.len() < len && looked_at.starts_with(e.key.as_str()) {
                    losers.push((
                        Governing::Prefix(i),
                        format!(
                            "a longer prefix rule ({:?}) matches; only the longest matching prefix rule is considered",
                            format!("{}*", self.prefix[longest].key)
                        ),
                    ));
                }
            }
        }
        (d, losers)
    }

    pub fn entry(&self, g: Governing) -> Option<&Entry> {
        match g {
            Governing::Exact(i) => self.exact.get(i),
            Governing::Prefix(i) => self.prefix.get(i),
            Governing::Segment(i) => self.segment.get(i),
            Governing::None => None,
        }
    }
}

/// Why `loser` ranks below `winner` (the first priority step where they differ).
fn lost_because(w: &Priority, l: &Priority) -> String {
    if w.first_wc != l.first_wc {
        format!(
            "its first wildcard/glob is at byte {}, the governing rule's at {} (later wins)",
            l.first_wc, w.first_wc
        )
    } else if w.is_prefix != l.is_prefix {
        "same first wildcard position; a rule without a trailing * beats one with it".to_owned()
    } else if w.wildcards != l.wildcards {
        format!(
            "same first wildcard position; it has {} + segments, the governing rule {} (fewer wins)",
            l.wildcards, w.wildcards
        )
    } else if w.base.len() != l.base.len() {
        format!(
            "same position and wildcards; it is {} bytes long, the governing rule {} (longer wins)",
            l.base.len(),
            w.base.len()
        )
    } else {
        "equal priority otherwise; the byte-wise greater pattern wins (tie-breaker)".to_owned()
    }
}

/// Merging rules with an identical key (§2.2): an existing deny stays; a new deny turns the
/// entry deny-only; otherwise capabilities are OR-ed.
fn merge(e: &mut Entry, rule: &PathRule, src: RuleRef) {
    e.sources.push(src);
    if e.caps.is_deny() {
        return;
    }
    e.caps = if rule.caps.is_deny() {
        Caps::DENY
    } else {
        e.caps.union(rule.caps)
    };
}

fn seg_rule(entry: usize, key: &str) -> SegRule {
    let (base, is_prefix) = match key.strip_suffix('*') {
        Some(b) => (b, true),
        None => (key, false),
    };
    let parts: Vec<Option<Box<str>>> = base
        .split('/')
        .map(|p| (p != "+").then(|| p.into()))
        .collect();
    SegRule {
        entry,
        wildcards: parts.iter().filter(|p| p.is_none()).count(),
        parts,
        is_prefix,
        first_wc: key.find('+').unwrap_or(key.len()),
        base: base.into(),
    }
}

/// Byte ranges of the `/`-separated segments of `path` (an empty path is one empty segment,
/// as Go's `strings.Split` gives).
fn split_segments<'a>(
    path: &str,
    stack: &'a mut [(u32, u32); 64],
    heap: &'a mut Vec<(u32, u32)>,
) -> &'a [(u32, u32)] {
    let mut n = 0;
    let mut start = 0usize;
    let mut push = |s: usize, e: usize, n: &mut usize| {
        if *n < 64 {
            stack[*n] = (s as u32, e as u32);
        } else {
            if *n == 64 {
                heap.extend_from_slice(&stack[..]);
            }
            heap.push((s as u32, e as u32));
        }
        *n += 1;
    };
    for (i, b) in path.bytes().enumerate() {
        if b == b'/' {
            push(start, i, &mut n);
            start = i + 1;
        }
    }
    push(start, path.len(), &mut n);
    if n <= 64 {
        &stack[..n]
    } else {
        &heap[..]
    }
}

impl SegRule {
    fn priority(&self) -> Priority<'_> {
        Priority {
            first_wc: self.first_wc,
            is_prefix: self.is_prefix,
            wildcards: self.wildcards,
            base: &self.base,
        }
    }

    /// Segment-wise match: `+` matches any one segment (even empty); literal segments must
    /// be equal, except that the last one of a `*` pattern only has to be a prefix of the
    /// path's segment (the rest of the path then follows freely).
    fn matches(&self, path: &str, segs: &[(u32, u32)]) -> bool {
        if segs.len() < self.parts.len() || (!self.is_prefix && segs.len() != self.parts.len()) {
            return false;
        }
        let last = self.parts.len() - 1;
        self.parts
            .iter()
            .zip(segs)
            .enumerate()
            .all(|(i, (part, &(s, e)))| {
                let seg = &path[s as usize..e as usize];
                match part {
                    None => true,
                    Some(lit) => {
                        **lit == *seg || (self.is_prefix && i == last && seg.starts_with(&**lit))
                    }
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse::parse_policy_text;

    /// The first-segment index hands every `+` rule set the same best match a scan of all
    /// its rules finds, over patterns from a small alphabet (literal, `+`, a `+` inside a
    /// segment, trailing `*`, one to three segments) and paths of one to four segments,
    /// empty ones included.
    #[test]
    fn seg_index_finds_the_rule_a_scan_finds() {
        let parts = ["a", "b", "+", "a+"];
        let mut patterns = Vec::new();
        for n in 1..=3u32 {
            for code in 0..parts.len().pow(n) {
                let mut c = code;
                let mut segs = Vec::new();
                for _ in 0..n {
                    segs.push(parts[c % parts.len()]);
                    c /= parts.len();
                }
                let p = segs.join("/");
                if p.contains('+') {
                    patterns.push(p.clone());
                    // `+*` is refused by the parser, as Vault refuses it.
                    if !p.ends_with('+') {
                        patterns.push(format!("{p}*"));
                    }
                }
            }
        }
        let names = ["a", "b", "c", "", "ab", "a+", "a+b"];
        let mut paths = Vec::new();
        for n in 1..=4u32 {
            for code in 0..names.len().pow(n) {
                let mut c = code;
                let mut segs = Vec::new();
                for _ in 0..n {
                    segs.push(names[c % names.len()]);
                    c /= names.len();
                }
                paths.push(segs.join("/"));
            }
        }
        assert_index_agrees(&patterns, &paths, 50);
        // Subsets file rules under other parts (which part is rarest changes).
        for step in [2, 3, 5] {
            let some: Vec<String> = patterns.iter().step_by(step).cloned().collect();
            assert_index_agrees(&some, &paths, 5);
        }
    }

    /// Rules that share their first parts are filed under a later one; a path that reads
    /// many lists (rules filed at twelve positions) still gets the best rule of them all.
    #[test]
    fn seg_index_files_rules_under_their_rarest_part() {
        let mut patterns: Vec<String> = (0..40).map(|i| format!("auth/+/role/app{i}")).collect();
        patterns.extend((0..40).map(|i| format!("auth/+/role/app{i}/x*")));
        patterns.extend(
            [
                "auth/+/role/+",
                "auth/+/+/app3",
                "+/k8s/role/app3",
                "auth/k8s/+/app3*",
            ]
            .map(String::from),
        );
        // Twelve-part rules, each filed at its own position: a path reads up to 13 lists.
        for k in 0..12 {
            let parts: Vec<String> = (0..12)
                .map(|j| {
                    if j == k {
                        format!("r{k}")
                    } else if j % 2 == 0 {
                        "+".into()
                    } else {
                        "x".into()
                    }
                })
                .collect();
            patterns.push(parts.join("/"));
        }
        let mut paths: Vec<String> = ["app3", "app39", "app40", "app3x", "+", ""]
            .iter()
            .flat_map(|a| {
                [
                    format!("auth/k8s/role/{a}"),
                    format!("auth/k8s/role/{a}/secret-id"),
                    format!("auth/k8s/roles/{a}"),
                    format!("x/k8s/role/{a}"),
                ]
            })
            .collect();
        for k in 0..12 {
            let all_rare: Vec<String> = (0..12).map(|j| format!("r{j}")).collect();
            paths.push(all_rare.join("/"));
            let one: Vec<String> = (0..12)
                .map(|j| if j == k { format!("r{k}") } else { "x".into() })
                .collect();
            paths.push(one.join("/"));
        }
        assert_index_agrees(&patterns, &paths, 90);
    }

    fn assert_index_agrees(patterns: &[String], paths: &[String], at_least: usize) {
        let text: String = patterns
            .iter()
            .map(|p| format!("path \"{p}\" {{ capabilities = [\"read\"] }}\n"))
            .collect();
        let policy = parse_policy_text("p", "p.hcl", &text).expect("parses");
        let acl = Acl::new(&[policy]).expect("builds");
        assert!(
            acl.seg_rules.len() > at_least,
            "{} + rules",
            acl.seg_rules.len()
        );
        for path in paths {
            let mut stack = [(0u32, 0u32); 64];
            let mut heap = Vec::new();
            let segs = split_segments(path, &mut stack, &mut heap);
            let scan = acl.seg_rules.iter().position(|r| r.matches(path, segs));
            let indexed = acl
                .seg_index
                .first_match(path, segs, |i| acl.seg_rules[i].matches(path, segs));
            assert_eq!(indexed, scan, "{path:?}");
        }
    }

    /// The sorted-key store answers exactly as a scan of every key would, over every key set
    /// drawn from a small alphabet (so keys share prefixes and interleave in sort order).
    #[test]
    fn longest_prefix_is_the_longest_key_that_prefixes_the_path() {
        let alphabet = [
            "", "a", "b", "/", "aa", "ab", "a/", "a/b", "ba", "a/bb", "b/", "aab",
        ];
        let mut seed = 0x2545_f491_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize
        };
        for _ in 0..3000 {
            let mut t = Trie::new();
            let mut keys = Vec::new();
            for v in 0..(next() % 6) {
                let k = alphabet[next() % alphabet.len()].to_owned()
                    + alphabet[next() % alphabet.len()];
                t.insert(&k, v);
                keys.retain(|(x, _): &(String, usize)| *x != k);
                keys.push((k, v));
            }
            for _ in 0..8 {
                let s = alphabet[next() % alphabet.len()].to_owned()
                    + alphabet[next() % alphabet.len()]
                    + alphabet[next() % alphabet.len()];
                let want = keys
                    .iter()
                    .filter(|(k, _)| s.starts_with(k.as_str()))
                    .max_by_key(|(k, _)| k.len())
                    .map(|(k, v)| (k.len(), *v));
                assert_eq!(t.longest_prefix(&s), want, "keys {keys:?}, path {s:?}");
                let exact = keys.iter().find(|(k, _)| *k == s).map(|(_, v)| *v);
                assert_eq!(t.get(&s), exact);
            }
        }
    }

    /// Builds policies from `(name, [(path, caps)])`.
    fn acl(policies: &[&[(&str, &str)]]) -> Acl {
        let ps: Vec<Policy> = policies
            .iter()
            .enumerate()
            .map(|(i, rules)| {
                let text: String = rules
                    .iter()
                    .map(|(p, c)| {
                        let caps: Vec<String> =
                            c.split_whitespace().map(|c| format!("\"{c}\"")).collect();
                        format!(
                            "path \"{p}\" {{\n  capabilities = [{}]\n}}\n",
                            caps.join(", ")
                        )
                    })
                    .collect();
                parse_policy_text(&format!("p{i}"), "t", &text).unwrap()
            })
            .collect();
        Acl::new(&ps).unwrap()
    }

    fn caps(a: &Acl, path: &str) -> String {
        a.capabilities(path).names().join(" ")
    }

    // §2.5, row by row.

    #[test]
    fn exact_rule_wins_before_any_glob() {
        let a = acl(&[&[
            ("secret/data/prod/*", "deny"),
            ("secret/data/prod/db", "read"),
        ]]);
        assert_eq!(caps(&a, "secret/data/prod/db"), "read");
        assert_eq!(caps(&a, "secret/data/prod/other"), "deny");
    }

    #[test]
    fn longest_prefix_wins_and_shorter_deny_is_never_consulted() {
        let a = acl(&[&[("secret/*", "deny"), ("secret/data/app/*", "read")]]);
        assert_eq!(caps(&a, "secret/data/app/x"), "read");
    }

    #[test]
    fn deny_on_the_higher_priority_rule_denies() {
        let a = acl(&[&[
            ("secret/data/app/*", "read"),
            ("secret/data/app/admin/*", "deny"),
        ]]);
        assert_eq!(caps(&a, "secret/data/app/admin/k"), "deny");
        assert_eq!(caps(&a, "secret/data/app/k"), "read");
    }

    #[test]
    fn identical_keys_merge_across_policies_and_deny_sticks() {
        let a = acl(&[&[("secret/data/x", "read")], &[("secret/data/x", "deny")]]);
        assert_eq!(caps(&a, "secret/data/x"), "deny");
        let a = acl(&[&[("secret/data/x", "deny")], &[("secret/data/x", "read")]]);
        assert_eq!(caps(&a, "secret/data/x"), "deny");
        let a = acl(&[
            &[("secret/data/x", "read")],
            &[("secret/data/x", "update create")],
        ]);
        assert_eq!(caps(&a, "secret/data/x"), "create read update");
        assert_eq!(a.capabilities("secret/data/x").step, Step::Exact);
        let e = a.entry(a.capabilities("secret/data/x").governing).unwrap();
        assert_eq!(e.sources, [(0, 0), (1, 0)]);
    }

    #[test]
    fn different_keys_never_merge() {
        // `secret/foo` (exact) and `secret/foo*` (prefix) are separate entries.
        let a = acl(&[&[("secret/foo", "read")], &[("secret/foo*", "deny")]]);
        assert_eq!(caps(&a, "secret/foo"), "read");
        assert_eq!(caps(&a, "secret/foobar"), "deny");
    }

    #[test]
    fn prefix_is_a_plain_string_prefix() {
        let a = acl(&[&[("secret/*", "read")]]);
        assert_eq!(caps(&a, "secret/data/foo"), "read");
        assert_eq!(caps(&a, "secret/metadata/foo"), "read");
        let a = acl(&[&[("secret/data/app*", "read")]]);
        assert_eq!(caps(&a, "secret/data/application-admin/k"), "read");
    }

    #[test]
    fn interior_star_is_literal() {
        let a = acl(&[&[("secret/*/config", "deny"), ("secret/*", "read")]]);
        assert_eq!(caps(&a, "secret/data/config"), "read");
        assert_eq!(caps(&a, "secret/*/config"), "deny");
    }

    #[test]
    fn non_prefix_beats_prefix_at_the_same_first_wildcard() {
        let a = acl(&[&[("secret/+/teamb", "read"), ("secret/*", "deny")]]);
        assert_eq!(caps(&a, "secret/a/teamb"), "read");
        assert_eq!(caps(&a, "secret/a/teamc"), "deny");
    }

    #[test]
    fn fewer_plus_segments_win() {
        let a = acl(&[&[("secret/*", "read"), ("secret/+/+/foo/*", "deny")]]);
        assert_eq!(caps(&a, "secret/a/b/foo/c"), "read");
    }

    #[test]
    fn list_of_a_directory_under_a_glob() {
        let a = acl(&[&[("secret/metadata/app/*", "list")]]);
        assert_eq!(caps(&a, "secret/metadata/app/"), "list");
    }

    #[test]
    fn list_fallback_to_the_exact_rule_without_slash() {
        let a = acl(&[&[("secret/metadata/app", "list")]]);
        assert_eq!(caps(&a, "secret/metadata/app/"), "list");
        assert_eq!(
            a.capabilities("secret/metadata/app/").step,
            Step::ExactTrimmed
        );
        assert_eq!(a.decide("secret/metadata/app/", false).step, Step::NoMatch);
    }

    #[test]
    fn kv_v2_lists_go_to_metadata() {
        let a = acl(&[&[("secret/data/app/*", "list")]]);
        assert_eq!(caps(&a, "secret/metadata/app/"), "deny");
    }

    // Beyond the table.

    #[test]
    fn root_policy_allows_everything_and_only_alone() {
        let root = parse_policy_text("root", "root", "").unwrap();
        let other = parse_policy_text("x", "x", "").unwrap();
        let a = Acl::new(std::slice::from_ref(&root)).unwrap();
        assert_eq!(caps(&a, "anything/at/all"), "root");
        assert!(Acl::new(&[root, other]).is_err());
        assert_eq!(caps(&Acl::root(), "sys/mounts"), "root");
    }

    #[test]
    fn empty_capabilities_still_govern() {
        let a = acl(&[&[("secret/x", ""), ("secret/*", "read")]]);
        assert_eq!(caps(&a, "secret/x"), "deny");
        assert_eq!(caps(&a, "secret/y"), "read");
    }

    #[test]
    fn later_first_wildcard_wins() {
        let a = acl(&[&[("secret/a*", "read"), ("secret/+", "update")]]);
        assert_eq!(caps(&a, "secret/ab"), "read");
        let a = acl(&[&[("secret/+/b/+", "read"), ("secret/a/+/c", "update")]]);
        assert_eq!(caps(&a, "secret/a/b/c"), "update");
    }

    #[test]
    fn longer_pattern_wins_then_bytes() {
        let a = acl(&[&[("secret/+/bar/ba*", "read"), ("secret/+/bar/b*", "update")]]);
        assert_eq!(caps(&a, "secret/x/bar/bax"), "read");
        // Same first `+`, both exact-length, two `+` each, same length: byte order decides,
        // and `b` (0x62) sorts after `+` (0x2B).
        let a = acl(&[&[("a/+/b/+", "read"), ("a/+/+/c", "update")]]);
        assert_eq!(caps(&a, "a/x/b/c"), "read");
        let a = acl(&[&[("a/+/+/c", "update"), ("a/+/b/+", "read")]]);
        assert_eq!(caps(&a, "a/x/b/c"), "read");
    }

    #[test]
    fn plus_matches_empty_segments_and_literal_plus_inside_a_segment() {
        let a = acl(&[&[("a/+/c", "read")]]);
        assert_eq!(caps(&a, "a//c"), "read");
        assert_eq!(caps(&a, "a/b/c/d"), "deny");
        let a = acl(&[&[("a/b+c", "read")]]);
        assert_eq!(caps(&a, "a/b+c"), "read");
        assert_eq!(caps(&a, "a/bxc"), "deny");
        // `a/+b*` sits in the segment store: `+b` is literal, its last segment a prefix.
        let a = acl(&[&[("a/+b*", "read")]]);
        assert_eq!(caps(&a, "a/+bc/d"), "read");
        assert_eq!(caps(&a, "a/xb"), "deny");
    }

    #[test]
    fn only_the_longest_prefix_rule_takes_part() {
        // `secret/a*` is longer than `secret/*`, so it is the prefix candidate; it loses to
        // `secret/+/x` only if that has a later first wildcard — it does not (7 < 8).
        let a = acl(&[&[
            ("secret/*", "read"),
            ("secret/a*", "update"),
            ("secret/+/x", "delete"),
        ]]);
        assert_eq!(caps(&a, "secret/ab/x"), "update");
        assert_eq!(caps(&a, "secret/b/x"), "delete");
    }

    #[test]
    fn very_deep_paths_match_past_the_inline_segment_buffer() {
        let deep: Vec<String> = (0..100).map(|i| format!("s{i}")).collect();
        let mut pat = deep.clone();
        pat[1] = "+".into();
        pat[99] = "s9*".into();
        let pattern = pat.join("/");
        let a = acl(&[&[(pattern.as_str(), "read")]]);
        assert_eq!(caps(&a, &deep.join("/")), "read");
        assert_eq!(caps(&a, &deep[..99].join("/")), "deny");
    }

    #[test]
    fn leading_slashes_are_ignored() {
        let a = acl(&[&[("/secret/x", "read")]]);
        assert_eq!(caps(&a, "//secret/x"), "read");
    }

    #[test]
    fn dialects_differ_on_list_fallback_order() {
        // LIST `a/b/`: OpenBao asks patterns about `a/b/` first (`a/+/+` matches it with an
        // empty last segment); Vault asks about `a/b` first (`a/+` matches).
        let text = "path \"a/+\" { capabilities = [\"read\"] }\npath \"a/+/+\" { capabilities = [\"list\"] }";
        let p = parse_policy_text("p", "p", text).unwrap();
        let bao = Acl::with_dialect(std::slice::from_ref(&p), Dialect::OpenBao).unwrap();
        let vault = Acl::with_dialect(&[p], Dialect::Vault).unwrap();
        assert_eq!(caps(&bao, "a/b/"), "list");
        assert_eq!(caps(&vault, "a/b/"), "read");
    }

    #[test]
    fn names_are_sorted_like_the_server_prints_them() {
        let a = acl(&[&[("x", "update sudo read list delete create patch scan")]]);
        assert_eq!(
            caps(&a, "x"),
            "create delete list patch read scan sudo update"
        );
    }
}
