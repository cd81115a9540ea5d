//! Label selectors (`model::netpol::selector`) and Calico selector expressions
//! (`model::netpol::cni::parse_calico`).
//!
//! The first input byte picks the mode. Even: the rest is YAML text; every document root is
//! read as a selector and as a Calico expression, matched against a fixed label set, and
//! described — nothing may panic or hang. Odd: the bytes build a random selector over a small
//! alphabet (matchLabels, matchExpressions with valid and invalid operators, with and without
//! values) and a random label set; the selector is rendered as block or flow YAML, parsed back
//! through the YAML reader, and must give what a naive model of the API server's rules gives:
//! "unknown" exactly when validation rejects it, else the same match result.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealant::model::netpol::cni::parse_calico;
use sealant::model::netpol::selector::{self, Labels, Selector};
use sealant::syntax::yaml;
use sealant_fuzz::Bytes;

const KEYS: &[&str] = &["app", "tier", "env", "example.com/team"];
const VALUES: &[&str] = &["web", "db", "", "a-b.c"];
const OPS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist", "in", "Equals"];

struct Expr {
    key: &'static str,
    op: &'static str,
    values: Vec<&'static str>,
}

/// The API server's rules, written the slow and obvious way.
fn reference(labels_req: &[(&str, &str)], exprs: &[Expr], labels: &Labels) -> Option<bool> {
    for e in exprs {
        let valid = match e.op {
            "In" | "NotIn" => !e.values.is_empty(),
            "Exists" | "DoesNotExist" => e.values.is_empty(),
            _ => false,
        };
        if !valid {
            return None;
        }
    }
    let ok_labels = labels_req
        .iter()
        .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v));
    let ok_exprs = exprs.iter().all(|e| {
        let have = labels.get(e.key).map(String::as_str);
        match e.op {
            "In" => have.is_some_and(|h| e.values.contains(&h)),
            "NotIn" => !have.is_some_and(|h| e.values.contains(&h)),
            "Exists" => have.is_some(),
            _ => have.is_none(),
        }
    });
    Some(ok_labels && ok_exprs)
}

fn render(labels_req: &[(&str, &str)], exprs: &[Expr], flow: bool) -> String {
    let q = |s: &str| format!("\"{s}\"");
    if flow {
        let ml: Vec<String> = labels_req
            .iter()
            .map(|(k, v)| format!("{}: {}", q(k), q(v)))
            .collect();
        let me: Vec<String> = exprs
            .iter()
            .map(|e| {
                let vals: Vec<String> = e.values.iter().map(|v| q(v)).collect();
                let values = if e.values.is_empty() {
                    String::new()
                } else {
                    format!(", values: [{}]", vals.join(", "))
                };
                format!("{{key: {}, operator: {}{values}}}", q(e.key), e.op)
            })
            .collect();
        format!(
            "{{matchLabels: {{{}}}, matchExpressions: [{}]}}\n",
            ml.join(", "),
            me.join(", ")
        )
    } else {
        let mut s = String::new();
        if !labels_req.is_empty() {
            s.push_str("matchLabels:\n");
            for (k, v) in labels_req {
                s.push_str(&format!("  {}: {}\n", q(k), q(v)));
            }
        }
        if !exprs.is_empty() {
            s.push_str("matchExpressions:\n");
            for e in exprs {
                s.push_str(&format!("- key: {}\n  operator: {}\n", q(e.key), e.op));
                if !e.values.is_empty() {
                    s.push_str("  values:\n");
                    for v in &e.values {
                        s.push_str(&format!("  - {}\n", q(v)));
                    }
                }
            }
        }
        if s.is_empty() {
            s.push_str("{}\n");
        }
        s
    }
}

fn structured(b: &mut Bytes) {
    let mut labels_req: Vec<(&str, &str)> = Vec::new();
    for _ in 0..b.next() % 3 {
        let k = b.pick(KEYS);
        let v = b.pick(VALUES);
        // A YAML mapping cannot repeat a key.
        if !labels_req.iter().any(|(have, _)| *have == k) {
            labels_req.push((k, v));
        }
    }
    let exprs: Vec<Expr> = (0..b.next() % 4)
        .map(|_| {
            let key = b.pick(KEYS);
            let op = b.pick(OPS);
            let values = (0..b.next() % 3).map(|_| b.pick(VALUES)).collect();
            Expr { key, op, values }
        })
        .collect();
    let labels: Labels = (0..b.next() % 4)
        .map(|_| (b.pick(KEYS).to_owned(), b.pick(VALUES).to_owned()))
        .collect();
    let text = render(&labels_req, &exprs, b.next() & 1 == 1);
    let stream = yaml::parse(&text);
    assert!(
        stream.issues.iter().all(|i| !i.is_error),
        "rendered YAML must parse: {text}"
    );
    let root = &stream.documents[0].root;
    let sel = selector::parse(root, false);
    let want = reference(&labels_req, &exprs, &labels);
    let got = sel.matches(Some(&labels));
    if want.is_none() {
        assert!(
            matches!(sel, Selector::Unknown(_)),
            "invalid selector accepted: {text}"
        );
    } else {
        assert_eq!(
            got,
            want,
            "selector {text} on labels {labels:?} ({})",
            sel.describe()
        );
    }
    let _ = sel.describe();
}

fn raw(text: &str) {
    let labels: Labels = [("app", "web"), ("tier", "db")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    for doc in yaml::parse(text).documents {
        for templated in [false, true] {
            let sel = selector::parse(&doc.root, templated);
            let _ = sel.matches(Some(&labels));
            let _ = sel.matches(None);
            let _ = sel.describe();
        }
    }
    if let Ok(expr) = parse_calico(text) {
        let _ = expr.eval(&labels);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 1 {
        structured(&mut Bytes(rest));
    } else if let Ok(text) = std::str::from_utf8(rest) {
        raw(text);
    }
});
