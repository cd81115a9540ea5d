//! The ACL evaluator (src/policy/acl.rs: byte tries, pre-sorted segment rules, stack-split
//! paths) against a deliberately naive reference model of the same Vault semantics (linear
//! scans, no index, no pre-sorting): for random policies over a small path alphabet, both must
//! pick the same step and capabilities for every request path, LIST or not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealant::policy::{parse_policy_text, Acl, Capability, Caps, Policy, RuleKind, Step};
use sealant_fuzz::Bytes;
use std::cmp::Ordering;

// `+` twice: many `+` rules send decisions through the ACL's segment index.
const SEGS: &[&str] = &["a", "b", "ab", "+", "", "c", "+"];
const QSEGS: &[&str] = &["a", "b", "ab", "abc", "", "c", "x"];

fn rule_path(b: &mut Bytes) -> String {
    let n = 1 + b.next() % 4;
    let mut p: Vec<&str> = (0..n)
        .map(|_| SEGS[b.next() as usize % SEGS.len()])
        .collect();
    let flags = b.next();
    if flags & 4 != 0 {
        p[0] = "a";
    }
    let mut s = p.join("/");
    // `+*` is refused (as Vault refuses it), and one refused rule drops the whole input.
    if flags & 1 != 0 && !s.ends_with('+') {
        s.push('*');
    }
    if flags & 2 != 0 {
        s.insert(0, '/');
    }
    s
}

fn query(b: &mut Bytes) -> (String, bool) {
    let flags = b.next();
    let n = if flags & 0x80 != 0 {
        70
    } else {
        (flags % 6) as usize
    };
    let segs: Vec<&str> = (0..n)
        .map(|_| QSEGS[b.next() as usize % QSEGS.len()])
        .collect();
    let mut s = segs.join("/");
    if flags & 8 != 0 {
        s.push('/');
    }
    if flags & 16 != 0 {
        s.insert(0, '/');
    }
    (s, flags & 32 != 0)
}

/// One merged entry of the reference model: (store, key, caps).
type RefEntry = (u8, String, Caps);

fn reference_entries(policies: &[Policy]) -> Vec<RefEntry> {
    let mut out: Vec<RefEntry> = Vec::new();
    for p in policies {
        for r in &p.rules {
            let store = match r.kind {
                RuleKind::Exact => 0,
                RuleKind::Prefix => 1,
                RuleKind::Segment { .. } => 2,
            };
            match out.iter_mut().find(|(s, k, _)| *s == store && *k == r.path) {
                Some(e) if e.2.is_deny() => {}
                Some(e) => {
                    e.2 = if r.caps.is_deny() {
                        Caps::DENY
                    } else {
                        e.2.union(r.caps)
                    }
                }
                None => out.push((store, r.path.clone(), r.caps)),
            }
        }
    }
    out
}

/// (first wildcard byte, is_prefix, wildcards, base): Vault's `less` as a key, greater wins.
fn priority(key: &str) -> (usize, bool, usize, &str) {
    let (base, is_prefix) = key.strip_suffix('*').map_or((key, false), |b| (b, true));
    let wildcards = base.split('/').filter(|p| *p == "+").count();
    (
        key.find('+').unwrap_or(key.len()),
        is_prefix,
        wildcards,
        base,
    )
}

fn cmp(a: (usize, bool, usize, &str), b: (usize, bool, usize, &str)) -> Ordering {
    a.0.cmp(&b.0)
        .then(b.1.cmp(&a.1))
        .then(b.2.cmp(&a.2))
        .then(a.3.len().cmp(&b.3.len()))
        .then(a.3.as_bytes().cmp(b.3.as_bytes()))
}

fn seg_matches(key: &str, path: &str) -> bool {
    let (base, is_prefix) = key.strip_suffix('*').map_or((key, false), |b| (b, true));
    let parts: Vec<&str> = base.split('/').collect();
    let segs: Vec<&str> = path.split('/').collect();
    if segs.len() < parts.len() || (!is_prefix && segs.len() != parts.len()) {
        return false;
    }
    parts.iter().zip(&segs).enumerate().all(|(i, (p, s))| {
        *p == "+" || p == s || (is_prefix && i == parts.len() - 1 && s.starts_with(p))
    })
}

fn non_exact(entries: &[RefEntry], path: &str) -> Option<Caps> {
    let prefix = entries
        .iter()
        .filter(|(s, k, _)| *s == 1 && path.starts_with(k.as_str()))
        .max_by_key(|(_, k, _)| k.len());
    let seg = entries
        .iter()
        .filter(|(s, k, _)| *s == 2 && seg_matches(k, path))
        .max_by(|a, b| cmp(priority(&a.1), priority(&b.1)));
    match (prefix, seg) {
        (None, None) => None,
        (Some(p), None) => Some(p.2),
        (None, Some(s)) => Some(s.2),
        (Some(p), Some(s)) => {
            let pp = (p.1.len(), true, 0, &path[..p.1.len()]);
            Some(if cmp(pp, priority(&s.1)) == Ordering::Greater {
                p.2
            } else {
                s.2
            })
        }
    }
}

fn reference(entries: &[RefEntry], path: &str, list: bool) -> (Step, Caps) {
    let path = path.trim_start_matches('/');
    let exact = |p: &str| {
        entries
            .iter()
            .find(|(s, k, _)| *s == 0 && k == p)
            .map(|e| e.2)
    };
    if let Some(c) = exact(path) {
        return (Step::Exact, c);
    }
    let trimmed = if list { path.strip_suffix('/') } else { None };
    if let Some(c) = trimmed.and_then(exact) {
        return (Step::ExactTrimmed, c);
    }
    if let Some(c) = non_exact(entries, path) {
        return (Step::NonExact, c);
    }
    if let Some(c) = trimmed.and_then(|t| non_exact(entries, t)) {
        return (Step::NonExactTrimmed, c);
    }
    (Step::NoMatch, Caps::NONE)
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let mut policies = Vec::new();
    for pi in 0..1 + b.next() % 3 {
        let mut text = String::new();
        // Up to 117 rules in all: above 16 `+` rules (about two inputs in five) decisions go
        // through the ACL's segment index; fewer are scanned in turn.
        for _ in 0..b.next() % 40 {
            let path = rule_path(&mut b);
            let bits = u16::from(b.next()) | (u16::from(b.next() & 1) << 8);
            let caps: Vec<String> = Capability::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, c)| format!("\"{}\"", c.as_str()))
                .collect();
            text.push_str(&format!(
                "path \"{path}\" {{\n  capabilities = [{}]\n}}\n",
                caps.join(", ")
            ));
        }
        match parse_policy_text(&format!("p{pi}"), "fuzz", &text) {
            Ok(p) => policies.push(p),
            Err(_) => return,
        }
    }
    let acl = Acl::new(&policies).expect("policies without root always build");
    let entries = reference_entries(&policies);
    for _ in 0..8 {
        let (path, list) = query(&mut b);
        let d = acl.decide(&path, list);
        let (step, caps) = reference(&entries, &path, list);
        assert_eq!(
            (d.step, d.caps),
            (step, caps),
            "path {path:?} list={list}\n{policies:#?}"
        );
    }
});
