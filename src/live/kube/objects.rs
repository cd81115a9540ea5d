//! Listed items → what the scan reads: YAML virtual files for objects, Pod facts for the
//! live rules, controller ownership, and `--snapshot-dir` files.

use crate::diagnostic::{Diagnostic, Level};
use crate::live::{LiveInput, VirtualFile};
pub use crate::model::live::kube::detect_cni;
use crate::model::live::kube::{KubeFacts, LivePod, ResourceType};
use crate::source::classify::Format;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The namespace segment of a cluster-scoped object's logical path.
pub const CLUSTER_SCOPE: &str = "_cluster";

/// Turns listed items into inputs and facts.
pub struct Converter<'a> {
    context: &'a str,
    snapshot_dir: Option<&'a Path>,
    errors: Vec<Diagnostic>,
    written: Vec<(String, PathBuf)>,
}

/// `k8s://<context>/<namespace>/<Kind>/<name>`.
pub fn logical_path(context: &str, namespace: &str, kind: &str, name: &str) -> String {
    let ns = if namespace.is_empty() {
        CLUSTER_SCOPE
    } else {
        namespace
    };
    format!("k8s://{context}/{ns}/{kind}/{name}")
}

fn str_at<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The controller owner reference `(kind, name)`.
fn controller_of(item: &Value) -> Option<(String, String)> {
    item.pointer("/metadata/ownerReferences")?
        .as_array()?
        .iter()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|o| (str_at(o, "/kind").to_owned(), str_at(o, "/name").to_owned()))
}

impl<'a> Converter<'a> {
    pub fn new(context: &'a str, snapshot_dir: Option<&'a Path>) -> Converter<'a> {
        Converter {
            context,
            snapshot_dir,
            errors: Vec::new(),
            written: Vec::new(),
        }
    }

    /// Adds one listed item. `facts_only` items (kube-system Pods read for CNI detection)
    /// feed facts but are not scanned as objects.
    pub fn add(
        &mut self,
        r: &ResourceType,
        item: Value,
        facts_only: bool,
        facts: &mut KubeFacts,
        out: &mut LiveInput,
        seen: &mut HashSet<String>,
    ) {
        let Value::Object(fields) = item else { return };
        // Items of typed lists carry no kind/apiVersion: put them back, first, as in a manifest.
        let mut obj = Map::new();
        obj.insert("apiVersion".into(), Value::String(r.group_version()));
        obj.insert("kind".into(), Value::String(r.kind.to_owned()));
        for (k, v) in fields {
            if k != "apiVersion" && k != "kind" {
                obj.insert(k, v);
            }
        }
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            // Server bookkeeping, large and irrelevant to every rule.
            meta.remove("managedFields");
        }
        let obj = Value::Object(obj);
        let namespace = str_at(&obj, "/metadata/namespace").to_owned();
        let name = str_at(&obj, "/metadata/name").to_owned();
        let controller = controller_of(&obj);
        if r.kind == "Pod" {
            let text = super::render::to_yaml(&obj);
            if let Some(doc) = crate::syntax::yaml::parse(&text).documents.first() {
                facts.pods.push(LivePod::from_node(&doc.root, &namespace));
            }
            // Controller-owned Pods are judged through their controller's template.
            if controller.is_some() {
                return;
            }
        }
        if facts_only {
            return;
        }
        if matches!(r.kind, "ReplicaSet" | "Job") {
            if let Some(c) = controller {
                facts.owners.insert((namespace, r.kind.to_owned(), name), c);
                return;
            }
        }
        let path = logical_path(self.context, &namespace, &r.path_kind(), &name);
        if !seen.insert(path.clone()) {
            return;
        }
        let text = super::render::to_yaml(&obj);
        if let Some(dir) = self.snapshot_dir {
            let file = dir
                .join(component(self.context))
                .join(component(if namespace.is_empty() {
                    CLUSTER_SCOPE
                } else {
                    &namespace
                }))
                .join(component(&r.path_kind()))
                .join(format!("{}.yaml", component(&name)));
            let snapshot = if r.kind == "Secret" {
                super::render::to_yaml(&redacted(&obj))
            } else {
                text.clone()
            };
            let written = file
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(&file, snapshot));
            match written {
                Ok(()) => self.written.push((path.clone(), file)),
                Err(e) => self.errors.push(Diagnostic::new(
                    Level::Error,
                    "live-incomplete",
                    path.as_str().into(),
                    None,
                    format!("cannot write snapshot {}: {e}", file.display()),
                )),
            }
        }
        out.files.push(VirtualFile {
            path,
            text,
            format: Format::Yaml,
        });
    }

    /// Records the snapshot files and returns the problems met.
    pub fn finish(self, facts: &mut KubeFacts) -> Vec<Diagnostic> {
        for (logical, file) in self.written {
            facts
                .snapshots
                .insert(logical, file.to_string_lossy().replace('\\', "/"));
        }
        self.errors
    }
}

