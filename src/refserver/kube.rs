//! The Kubernetes list API of the reference server (RULES-SPEC §4.1), from the world's
//! `kubernetes:` section:
//!
//! ```yaml
//! kubernetes:
//!   version: v1.31.2            # /version gitVersion
//!   crds: [external-secrets.io] # CRD groups installed even without objects
//!   forbidden: [secrets]        # resources (plural, or group/plural) answered with 403
//!   pagination_loop: [pods]     # resources whose `continue` token never advances
//!   objects: [ {apiVersion, kind, metadata, ...}, ... ]
//! ```
//!
//! Served: `/version`, discovery (`/api`, `/api/v1`, `/apis`, `/apis/<g>/<v>`), LIST of every
//! served resource cluster-wide and per namespace with `limit`/`continue`, and GET by name.
//! Built-in resources are always served; a CRD group is served when `crds:` names it or an
//! object of the group exists.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

pub use crate::model::live::kube::{ResourceType, RESOURCES};

/// The parsed `kubernetes:` section.
struct Cluster {
    git_version: String,
    served: Vec<ResourceType>,
    forbidden: HashSet<String>,
    loops: HashSet<String>,
    /// Objects of each served resource, sorted by namespace then name.
    objects: HashMap<(&'static str, &'static str), Vec<Value>>,
}

impl Cluster {
    fn is_listed(set: &HashSet<String>, r: &ResourceType) -> bool {
        set.contains(r.plural)
            || set.contains(&r.resource_name())
            || set.contains(&format!("{}/{}", r.group, r.plural))
    }
}

fn str_list(v: Option<&Value>, what: &str) -> Result<Vec<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("kubernetes.{what}: every entry must be a string"))
            })
            .collect(),
        Some(_) => Err(format!("kubernetes.{what} must be a list")),
    }
}

fn parse(section: &Value) -> Result<Cluster, String> {
    let empty = Map::new();
    let sec = match section {
        Value::Null => &empty,
        Value::Object(m) => m,
        _ => return Err("kubernetes: must be a mapping".into()),
    };
    let git_version = sec
        .get("version")
        .and_then(Value::as_str)
        .unwrap_or("v1.31.0")
        .to_owned();
    let mut crd_groups: HashSet<String> = str_list(sec.get("crds"), "crds")?.into_iter().collect();
    let forbidden = str_list(sec.get("forbidden"), "forbidden")?
        .into_iter()
        .collect();
    let loops = str_list(sec.get("pagination_loop"), "pagination_loop")?
        .into_iter()
        .collect();
    let raw = match sec.get("objects") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err("kubernetes.objects must be a list".into()),
    };
    let mut objects: HashMap<(&'static str, &'static str), Vec<Value>> = HashMap::new();
    let mut namespaces: BTreeMap<String, bool> = BTreeMap::new();
    for ns in ["default", "kube-system"] {
        namespaces.insert(ns.into(), false);
    }
    for (i, mut obj) in raw.into_iter().enumerate() {
        let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
        let Some(r) = RESOURCES
            .iter()
            .find(|r| r.group_version() == api_version && r.kind == kind)
        else {
            return Err(format!(
                "kubernetes.objects[{i}]: {api_version} {kind} is not a resource the reference server serves"
            ));
        };
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("kubernetes.objects[{i}]: metadata.name is required"))?
            .to_owned();
        let meta = obj
            .as_object_mut()
            .and_then(|o| o.get_mut("metadata"))
            .and_then(Value::as_object_mut)
            .ok_or_else(|| format!("kubernetes.objects[{i}]: metadata must be a mapping"))?;
        if r.namespaced {
            let ns = meta
                .entry("namespace")
                .or_insert_with(|| Value::String("default".into()))
                .as_str()
                .unwrap_or("default")
                .to_owned();
            namespaces.entry(ns).or_insert(false);
        } else {
            meta.remove("namespace");
        }
        if r.kind == "Namespace" {
            namespaces.insert(name.clone(), true);
        }
        if r.crd {
            crd_groups.insert(r.group.to_owned());
        }
        objects.entry((r.group, r.plural)).or_default().push(obj);
    }
    // Every namespace an object lives in exists, as in a real cluster.
    for (ns, declared) in &namespaces {
        if !declared {
            objects.entry(("", "namespaces")).or_default().push(json!({
                "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": ns },
            }));
        }
    }
    let mut serial = 1000u64;
    for list in objects.values_mut() {
        for obj in list.iter_mut() {
            serial += 1;
            fill_metadata(obj, serial);
        }
        list.sort_by_key(sort_key);
    }
    let served = RESOURCES
        .iter()
        .filter(|r| !r.crd || crd_groups.contains(r.group))
        .copied()
        .collect();
    Ok(Cluster {
        git_version,
        served,
        forbidden,
        loops,
        objects,
    })
}

