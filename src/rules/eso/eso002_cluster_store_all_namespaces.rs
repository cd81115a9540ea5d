//! ESO002 — ClusterSecretStore usable from every namespace: ESO serves a `ClusterSecretStore`
//! to an ExternalSecret of any namespace when `spec.conditions` is absent or empty, or when a
//! condition matches every namespace — `namespaceSelector: {}` (an empty label selector), or
//! a `namespaceRegexes` entry that matches any name (ESO matches them unanchored, so `.*` or
//! `""` do) (external-secrets `Manager.shouldProcessSecret`). Namespaced `SecretStore`s are
//! not flagged.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct ClusterStoreAllNamespaces;

/// An empty label selector (`{}`, `matchLabels: {}`, `matchExpressions: []`) selects all.
fn selects_all(sel: &Node) -> bool {
    sel.as_map().is_some_and(|m| {
        m.iter().all(|e| match &e.value.value {
            crate::syntax::yaml::Value::Map(x) => x.is_empty(),
            crate::syntax::yaml::Value::Seq(x) => x.is_empty(),
            _ => e.value.is_null(),
        })
    }) || sel.is_null()
}

/// A namespace regex that matches every namespace name (Go `regexp.MatchString`, unanchored).
fn matches_any_name(re: &str) -> bool {
    let Ok(r) = regex::Regex::new(re) else {
        return false;
    };
    ["a", "default", "kube-system", "team-b-prod", "z9"]
        .iter()
        .all(|n| r.is_match(n))
}

impl Rule for ClusterStoreAllNamespaces {
    fn id(&self) -> &'static str {
        "ESO002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for store in super::stores(inv).filter(|s| s.kind == "ClusterSecretStore") {
            let id = format!("{}/conditions", store.identity());
            let conditions = store
                .get(&["spec", "conditions"])
                .map(Node::items)
                .unwrap_or(&[]);
            if conditions.is_empty() {
                let span = store
                    .get(&["spec"])
                    .and_then(|s| s.entry("conditions"))
                    .map_or_else(|| store.kind_span(), |e| e.key.span);
                out.report(
                    store.location(span),
                    format!("{} has no spec.conditions: an ExternalSecret in any namespace can read everything its credentials can", store.display()),
                )
                .identity(id);
                continue;
            }
            for c in conditions {
                if let Some(e) = c
                    .entry("namespaceSelector")
                    .filter(|e| selects_all(&e.value))
                {
                    out.report(
                        store.location(e.key.span),
                        format!(
                            "{}: a condition's empty namespaceSelector matches every namespace",
                            store.display()
                        ),
                    )
                    .identity(id.clone());
                }
                for r in c.get("namespaceRegexes").map(Node::items).unwrap_or(&[]) {
                    if r.as_str().is_some_and(matches_any_name) {
                        out.report(
                            store.location(r.span),
                            format!("{}: namespaceRegexes entry `{}` matches every namespace (ESO matches regexes unanchored)", store.display(), r.as_str().unwrap_or("")),
                        )
                        .identity(format!("{id}/regex/{}", r.as_str().unwrap_or("")));
                    }
                }
            }
        }
    }
}
