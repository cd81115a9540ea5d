//! Kubernetes environment resolution (RULES-SPEC §0.5): `env` beats `envFrom`, the last
//! `envFrom` source wins, duplicate `env` names resolve to the last, `$(VAR)` expands from
//! earlier entries, and `valueFrom`/`envFrom` resolve against ConfigMaps and Secrets of the
//! same namespace in the scan set.

use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::k8s::{Container, K8sObject, CONTAINER_GROUPS};
use crate::syntax::yaml::Node;

/// Where a variable's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `value:` written in the manifest.
    Literal,
    /// A ConfigMap key in the scan set.
    ConfigMap,
    /// A Secret key in the scan set.
    Secret,
    /// A `secretKeyRef`/`secretRef` whose Secret is not in the scan set.
    SecretRef,
    /// A ConfigMap reference that could not be resolved, a `fieldRef`, …
    Unresolved,
}

/// One resolved variable of a container.
#[derive(Debug, Clone)]
pub struct EnvVar {
    pub name: String,
    /// The value, when known.
    pub value: Option<String>,
    pub origin: Origin,
    /// Where a finding about this variable points: the `value`, the `valueFrom`, or the
    /// `envFrom` entry that brought it in.
    pub span: Span,
    /// The ConfigMap/Secret key that holds the value, for related locations.
    pub source: Option<Location>,
}

/// One container's resolved environment, addressed by position so rules can find the
/// workload and container again.
#[derive(Debug)]
pub struct ContainerEnv {
    /// Index into `Inventory::files`.
    pub file: usize,
    /// Index into that file's `objects`.
    pub object: usize,
    /// The container's list (`containers`, `initContainers`, `ephemeralContainers`) and its
    /// position there (see `Workload::container`).
    pub group: &'static str,
    pub index: usize,
    pub vars: Vec<EnvVar>,
}

impl ContainerEnv {
    /// The workload object whose container this environment is.
    pub fn object_in<'i>(&self, inv: &'i Inventory) -> &'i K8sObject {
        &inv.files[self.file].objects[self.object]
    }
}

/// Resolves every container of every workload once (the env rules share the result).
pub fn resolve_all(inv: &Inventory) -> Vec<ContainerEnv> {
    let mut out = Vec::new();
    for (file, f) in inv.files.iter().enumerate() {
        for (object, o) in f.objects.iter().enumerate() {
            let Some(w) = o.workload() else { continue };
            for group in CONTAINER_GROUPS {
                for (index, c) in w.containers_in(group).enumerate() {
                    out.push(ContainerEnv {
                        file,
                        object,
                        group,
                        index,
                        vars: resolve(&c, o, inv),
                    });
                }
            }
        }
    }
    out
}

/// Resolves a container's environment in the context of its object's namespace.
pub fn resolve(container: &Container<'_>, object: &K8sObject, inv: &Inventory) -> Vec<EnvVar> {
    let mut vars: Vec<EnvVar> = Vec::new();
    let set = |vars: &mut Vec<EnvVar>, v: EnvVar| {
        vars.retain(|x| x.name != v.name);
        vars.push(v);
    };
    for from in container
        .node
        .get("envFrom")
        .map(Node::items)
        .unwrap_or(&[])
    {
        let prefix = from.get("prefix").and_then(Node::as_str).unwrap_or("");
        for (kind, origin) in [
            ("configMapRef", Origin::ConfigMap),
            ("secretRef", Origin::Secret),
        ] {
            let Some(r) = from.get(kind) else { continue };
            let Some(name) = r.get("name").and_then(Node::as_str) else {
                continue;
            };
            let target = if origin == Origin::ConfigMap {
                inv.config_map(&object.namespace, name)
            } else {
                inv.secret(&object.namespace, name)
            };
            let Some(target) = target else { continue };
            for (key, value, loc) in data_entries(target) {
                set(
                    &mut vars,
                    EnvVar {
                        name: format!("{prefix}{key}"),
                        value: Some(value),
                        origin,
                        span: from.span,
                        source: Some(loc),
                    },
                );
            }
        }
    }
    for entry in container.node.get("env").map(Node::items).unwrap_or(&[]) {
        let Some(name) = entry.get("name").and_then(Node::as_str) else {
            continue;
        };
        let var = if let Some(v) = entry.entry("value") {
            let raw = v.value.as_str().unwrap_or("");
            EnvVar {
                name: name.to_owned(),
                value: Some(expand(raw, &vars)),
                origin: Origin::Literal,
                span: v.value.span,
                source: None,
            }
        } else if let Some(vf) = entry.entry("valueFrom") {
            resolve_value_from(name, vf.key.span, &vf.value, object, inv)
        } else {
            // `- name: X` with neither: an empty value.
            EnvVar {
                name: name.to_owned(),
                value: Some(String::new()),
                origin: Origin::Literal,
                span: entry.span,
                source: None,
            }
        };
        set(&mut vars, var);
    }
    vars
}

