//! The Kubernetes collector (`--kube`): read-only LISTs of the kinds the rules read, each
//! paginated (`limit`/`continue`), a bounded number at a time. One LIST per kind and page —
//! never one request per object. Objects become YAML [`VirtualFile`]s at
//! `k8s://<context>/<namespace>/<Kind>/<name>` so every static rule applies to them; Pods owned
//! by a controller are deduplicated to it (RULES-SPEC §1(h)) and kept as facts for the live
//! rules; what could not be read becomes a `live-incomplete` error diagnostic.

pub mod client;
pub mod objects;
pub mod render;

use super::{LiveInput, LiveOptions};
use crate::diagnostic::{Diagnostic, Level};
use crate::model::live::kube::{KubeFacts, ResourceType, RESOURCES};
use client::{FetchError, Kube};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// Items per page.
pub const PAGE_SIZE: usize = 500;
/// LISTs in flight at once.
pub const PARALLEL_LISTS: usize = 8;
/// More pages than this for one kind is a server that never finishes: stop and say so.
pub const MAX_PAGES: usize = 100_000;

/// The logical source of the whole cluster, for diagnostics that concern no single kind.
fn cluster_source(context: &str) -> String {
    format!("k8s://{context}")
}

/// Lists the cluster's objects.
pub async fn collect(opts: &LiveOptions) -> LiveInput {
    super::install_crypto_provider();
    let kube = match Kube::connect(opts).await {
        Ok(k) => Arc::new(k),
        Err(e) => return LiveInput::failed("k8s://", format!("cannot connect to Kubernetes: {e}")),
    };
    let mut out = LiveInput::default();
    let mut facts = KubeFacts {
        context: kube.context.clone(),
        ..Default::default()
    };
    let source = cluster_source(&kube.context);
    match kube.get_json("/version").await {
        Ok(v) => {
            facts.server_version = v
                .get("gitVersion")
                .and_then(Value::as_str)
                .map(str::to_owned)
        }
        Err(e) => out
            .diagnostics
            .push(incomplete(&source, format!("cannot read /version: {e}"))),
    }
    let (served, notes) = discover(&kube, &source).await;
    out.diagnostics.extend(notes);
    facts.served_groups = served.groups;
    let namespace = if opts.all_namespaces {
        None
    } else {
        opts.namespace.clone()
    };
    let mut targets: Vec<(ResourceType, Option<String>)> = Vec::new();
    for r in RESOURCES {
        if r.crd && !served.crds.contains(&(r.group, r.version)) {
            continue;
        }
        match (&namespace, r.namespaced) {
            (None, _) => targets.push((*r, None)),
            (Some(ns), true) => targets.push((*r, Some(ns.clone()))),
            // A namespace-scoped scan reads no cluster-scoped kinds (its RBAC may be a Role).
            (Some(_), false) => {}
        }
    }
    // LKS003 looks for CNI pods in kube-system, also when the scan is limited elsewhere.
    if namespace.as_deref().is_some_and(|ns| ns != "kube-system") {
        if let Some(pods) = RESOURCES.iter().find(|r| r.kind == "Pod") {
            targets.push((*pods, Some("kube-system".into())));
        }
    }
    let lists = list_all(&kube, targets).await;
    let mut seen_paths: HashSet<String> = HashSet::new();
    let mut converter = objects::Converter::new(&kube.context, opts.snapshot_dir.as_deref());
    for list in lists {
        let scope = list.namespace.as_deref();
        if let Some(err) = &list.error {
            out.diagnostics.push(incomplete(
                &format!(
                    "k8s://{}/{}/{}",
                    kube.context,
                    scope.unwrap_or("*"),
                    list.resource.path_kind()
                ),
                format!(
                    "could not list {} ({}){}: {err}",
                    list.resource.resource_name(),
                    list.resource.list_path(scope),
                    if list.items.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; {} objects read before the failure are scanned",
                            list.items.len()
                        )
                    },
                ),
            ));
        }
        // kube-system Pods read only for CNI detection do not become objects.
        let cni_only = namespace.is_some()
            && scope == Some("kube-system")
            && namespace.as_deref() != Some("kube-system");
        if list.resource.kind == "Pod"
            && (scope.is_none() || scope == Some("kube-system"))
            && list.error.is_none()
        {
            facts.cni_checked = true;
        }
        for item in list.items {
            converter.add(
                &list.resource,
                item,
                cni_only,
                &mut facts,
                &mut out,
                &mut seen_paths,
            );
        }
    }
    facts.cni = objects::detect_cni(&facts.pods);
    out.diagnostics.extend(converter.finish(&mut facts));
    out.api_calls.push(("kubernetes", kube.calls()));
    out.facts.kube = Some(facts);
    out
}

