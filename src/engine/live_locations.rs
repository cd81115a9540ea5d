//! Where findings on live objects point. A finding on `k8s://<ctx>/<ns>/<Kind>/<name>` moves
//! to the manifest that defines the same kind/namespace/name when the scan also read it (a
//! GitOps repo scanned with `--kube`): same field path → the same key in the file, else the
//! object's `kind:` line; the live object stays as a related location. Otherwise, with
//! `--snapshot-dir`, it moves to the snapshot file written for the object (same spans). So
//! GitHub code scanning, which only shows findings in files, can show live findings.

use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::rules::Finding;
use crate::syntax::yaml::{Node, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// True for a logical live path (`k8s://…`, `vault://…`, `aws://…`).
pub fn is_live(path: &str) -> bool {
    path.contains("://")
}

/// One step from a node to a child.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    /// A sequence item: its index and, when it has one, its `name` (containers, env entries
    /// and volumes are matched by name, not position).
    Item(usize, Option<String>),
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The path from `node` to the deepest node holding `target`; `true` when the target is a
/// mapping key rather than a value.
fn path_to(node: &Node, target: Span, steps: &mut Vec<Step>) -> bool {
    match &node.value {
        Value::Map(entries) => {
            for e in entries.iter().rev() {
                let Some(k) = e.key.as_str() else { continue };
                if e.key.span == target || contains(e.key.span, target) {
                    steps.push(Step::Key(k.to_owned()));
                    return true;
                }
                if contains(e.value.span, target) {
                    steps.push(Step::Key(k.to_owned()));
                    return path_to(&e.value, target, steps);
                }
            }
            false
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if contains(item.span, target) {
                    let name = item.get("name").and_then(Node::as_str).map(str::to_owned);
                    steps.push(Step::Item(i, name));
                    return path_to(item, target, steps);
                }
            }
            false
        }
        Value::Scalar(_) => false,
    }
}

/// The span in `root` at `steps` (a key span when `at_key`), if the path exists there.
fn resolve(root: &Node, steps: &[Step], at_key: bool) -> Option<Span> {
    let mut node = root;
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        match step {
            Step::Key(k) => {
                let e = node.entry(k)?;
                if last && at_key {
                    return Some(e.key.span);
                }
                node = &e.value;
            }
            Step::Item(idx, name) => {
                let items = node.as_seq()?;
                node = match name {
                    Some(n) => items
                        .iter()
                        .find(|it| it.get("name").and_then(Node::as_str) == Some(n))?,
                    None => items.get(*idx)?,
                };
            }
        }
    }
    Some(node.span)
}

/// The object of `file` that holds `span`.
fn holder(objects: &[K8sObject], span: Span) -> Option<&K8sObject> {
    objects
        .iter()
        .find(|o| contains(o.root().span, span) || o.root().span.start <= span.start)
}

