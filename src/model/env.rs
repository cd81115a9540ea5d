//! Kubernetes environment resolution (RULES-SPEC §0.5): `env` beats `envFrom`, the last
//! `envFrom` source wins, duplicate `env` names resolve to the last, `$(VAR)` expands from
//! earlier entries, and `valueFrom`/`envFrom` resolve against ConfigMaps and Secrets of the
//! same namespace in the scan set.

use std::collections::HashMap;

use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::k8s::{Container, K8sObject, CONTAINER_GROUPS};
use crate::syntax::yaml::{Entry, Node};

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
    let mut keys = DataKeys::default();
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
                        vars: resolve(&c, o, inv, &mut keys),
                    });
                }
            }
        }
    }
    out
}

/// Resolves a container's environment in the context of its object's namespace. `keys`
/// holds the key indexes of the ConfigMaps and Secrets referenced so far.
fn resolve<'a>(
    container: &Container<'_>,
    object: &K8sObject,
    inv: &'a Inventory,
    keys: &mut DataKeys<'a>,
) -> Vec<EnvVar> {
    let mut vars = Vars::default();
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
                vars.set(EnvVar {
                    name: format!("{prefix}{key}"),
                    value: Some(value),
                    origin,
                    span: from.span,
                    source: Some(loc),
                });
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
            resolve_value_from(name, vf.key.span, &vf.value, object, inv, keys)
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
        vars.set(var);
    }
    vars.into_vec()
}

/// A container's variables as they are set: a name set again leaves its old place and
/// goes last (Kubernetes' last-wins, in the order the names were last set). The name index
/// makes each set and lookup constant time; removing from a list by name made a
/// ConfigMap of K keys cost K² per `envFrom`.
#[derive(Default)]
struct Vars {
    /// Variables in setting order; `None` where a later set replaced one.
    slots: Vec<Option<EnvVar>>,
    /// Name → its live slot.
    at: HashMap<String, usize>,
}

impl Vars {
    fn set(&mut self, v: EnvVar) {
        if let Some(old) = self.at.insert(v.name.clone(), self.slots.len()) {
            self.slots[old] = None;
        }
        self.slots.push(Some(v));
    }

    /// The value of the variable set under `name`, if it is set and known.
    fn value(&self, name: &str) -> Option<&str> {
        let slot = self.slots[*self.at.get(name)?].as_ref();
        slot.and_then(|v| v.value.as_deref())
    }

    fn into_vec(self) -> Vec<EnvVar> {
        self.slots.into_iter().flatten().collect()
    }
}

fn resolve_value_from<'a>(
    name: &str,
    span: Span,
    vf: &Node,
    object: &K8sObject,
    inv: &'a Inventory,
    keys: &mut DataKeys<'a>,
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
    let found = target.and_then(|t| keys.entry(t, key));
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
    // Entries in setting order, `None` where a later key replaced one (last wins, in the
    // place of the last): a removal by key per entry was quadratic in the keys.
    let mut out: Vec<Option<(String, String, Location)>> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for section in data_sections(obj) {
        for (key, entry) in obj.get(&[section]).into_iter().flat_map(Node::entries) {
            let value = entry_value(obj, section, entry);
            if let Some(old) = at.insert(key, out.len()) {
                out[old] = None;
            }
            out.push(Some((key.to_owned(), value, obj.location(entry.key.span))));
        }
    }
    out.into_iter().flatten().collect()
}

/// Each referenced ConfigMap's and Secret's entries by key, indexed on the first
/// `configMapKeyRef`/`secretKeyRef` to it: a search of the mapping per reference cost keys ×
/// references (thousands of references to a ConfigMap of thousands of keys).
#[derive(Default)]
struct DataKeys<'a> {
    /// By the object's address: (section, entry) of the entry a key resolves to.
    by_object: HashMap<usize, HashMap<&'a str, (&'static str, &'a Entry)>>,
}

impl<'a> DataKeys<'a> {
    /// The one entry of [`data_entries`] with this key, without building the rest: the last
    /// of that key in `stringData`, else in `data`.
    fn entry(&mut self, obj: &'a K8sObject, key: &str) -> Option<(String, String, Location)> {
        let index = self
            .by_object
            .entry(std::ptr::from_ref(obj) as usize)
            .or_insert_with(|| {
                // In setting order, so a later entry of a key (a later section) replaces it.
                let mut index = HashMap::new();
                for &section in data_sections(obj) {
                    for (k, entry) in obj.get(&[section]).into_iter().flat_map(Node::entries) {
                        index.insert(k, (section, entry));
                    }
                }
                index
            });
        let &(section, entry) = index.get(key)?;
        let value = entry_value(obj, section, entry);
        Some((key.to_owned(), value, obj.location(entry.key.span)))
    }
}

/// The sections holding a ConfigMap's or Secret's entries, in setting order: a Secret's
/// `stringData` is applied after its `data` and wins.
fn data_sections(obj: &K8sObject) -> &'static [&'static str] {
    if obj.kind == "Secret" {
        &["data", "stringData"]
    } else {
        &["data"]
    }
}