/// What a real API server adds: uid, resourceVersion, creationTimestamp, the namespace name
/// label and phase.
fn fill_metadata(obj: &mut Value, serial: u64) {
    let kind = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let Some(o) = obj.as_object_mut() else { return };
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.entry("uid")
            .or_insert_with(|| Value::String(format!("00000000-0000-4000-8000-{serial:012}")));
        meta.entry("resourceVersion")
            .or_insert_with(|| Value::String(serial.to_string()));
        meta.entry("creationTimestamp")
            .or_insert_with(|| Value::String("2026-01-01T00:00:00Z".into()));
        if kind == "Namespace" {
            let name = meta.get("name").cloned().unwrap_or(Value::Null);
            let labels = meta
                .entry("labels")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(l) = labels.as_object_mut() {
                l.insert("kubernetes.io/metadata.name".into(), name);
            }
        }
    }
    if kind == "Namespace" {
        o.entry("status")
            .or_insert_with(|| json!({ "phase": "Active" }));
    }
}

fn sort_key(v: &Value) -> (String, String) {
    let s = |p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    (s("/metadata/namespace"), s("/metadata/name"))
}

/// The router for the world's `kubernetes:` section.
pub fn router(section: &Value) -> Result<axum::Router, String> {
    let cluster = Arc::new(parse(section)?);
    Ok(axum::Router::new()
        .route("/version", get(version))
        .route("/api", get(api_versions))
        .route("/apis", get(api_groups))
        .route("/api/{*rest}", get(resource_path))
        .route("/apis/{*rest}", get(resource_path))
        .with_state(cluster))
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn status(code: u16, reason: &str, message: String, details: Value) -> Response {
    json_response(
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "details": details, "code": code,
        }),
    )
}

fn not_found(path: &str) -> Response {
    status(
        404,
        "NotFound",
        format!("the server could not find the requested resource ({path})"),
        json!({}),
    )
}

async fn version(State(c): State<Arc<Cluster>>) -> Response {
    let v = c.git_version.trim_start_matches('v');
    let mut parts = v.split('.');
    let major = parts.next().unwrap_or("1");
    let minor = parts.next().unwrap_or("0");
    json_response(
        StatusCode::OK,
        json!({
            "major": major, "minor": minor, "gitVersion": c.git_version,
            "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
            "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
            "platform": "linux/amd64",
        }),
    )
}

async fn api_versions() -> Response {
    json_response(
        StatusCode::OK,
        json!({
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{ "clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1" }],
        }),
    )
}

