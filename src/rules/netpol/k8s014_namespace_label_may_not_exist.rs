//! K8S014 — NetworkPolicy selects namespaces by a label that may not exist: a
//! `namespaceSelector` requirement (a `matchLabels` entry, or a `matchExpressions` `In`/
//! `Exists`) on a key other than `kubernetes.io/metadata.name` — which the API server sets on
//! every namespace — that no `Namespace` manifest of the scan set satisfies (offline: low).
//! Such a peer silently matches nothing (seed002's `namespaceSelector: {name: vault}`).

use super::{model, policy_display};
use crate::model::inventory::Inventory;
use crate::model::netpol::policy::{Direction, Peer};
use crate::model::netpol::selector::{Labels, Op, Requirement, Selector};
use crate::rules::{Context, Emitter, Rule};
use std::collections::{HashMap, HashSet};

pub struct NamespaceLabelMayNotExist;

const AUTOMATIC: &str = "kubernetes.io/metadata.name";

/// The labels the scan set's `Namespace` manifests carry, by key, so that a requirement is
/// answered by one lookup instead of a pass over every manifest.
#[derive(Debug, Default)]
struct NamespaceLabels<'a> {
    /// Some manifest's labels are templated (`*`): it could carry any label.
    any: bool,
    /// Label key → every value some manifest gives it.
    values: HashMap<&'a str, HashSet<&'a str>>,
}

impl<'a> NamespaceLabels<'a> {
    fn new(namespaces: &'a [Labels]) -> NamespaceLabels<'a> {
        let mut ix = NamespaceLabels::default();
        for l in namespaces {
            ix.any |= l.contains_key("*");
            for (k, v) in l {
                ix.values.entry(k).or_default().insert(v);
            }
        }
        ix
    }

    /// True when some manifest satisfies `r` (an `In` or `Exists` requirement), or may.
    fn satisfied(&self, r: &Requirement) -> bool {
        self.any
            || match (r.op, self.values.get(r.key.as_str())) {
                (_, None) => false,
                (Op::In, Some(vs)) => r.values.iter().any(|v| vs.contains(v.as_str())),
                (_, Some(_)) => true,
            }
    }
}

impl Rule for NamespaceLabelMayNotExist {
    fn id(&self) -> &'static str {
        "K8S014"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let m = model(inv);
        let labels = NamespaceLabels::new(&m.namespace_labels);
        for (key, p) in &m.policies {
            let o = &inv.files[p.file].objects[p.object];
            for d in [Direction::Ingress, Direction::Egress] {
                for (ri, rule) in p.rules(d).iter().enumerate() {
                    for peer in rule.peers.iter().flatten() {
                        let Peer::Pods {
                            namespaces: Some(Selector::Match(reqs)),
                            pods,
                            ..
                        } = peer
                        else {
                            continue;
                        };
                        for r in reqs {
                            if r.key == AUTOMATIC
                                || !matches!(r.op, Op::In | Op::Exists)
                                || labels.satisfied(r)
                            {
                                continue;
                            }
                            let injector = matches!(pods, Some(Selector::Match(p)) if p.iter().any(|q| q.key == "app.kubernetes.io/name" && q.values.iter().any(|v| v == "vault-agent-injector")));
                            let note = if injector {
                                " (note: its podSelector picks the vault-agent-injector webhook pods, not the Vault server)"
                            } else {
                                ""
                            };
                            let f = out.report(
                                o.location(r.span),
                                format!("{} selects namespaces by `{}`, which no Namespace in the scan set carries; only `{AUTOMATIC}` is set automatically, so this {} peer may match no namespace at all{note}", policy_display(inv, key, p), r.describe(), match d { Direction::Ingress => "ingress", Direction::Egress => "egress" }),
                            );
                            let dir = match d {
                                Direction::Ingress => "ingress",
                                Direction::Egress => "egress",
                            };
                            f.identity(format!(
                                "{}/spec/{dir}/{ri}/namespaceSelector/{}",
                                o.identity(),
                                r.key
                            ));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Span;

    /// The answer before the index: a pass over every manifest's labels.
    fn brute(r: &Requirement, namespaces: &[Labels]) -> bool {
        namespaces.iter().any(|l| {
            l.contains_key("*")
                || match r.op {
                    Op::In => l.get(&r.key).is_some_and(|v| r.values.contains(v)),
                    _ => l.contains_key(&r.key),
                }
        })
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Keys shared by several manifests with different values, values that are another key's,
    /// empty values, `In` with no or several values, `Exists`, missing keys, and a templated
    /// manifest that may carry anything: the index answers what the pass answered.
    #[test]
    fn label_index_answers_as_a_pass_over_every_namespace() {
        let plain = vec![
            labels(&[("team", "a"), ("env", "prod")]),
            labels(&[("team", "b"), ("name", "vault")]),
            labels(&[("env", ""), ("tier", "team")]),
            labels(&[]),
        ];
        let mut templated = plain.clone();
        templated.insert(1, labels(&[("*", "*")]));
        let req = |key: &str, op: Op, values: &[&str]| Requirement {
            key: key.into(),
            op,
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            span: Span::file_start(),
            from_match_labels: false,
        };
        let reqs = [
            req("team", Op::In, &["a"]),
            req("team", Op::In, &["c", "b"]),
            req("team", Op::In, &["c"]),
            req("team", Op::In, &[]),
            req("env", Op::In, &[""]),
            req("tier", Op::In, &["a"]),
            req("name", Op::Exists, &[]),
            req("missing", Op::Exists, &[]),
            req("missing", Op::In, &["a"]),
            req("a", Op::Exists, &[]),
        ];
        let mut seen = [0, 0];
        for namespaces in [&plain, &templated, &Vec::new()] {
            let ix = NamespaceLabels::new(namespaces);
            for r in &reqs {
                let want = brute(r, namespaces);
                assert_eq!(ix.satisfied(r), want, "{r:?} over {namespaces:?}");
                seen[usize::from(want)] += 1;
            }
        }
        // Not vacuous: both answers occur.
        assert!(seen[0] >= 5 && seen[1] >= 5, "{seen:?}");
    }
}