/// An entry's value as a container sees it: a Secret's `data` is base64 (undecodable gives
/// the empty string), everything else is taken as written.
fn entry_value(obj: &K8sObject, section: &str, entry: &crate::syntax::yaml::Entry) -> String {
    let raw = entry.value.as_str().unwrap_or("");
    if obj.kind == "Secret" && section == "data" {
        base64_decode(raw).unwrap_or_default()
    } else {
        raw.to_owned()
    }
}

/// `$(VAR)` expansion from earlier variables; `$$(` escapes; unknown references stay as written.
fn expand(raw: &str, vars: &Vars) -> String {
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
                    match vars.value(name) {
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
        let mut vars = Vars::default();
        vars.set(EnvVar {
            name: "HOST".into(),
            value: Some("vault".into()),
            origin: Origin::Literal,
            span: Span::default(),
            source: None,
        });
        assert_eq!(expand("http://$(HOST):8200", &vars), "http://vault:8200");
        assert_eq!(expand("$$(HOST)", &vars), "$(HOST)");
        assert_eq!(expand("$(OTHER)", &vars), "$(OTHER)");
    }

    /// The dedup by removal the indexes replaced, kept as the oracle: each key once, at the
    /// place of its last occurrence, with that occurrence's value.
    fn data_entries_by_removal(obj: &K8sObject) -> Vec<(String, String, Location)> {
        let mut out: Vec<(String, String, Location)> = Vec::new();
        for section in data_sections(obj) {
            for (key, entry) in obj.get(&[section]).into_iter().flat_map(Node::entries) {
                let value = entry_value(obj, section, entry);
                out.retain(|(k, _, _)| k != key);
                out.push((key.to_owned(), value, obj.location(entry.key.span)));
            }
        }
        out
    }

    /// Entries and single-key lookups (through the key index) answer as the removal did, on ConfigMaps and Secrets
    /// with keys repeated within `data`, across `data` and `stringData`, values that are not
    /// base64, non-string keys, and keys that are missing.
    #[test]
    fn data_entries_keep_last_wins_and_order() {
        use crate::model::file::load_text;
        use crate::source::classify::Format;
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  A: dHJ1ZQ==\n  B: YQ==\n  A: Yg==\n  C: '!!'\n  1: YQ==\nstringData:\n  B: plain\n  D: d\n  B: again\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  X: '1'\n  Y: '2'\n  X: '3'\n  Z: '4'\n  Y: '5'\nstringData:\n  Q: ignored\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: empty\ndata:\n";
        let f = load_text("x.yaml", text.to_owned(), Some(Format::Yaml));
        assert_eq!(f.objects.len(), 3);
        let mut keys_seen = 0;
        // One index for all three objects, each asked for many keys, as a scan asks.
        let mut index = DataKeys::default();
        for obj in &f.objects {
            let want = data_entries_by_removal(obj);
            assert_eq!(data_entries(obj), want, "{}", obj.display());
            for key in ["A", "B", "C", "D", "X", "Y", "Z", "Q", "1", "missing"] {
                let found = want.iter().find(|(k, _, _)| k == key).cloned();
                keys_seen += usize::from(found.is_some());
                assert_eq!(index.entry(obj, key), found, "{} {key}", obj.display());
            }
        }
        assert_eq!(keys_seen, 8);
        let order: Vec<String> = data_entries(&f.objects[1])
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(order, ["X", "Z", "Y"]);
    }

    /// Setting variables keeps each name once, where it was last set, with its last value,
    /// as removing the old one by name did; lookups see the live value.
    #[test]
    fn vars_set_last_wins_in_place_of_the_last() {
        let var = |name: &str, value: Option<&str>| EnvVar {
            name: name.into(),
            value: value.map(Into::into),
            origin: Origin::Literal,
            span: Span::default(),
            source: None,
        };
        let sets = [
            ("A", Some("1")),
            ("B", Some("2")),
            ("A", Some("3")),
            ("C", None),
            ("B", Some("4")),
            ("C", Some("5")),
            ("D", None),
            ("B", Some("6")),
        ];
        let mut vars = Vars::default();
        let mut oracle: Vec<EnvVar> = Vec::new();
        for (name, value) in sets {
            vars.set(var(name, value));
            oracle.retain(|x| x.name != name);
            oracle.push(var(name, value));
            for n in ["A", "B", "C", "D", "E"] {
                let want = oracle.iter().find(|v| v.name == n);
                assert_eq!(vars.value(n), want.and_then(|v| v.value.as_deref()));
            }
        }
        let got: Vec<(String, Option<String>)> = vars
            .into_vec()
            .into_iter()
            .map(|v| (v.name, v.value))
            .collect();
        let want: Vec<(String, Option<String>)> =
            oracle.into_iter().map(|v| (v.name, v.value)).collect();
        assert_eq!(got, want);
        assert_eq!(
            want.iter().map(|v| v.0.as_str()).collect::<Vec<_>>(),
            ["A", "C", "D", "B"]
        );
    }
}