/// A path component that cannot escape its directory.
fn component(s: &str) -> String {
    let c: String = s
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c == '\0' {
                '_'
            } else {
                c
            }
        })
        .collect();
    if c.is_empty() || c == "." || c == ".." {
        format!("_{c}")
    } else {
        c
    }
}

/// A Secret with every value replaced (snapshots never hold secret values on disk); each
/// key keeps its line, so spans found in the in-memory text still fit the file.
fn redacted(obj: &Value) -> Value {
    let mut o = obj.clone();
    for section in ["data", "stringData"] {
        if let Some(m) = o.get_mut(section).and_then(Value::as_object_mut) {
            for v in m.values_mut() {
                *v = Value::String("<redacted>".into());
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::live::kube::RESOURCES;

    fn res(kind: &str) -> ResourceType {
        *RESOURCES.iter().find(|r| r.kind == kind && !r.crd).unwrap()
    }

    #[test]
    fn owned_pods_become_facts_and_bare_objects_become_files() {
        let mut facts = KubeFacts::default();
        let mut out = LiveInput::default();
        let mut seen = HashSet::new();
        let mut c = Converter::new("ctx", None);
        let owned = serde_json::json!({
            "metadata": { "name": "api-1", "namespace": "prod",
                "annotations": { "vault.hashicorp.com/agent-inject-status": "injected" },
                "ownerReferences": [{ "kind": "ReplicaSet", "name": "api-7f", "controller": true }] },
            "spec": { "volumes": [{ "name": "v", "secret": { "secretName": "db" } }],
                      "containers": [{ "name": "app", "envFrom": [{ "secretRef": { "name": "env" } }] }] }
        });
        c.add(&res("Pod"), owned, false, &mut facts, &mut out, &mut seen);
        let rs = serde_json::json!({ "metadata": { "name": "api-7f", "namespace": "prod",
            "ownerReferences": [{ "kind": "Deployment", "name": "api", "controller": true }] } });
        c.add(
            &res("ReplicaSet"),
            rs,
            false,
            &mut facts,
            &mut out,
            &mut seen,
        );
        let dep = serde_json::json!({ "metadata": { "name": "api", "namespace": "prod",
            "managedFields": [{ "manager": "kubectl" }] } });
        c.add(
            &res("Deployment"),
            dep,
            false,
            &mut facts,
            &mut out,
            &mut seen,
        );
        assert!(c.finish(&mut facts).is_empty());
        assert_eq!(out.files.len(), 1);
        assert_eq!(out.files[0].path, "k8s://ctx/prod/Deployment/api");
        assert!(out.files[0]
            .text
            .starts_with("apiVersion: \"apps/v1\"\nkind: \"Deployment\"\n"));
        assert!(!out.files[0].text.contains("managedFields"));
        let pod = &facts.pods[0];
        assert!(pod.vault_injected);
        assert_eq!(pod.secret_refs, vec!["db", "env"]);
        assert_eq!(facts.top_owner(pod), ("Deployment".into(), "api".into()));
    }

    #[test]
    fn snapshots_hold_no_secret_values_and_keep_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut facts = KubeFacts::default();
        let mut out = LiveInput::default();
        let mut c = Converter::new("ctx", Some(dir.path()));
        let secret = serde_json::json!({ "metadata": { "name": "db", "namespace": "prod" },
            "type": "Opaque", "data": { "password": "c2VjcmV0LXZhbHVl" } });
        c.add(
            &res("Secret"),
            secret,
            false,
            &mut facts,
            &mut out,
            &mut HashSet::new(),
        );
        assert!(c.finish(&mut facts).is_empty());
        let file = &facts.snapshots["k8s://ctx/prod/Secret/db"];
        let written = std::fs::read_to_string(file).unwrap();
        assert!(!written.contains("c2VjcmV0LXZhbHVl"));
        assert_eq!(written.lines().count(), out.files[0].text.lines().count());
        assert!(file.ends_with("ctx/prod/Secret/db.yaml"));
    }

    #[test]
    fn cni_agents_are_recognised() {
        let pod = |ns: &str, name: &str| LivePod {
            namespace: ns.into(),
            name: name.into(),
            ..Default::default()
        };
        assert_eq!(
            detect_cni(&[pod("kube-system", "cilium-x2x9")]),
            vec!["cilium"]
        );
        assert!(detect_cni(&[pod("kube-system", "coredns-1"), pod("prod", "cilium-1")]).is_empty());
    }
}