async fn api_groups(State(c): State<Arc<Cluster>>) -> Response {
    let mut groups: Vec<(&str, &str)> = Vec::new();
    for r in c.served.iter().filter(|r| !r.group.is_empty()) {
        if !groups.contains(&(r.group, r.version)) {
            groups.push((r.group, r.version));
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(g, v)| {
            let gv = json!({ "groupVersion": format!("{g}/{v}"), "version": v });
            json!({ "name": g, "versions": [gv.clone()], "preferredVersion": gv })
        })
        .collect();
    json_response(
        StatusCode::OK,
        json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": groups }),
    )
}

fn resource_list(c: &Cluster, group: &str, version: &str) -> Option<Value> {
    let resources: Vec<Value> = c
        .served
        .iter()
        .filter(|r| r.group == group && r.version == version)
        .map(|r| {
            json!({
                "name": r.plural, "singularName": r.kind.to_lowercase(),
                "namespaced": r.namespaced, "kind": r.kind, "verbs": ["get", "list"],
            })
        })
        .collect();
    if resources.is_empty() {
        return None;
    }
    let gv = if group.is_empty() {
        version.to_owned()
    } else {
        format!("{group}/{version}")
    };
    Some(
        json!({ "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources }),
    )
}

/// Query parameters of a LIST (others, such as `labelSelector`, are accepted and ignored).
#[derive(Debug, serde::Deserialize)]
struct ListQuery {
    limit: Option<usize>,
    #[serde(rename = "continue")]
    cont: Option<String>,
}

async fn resource_path(
    State(c): State<Arc<Cluster>>,
    uri: Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let path = uri.path();
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    // /api/v1/... or /apis/<group>/<version>/...
    let (group, version, rest) = match segs.as_slice() {
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g] => {
            return match c.served.iter().find(|r| r.group == *g) {
                Some(r) => {
                    let gv = json!({ "groupVersion": r.group_version(), "version": r.version });
                    json_response(
                        StatusCode::OK,
                        json!({ "kind": "APIGroup", "apiVersion": "v1", "name": g,
                                "versions": [gv.clone()], "preferredVersion": gv }),
                    )
                }
                None => not_found(path),
            }
        }
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return not_found(path),
    };
    if rest.is_empty() {
        return match resource_list(&c, group, version) {
            Some(body) => json_response(StatusCode::OK, body),
            None => not_found(path),
        };
    }
    // [namespaces, ns, plural, name?] | [plural, name?]
    let (namespace, plural, name) = match rest {
        ["namespaces", ns, plural] => (Some(*ns), *plural, None),
        ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
        [plural] => (None, *plural, None),
        [plural, name] => (None, *plural, Some(*name)),
        _ => return not_found(path),
    };
    // `/api/v1/namespaces/<name>` is a GET of a Namespace, not a namespaced list.
    let (namespace, plural, name) =
        if group.is_empty() && rest.len() == 2 && rest[0] == "namespaces" {
            (None, "namespaces", Some(rest[1]))
        } else {
            (namespace, plural, name)
        };
    let Some(r) = c
        .served
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
    else {
        return not_found(path);
    };
    if namespace.is_some() && !r.namespaced {
        return not_found(path);
    }
    let verb = if name.is_some() { "get" } else { "list" };
    if Cluster::is_listed(&c.forbidden, r) {
        let scope = match namespace {
            Some(ns) => format!(" in the namespace \"{ns}\""),
            None if r.namespaced => " at the cluster scope".to_owned(),
            None => String::new(),
        };
        return status(
            403,
            "Forbidden",
            format!(
                "{} is forbidden: User \"system:serviceaccount:sealant:sealant\" cannot {verb} resource \"{}\" in API group \"{}\"{scope}",
                r.resource_name(), r.plural, r.group
            ),
            json!({ "group": r.group, "kind": r.plural }),
        );
    }
    let all: &[Value] = c
        .objects
        .get(&(r.group, r.plural))
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let in_scope = |o: &&Value| {
        namespace
            .is_none_or(|ns| o.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns))
    };
    if let Some(name) = name {
        return match all
            .iter()
            .filter(in_scope)
            .find(|o| o.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
        {
            Some(o) => json_response(StatusCode::OK, o.clone()),
            None => status(
                404,
                "NotFound",
                format!("{} \"{name}\" not found", r.resource_name()),
                json!({ "name": name, "group": r.group, "kind": r.plural }),
            ),
        };
    }
    let q = ListQuery {
        limit: q
            .get("limit")
            .and_then(|l| l.parse().ok())
            .filter(|l| *l > 0),
        cont: q.get("continue").filter(|s| !s.is_empty()).cloned(),
    };
    let items: Vec<&Value> = all.iter().filter(in_scope).collect();
    let start = match &q.cont {
        None => 0,
        Some(token) => match decode_token(token, r.plural) {
            Some(offset) if offset <= items.len() => offset,
            _ => {
                return status(
                    410,
                    "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.".into(),
                    json!({}),
                )
            }
        },
    };
    let end = q
        .limit
        .map_or(items.len(), |l| (start + l).min(items.len()));
    let looping = Cluster::is_listed(&c.loops, r);
    let cont = if end < items.len() {
        // A looping resource hands out the first page's token again and again.
        encode_token(
            if looping {
                q.limit.unwrap_or(1).min(items.len())
            } else {
                end
            },
            r.plural,
        )
    } else {
        String::new()
    };
    let page: Vec<Value> = items[start..end]
        .iter()
        .map(|o| {
            let mut o = (*o).clone();
            // Items of built-in typed lists carry no kind/apiVersion; CRD lists keep them.
            if !r.crd {
                if let Some(m) = o.as_object_mut() {
                    m.remove("kind");
                    m.remove("apiVersion");
                }
            }
            o
        })
        .collect();
    let mut meta = json!({ "resourceVersion": "999999" });
    if !cont.is_empty() {
        meta["continue"] = Value::String(cont);
        meta["remainingItemCount"] = json!(items.len() - end);
    }
    json_response(
        StatusCode::OK,
        json!({
            "kind": format!("{}List", r.kind), "apiVersion": r.group_version(),
            "metadata": meta, "items": page,
        }),
    )
}

fn encode_token(offset: usize, plural: &str) -> String {
    format!("{plural}.{offset}")
}

fn decode_token(token: &str, plural: &str) -> Option<usize> {
    let (p, off) = token.rsplit_once('.')?;
    (p == plural).then_some(())?;
    off.parse().ok()
}