fn incomplete(source: &str, message: String) -> Diagnostic {
    Diagnostic::new(
        Level::Error,
        "live-incomplete",
        source.into(),
        None,
        message,
    )
}

/// What discovery said is served.
struct Served {
    /// `(group, version)` of the CRDs in [`RESOURCES`] the API serves.
    crds: HashSet<(&'static str, &'static str)>,
    groups: Vec<String>,
}

/// Which CRD groups/versions the API serves (`/apis`). An absent CRD is skipped with a note;
/// a discovery failure is an incomplete scan (the CRDs cannot be read).
async fn discover(kube: &Kube, source: &str) -> (Served, Vec<Diagnostic>) {
    let mut notes = Vec::new();
    let mut served = Served {
        crds: HashSet::new(),
        groups: Vec::new(),
    };
    let groups = match kube.get_json("/apis").await {
        Ok(v) => v,
        Err(e) => {
            notes.push(incomplete(
                source,
                format!("API discovery (/apis) failed, custom resources (VSO, ESO, CSI, cert-manager, Cilium, Calico) not read: {e}"),
            ));
            return (served, notes);
        }
    };
    let mut available: HashSet<(String, String)> = HashSet::new();
    for g in groups
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = g.get("name").and_then(Value::as_str).unwrap_or("");
        served.groups.push(name.to_owned());
        for v in g
            .get("versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(ver) = v.get("version").and_then(Value::as_str) {
                available.insert((name.to_owned(), ver.to_owned()));
            }
        }
    }
    let mut absent: Vec<String> = Vec::new();
    for r in RESOURCES.iter().filter(|r| r.crd) {
        if available.contains(&(r.group.to_owned(), r.version.to_owned())) {
            served.crds.insert((r.group, r.version));
        } else {
            let gv = r.group_version();
            if !absent.contains(&gv) {
                absent.push(gv);
            }
        }
    }
    if !absent.is_empty() {
        notes.push(Diagnostic::new(
            Level::Note,
            "live-skipped",
            source.into(),
            None,
            format!("not served by this cluster, skipped: {}", absent.join(", ")),
        ));
    }
    (served, notes)
}

/// One kind's LIST, with every page read and the error that stopped it, if any.
pub struct Listed {
    pub resource: ResourceType,
    pub namespace: Option<String>,
    pub items: Vec<Value>,
    pub error: Option<String>,
}

/// Runs the LISTs, [`PARALLEL_LISTS`] at a time, and returns them in the order given.
async fn list_all(kube: &Arc<Kube>, targets: Vec<(ResourceType, Option<String>)>) -> Vec<Listed> {
    let sem = Arc::new(tokio::sync::Semaphore::new(PARALLEL_LISTS));
    let mut set = tokio::task::JoinSet::new();
    for (i, (r, ns)) in targets.iter().cloned().enumerate() {
        let kube = kube.clone();
        let sem = sem.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            (i, list_one(&kube, r, ns).await)
        });
    }
    let mut done: Vec<Option<Listed>> = targets.iter().map(|_| None).collect();
    while let Some(r) = set.join_next().await {
        if let Ok((i, listed)) = r {
            done[i] = Some(listed);
        }
    }
    // A task that died (a panic) still reports its kind as unread.
    done.into_iter()
        .zip(targets)
        .map(|(d, (resource, namespace))| {
            d.unwrap_or_else(|| Listed {
                resource,
                namespace,
                items: Vec::new(),
                error: Some("internal error: the list task failed".into()),
            })
        })
        .collect()
}