/// Moves findings on live Kubernetes objects to the manifests that define them.
pub fn to_manifests(findings: &mut Vec<Finding>, inv: &Inventory) {
    if !findings
        .iter()
        .any(|f| f.location.path.starts_with("k8s://"))
    {
        return;
    }
    let mut manifests: HashMap<(&str, &str, &str), &K8sObject> = HashMap::new();
    for file in inv.files.iter().filter(|f| !is_live(&f.path)) {
        for o in &file.objects {
            manifests
                .entry((o.kind.as_str(), o.namespace.as_str(), o.name.as_str()))
                .or_insert(o);
        }
    }
    if manifests.is_empty() {
        return;
    }
    // Findings the static scan made itself: a live copy of one of them adds nothing.
    let static_keys: HashSet<(&'static str, Arc<str>, Span)> = findings
        .iter()
        .filter(|f| !is_live(&f.location.path))
        .map(|f| (f.rule_id, f.location.path.clone(), f.location.span))
        .collect();
    let mut dropped = vec![false; findings.len()];
    for (i, f) in findings.iter_mut().enumerate() {
        if !f.location.path.starts_with("k8s://") {
            continue;
        }
        let Some(file) = inv.file(&f.location.path) else {
            continue;
        };
        let Some(live) = holder(&file.objects, f.location.span) else {
            continue;
        };
        let Some(manifest) = manifests.get(&(
            live.kind.as_str(),
            live.namespace.as_str(),
            live.name.as_str(),
        )) else {
            continue;
        };
        let mut steps = Vec::new();
        let at_key = path_to(live.root(), f.location.span, &mut steps);
        let span = resolve(manifest.root(), &steps, at_key).unwrap_or_else(|| manifest.kind_span());
        let moved = Location::new(manifest.path.clone(), span);
        if static_keys.contains(&(f.rule_id, moved.path.clone(), moved.span)) {
            dropped[i] = true;
            continue;
        }
        let original = std::mem::replace(&mut f.location, moved);
        f.related(original, format!("live object {}", live.display()));
    }
    // One pass: removing each copy in turn shifted the tail every time (findings × copies).
    let mut dropped = dropped.into_iter();
    findings.retain(|_| !dropped.next().unwrap_or(false));
}

/// Moves findings on live objects to their `--snapshot-dir` files (same spans) and gives
/// the reports the quoted text under the new name.
pub fn to_snapshots(
    findings: &mut [Finding],
    snapshots: &BTreeMap<String, String>,
    sources: &mut BTreeMap<String, String>,
) {
    if snapshots.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        let Some(file) = snapshots.get(&*f.location.path) else {
            continue;
        };
        if let Some(text) = sources.get(&*f.location.path).cloned() {
            sources.insert(file.clone(), text);
        }
        let moved = Location::new(Arc::from(file.as_str()), f.location.span);
        let original = std::mem::replace(&mut f.location, moved);
        f.related(original, "live object");
    }
    findings.sort_by(|a, b| {
        (&a.location.path, a.location.span.start, a.rule_id).cmp(&(
            &b.location.path,
            b.location.span.start,
            b.rule_id,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::file::load_text;
    use crate::source::classify::Format;

    const LIVE: &str = "apiVersion: \"apps/v1\"\nkind: \"Deployment\"\nmetadata:\n  name: \"api\"\n  namespace: \"prod\"\nspec:\n  template:\n    spec:\n      containers:\n      - name: \"sidecar\"\n      - name: \"app\"\n        env:\n        - name: \"VAULT_SKIP_VERIFY\"\n          value: \"true\"\n";
    // The manifest orders containers differently and has extra lines: matching is by name.
    const MANIFEST: &str = "# managed by argo\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1\n          env:\n            - name: VAULT_SKIP_VERIFY\n              value: \"true\"\n        - name: sidecar\n";

    fn scan(files: Vec<(&str, &str)>) -> (Inventory, Vec<Finding>) {
        let parsed = files
            .into_iter()
            .map(|(p, t)| load_text(p, t.to_owned(), Some(Format::Yaml)))
            .collect();
        let inv = Inventory::new(parsed, "default", &[]);
        let config = crate::engine::config::Config::default();
        let (findings, _, _) = crate::engine::scan::run_rules(&inv, &config);
        (inv, findings)
    }

    #[test]
    fn live_findings_move_to_the_same_key_of_the_manifest() {
        let live_path = "k8s://ctx/prod/Deployment/api";
        let (inv, mut findings) = scan(vec![(live_path, LIVE)]);
        findings.retain(|f| f.rule_id == "K8S001");
        assert_eq!(findings.len(), 1, "{findings:?}");
        // The manifest is in the scan too, but suppose the repo copy had drifted: only the
        // live object has the finding.
        let (inv2, _) = scan(vec![(live_path, LIVE), ("deploy/api.yaml", MANIFEST)]);
        let mut moved = findings.clone();
        to_manifests(&mut moved, &inv2);
        let f = &moved[0];
        assert_eq!(&*f.location.path, "deploy/api.yaml");
        assert_eq!(f.location.span.start.line, 15, "{:?}", f.location);
        assert_eq!(&*f.related.last().unwrap().location.path, live_path);
        drop(inv);
    }

    #[test]
    fn a_live_copy_of_a_static_finding_is_dropped_and_unmatched_falls_back() {
        let live_path = "k8s://ctx/prod/Deployment/api";
        let (inv, mut findings) = scan(vec![(live_path, LIVE), ("deploy/api.yaml", MANIFEST)]);
        findings.retain(|f| f.rule_id == "K8S001");
        assert_eq!(findings.len(), 2);
        to_manifests(&mut findings, &inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(&*findings[0].location.path, "deploy/api.yaml");
        // A path the manifest lacks falls back to the object's `kind:` line.
        let manifest = &inv.file("deploy/api.yaml").unwrap().objects[0];
        let steps = vec![Step::Key("status".into())];
        assert_eq!(resolve(manifest.root(), &steps, true), None);
        assert_eq!(manifest.kind_span().start.line, 3);
    }

    /// Many live copies of static findings, dropped in one pass, among live findings the
    /// manifest lacks (moved to its `kind:` line and kept), all in their original order.
    #[test]
    fn many_live_copies_are_dropped_and_the_rest_keep_their_order() {
        let container = |name: &str| {
            format!(
                "      - name: \"{name}\"\n        env:\n        - name: \"VAULT_SKIP_VERIFY\"\n          value: \"true\"\n"
            )
        };
        let head = "apiVersion: \"apps/v1\"\nkind: \"Deployment\"\nmetadata:\n  name: \"api\"\n  namespace: \"prod\"\nspec:\n  template:\n    spec:\n      containers:\n";
        let names: Vec<String> = (0..60).map(|i| format!("c{i}")).collect();
        let live = names.iter().fold(head.to_owned(), |t, n| t + &container(n));
        // The manifest lacks every fifth container.
        let manifest = names
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 5 != 0)
            .fold(head.to_owned(), |t, (_, n)| t + &container(n));
        let live_path = "k8s://ctx/prod/Deployment/api";
        let (inv, mut findings) = scan(vec![(live_path, &live), ("deploy/api.yaml", &manifest)]);
        findings.retain(|f| f.rule_id == "K8S001");
        assert_eq!(findings.len(), 60 + 48);
        let before = findings.clone();
        to_manifests(&mut findings, &inv);
        assert_eq!(findings.len(), 48 + 12);
        // Every static finding kept, in order; each kept live one from a missing container,
        // in order.
        let moved = |f: &&Finding| f.related.last().is_some_and(|r| is_live(&r.location.path));
        let key = |f: &Finding| (f.rule_id, f.location.clone(), f.message.clone());
        let statics: Vec<_> = before
            .iter()
            .filter(|f| !is_live(&f.location.path))
            .map(key)
            .collect();
        let kept_static: Vec<_> = findings.iter().filter(|f| !moved(f)).map(key).collect();
        assert_eq!(kept_static, statics);
        let kept_live: Vec<Location> = findings
            .iter()
            .filter(moved)
            .map(|f| f.related.last().unwrap().location.clone())
            .collect();
        let missing: Vec<Location> = before
            .iter()
            .filter(|f| is_live(&f.location.path))
            .filter(|f| (f.location.span.start.line - 10) / 4 % 5 == 0)
            .map(|f| f.location.clone())
            .collect();
        assert_eq!(kept_live, missing);
    }

    #[test]
    fn snapshot_paths_replace_logical_ones() {
        let live_path = "k8s://ctx/prod/Deployment/api";
        let (_inv, mut findings) = scan(vec![(live_path, LIVE)]);
        findings.retain(|f| f.rule_id == "K8S001");
        let span = findings[0].location.span;
        let snapshots = BTreeMap::from([(
            live_path.to_owned(),
            "snap/ctx/prod/Deployment/api.yaml".to_owned(),
        )]);
        let mut sources = BTreeMap::from([(live_path.to_owned(), LIVE.to_owned())]);
        to_snapshots(&mut findings, &snapshots, &mut sources);
        assert_eq!(
            &*findings[0].location.path,
            "snap/ctx/prod/Deployment/api.yaml"
        );
        assert_eq!(findings[0].location.span, span);
        assert!(sources.contains_key("snap/ctx/prod/Deployment/api.yaml"));
    }
}