fn resolve_value_from(
    name: &str,
    span: Span,
    vf: &Node,
    object: &K8sObject,
    inv: &Inventory,
) -> EnvVar {
    let unresolved = |origin| EnvVar {
        name: name.to_owned(),
        value: None,
        origin,
        span,
        source: None,
    };
    let (r, is_cm) = match (vf.get("configMapKeyRef"), vf.get("secretKeyRef")) {
        (Some(r), _) => (r, true),
        (None, Some(r)) => (r, false),
        _ => return unresolved(Origin::Unresolved),
    };
    let (Some(target_name), Some(key)) = (
        r.get("name").and_then(Node::as_str),
        r.get("key").and_then(Node::as_str),
    ) else {
        return unresolved(if is_cm {
            Origin::Unresolved
        } else {
            Origin::SecretRef
        });
    };
    let target = if is_cm {
        inv.config_map(&object.namespace, target_name)
    } else {
        inv.secret(&object.namespace, target_name)
    };
    let found = target.and_then(|t| data_entries(t).into_iter().find(|(k, _, _)| k == key));
    match found {
        Some((_, value, loc)) => EnvVar {
            name: name.to_owned(),
            value: Some(value),
            origin: if is_cm {
                Origin::ConfigMap
            } else {
                Origin::Secret
            },
            span,
            source: Some(loc),
        },
        None => unresolved(if is_cm {
            Origin::Unresolved
        } else {
            Origin::SecretRef
        }),
    }
}

/// The key/value pairs of a ConfigMap (`data`) or Secret (`data` base64-decoded, then
/// `stringData`, which wins), each with the location of its key.
pub fn data_entries(obj: &K8sObject) -> Vec<(String, String, Location)> {
    let mut out: Vec<(String, String, Location)> = Vec::new();
    let decode = obj.kind == "Secret";
    let sections: &[&str] = if decode {
        &["data", "stringData"]
    } else {
        &["data"]
    };
    for section in sections {
        for (key, entry) in obj.get(&[section]).into_iter().flat_map(Node::entries) {
            let raw = entry.value.as_str().unwrap_or("");
            let value = if decode && *section == "data" {
                base64_decode(raw).unwrap_or_default()
            } else {
                raw.to_owned()
            };
            out.retain(|(k, _, _)| k != key);
            out.push((key.to_owned(), value, obj.location(entry.key.span)));
        }
    }
    out
}

/// `$(VAR)` expansion from earlier variables; `$$(` escapes; unknown references stay as written.
fn expand(raw: &str, vars: &[EnvVar]) -> String {
    if !raw.contains("$(") {
        return raw.to_owned();
    }
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(a) = after.strip_prefix('$') {
            out.push('$');
            rest = a;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(end) => {
                    let name = &inner[..end];
                    match vars
                        .iter()
                        .find(|v| v.name == name)
                        .and_then(|v| v.value.as_deref())
                    {
                        Some(v) => out.push_str(v),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[end + 1..];
                }
                None => {
                    out.push_str(&rest[i..]);
                    rest = "";
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Standard base64 (padding optional); `None` for anything else.
pub fn base64_decode(s: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip() {
        assert_eq!(base64_decode("dHJ1ZQ==").as_deref(), Some("true"));
        assert_eq!(
            base64_decode("aHR0cDovL3ZhdWx0OjgyMDA").as_deref(),
            Some("http://vault:8200")
        );
    }

    #[test]
    fn dollar_paren_expansion() {
        let vars = vec![EnvVar {
            name: "HOST".into(),
            value: Some("vault".into()),
            origin: Origin::Literal,
            span: Span::default(),
            source: None,
        }];
        assert_eq!(expand("http://$(HOST):8200", &vars), "http://vault:8200");
        assert_eq!(expand("$$(HOST)", &vars), "$(HOST)");
        assert_eq!(expand("$(OTHER)", &vars), "$(OTHER)");
    }
}