/// Reads every page of one LIST. A `continue` token seen before is a loop: stop with an
/// error instead of reading forever; an expired token restarts the list once.
pub async fn list_one(kube: &Kube, resource: ResourceType, namespace: Option<String>) -> Listed {
    let path = resource.list_path(namespace.as_deref());
    let mut listed = Listed {
        resource,
        namespace,
        items: Vec::new(),
        error: None,
    };
    let mut token: Option<String> = None;
    let mut seen: HashSet<String> = HashSet::new();
    let mut restarted = false;
    for page in 0.. {
        if page >= MAX_PAGES {
            listed.error = Some(format!("more than {MAX_PAGES} pages; stopped"));
            break;
        }
        let url = match &token {
            None => format!("{path}?limit={PAGE_SIZE}"),
            Some(t) => format!("{path}?limit={PAGE_SIZE}&continue={}", encode(t)),
        };
        let body = match kube.get_json(&url).await {
            Ok(b) => b,
            Err(FetchError::Status { code: 410, .. }) if !restarted => {
                // The token expired mid-list: start over once, as kubectl does.
                restarted = true;
                listed.items.clear();
                seen.clear();
                token = None;
                continue;
            }
            Err(e) => {
                listed.error = Some(e.to_string());
                break;
            }
        };
        let Some(items) = body.get("items").and_then(Value::as_array) else {
            listed.error = Some("malformed response body: no `items` list".into());
            break;
        };
        listed.items.extend(items.iter().cloned());
        let next = body
            .pointer("/metadata/continue")
            .and_then(Value::as_str)
            .unwrap_or("");
        if next.is_empty() {
            break;
        }
        if !seen.insert(next.to_owned()) {
            listed.error = Some(format!(
                "pagination loop: the server repeated the continue token `{next}` after {} pages; the list is partial",
                page + 1
            ));
            break;
        }
        token = Some(next.to_owned());
    }
    listed
}

/// Percent-encodes a continue token for the query string.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::Resource;

    /// The table of built-in kinds agrees with the Kubernetes API types.
    #[test]
    fn builtin_table_matches_k8s_openapi() {
        fn check<K: Resource>() {
            let r = RESOURCES
                .iter()
                .find(|r| r.kind == K::KIND && !r.crd)
                .unwrap_or_else(|| panic!("{} missing", K::KIND));
            assert_eq!(r.group, K::GROUP, "{}", K::KIND);
            assert_eq!(r.version, K::VERSION, "{}", K::KIND);
            assert_eq!(r.plural, K::URL_PATH_SEGMENT, "{}", K::KIND);
        }
        use k8s_openapi::api::{apps::v1 as apps, batch::v1 as batch, core::v1 as core};
        check::<core::Namespace>();
        check::<core::Pod>();
        check::<core::ConfigMap>();
        check::<core::Secret>();
        check::<core::ServiceAccount>();
        check::<core::ReplicationController>();
        check::<apps::Deployment>();
        check::<apps::StatefulSet>();
        check::<apps::DaemonSet>();
        check::<apps::ReplicaSet>();
        check::<batch::Job>();
        check::<batch::CronJob>();
        check::<k8s_openapi::api::networking::v1::NetworkPolicy>();
    }

    #[test]
    fn continue_tokens_are_query_safe() {
        assert_eq!(encode("a b/c=="), "a%20b%2Fc%3D%3D");
    }
}
