//! Who reads which secret through which Vault role (RULES-SPEC §3 facts `InjectedSecret`,
//! `VsoAuth`, `VsoStatic`, `EsoStore`): the paths a pod's injector annotations and templates
//! declare (INJ006), and the operator objects that name a Vault auth role. Cross-source rules
//! (XSR002–XSR004, XSR006) join these with the role, policy and KV mount models.

use crate::location::{Location, Span};
use crate::model::inventory::{Inventory, ObjectRef};
use crate::model::k8s::{K8sObject, Workload};
use crate::semantics::{weak_parse_bool_str, BoolReading};
use crate::syntax::mapping::{EmbeddedMap, SpanMap};
use crate::syntax::yaml::Node;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The injector's annotation prefix.
pub const ANN: &str = "vault.hashicorp.com/";

/// True when the injector will mutate this pod (`agent-inject` ParseBool-true, §0.1 parser 2).
pub fn injection_enabled(w: &Workload<'_>) -> bool {
    w.annotation("vault.hashicorp.com/agent-inject")
        .and_then(|e| e.value.as_str())
        .is_some_and(|v| weak_parse_bool_str(v) == BoolReading::True)
}

/// The ServiceAccount the pods run as: `serviceAccountName`, else the deprecated
/// `serviceAccount`, else `default`; with the span of the value when written.
pub fn service_account<'a>(w: &Workload<'a>) -> (&'a str, Option<Span>) {
    for key in ["serviceAccountName", "serviceAccount"] {
        if let Some(e) = w.pod_spec.entry(key) {
            if let Some(v) = e.value.as_str().filter(|v| !v.is_empty()) {
                return (v, Some(e.value.span));
            }
        }
    }
    ("default", None)
}

/// The `spec:` key of the pod template (where `serviceAccountName` belongs); `None` for a
/// partial manifest without one (a kustomize patch: the base may set what it lacks, so
/// rules about something *missing* from the pod do not judge it).
pub fn pod_spec_key(w: &Workload<'_>) -> Option<Span> {
    let o = w.object;
    let template = match o.kind.as_str() {
        "Pod" => Some(o.root()),
        "CronJob" => o.get(&["spec", "jobTemplate", "spec", "template"]),
        _ => o.get(&["spec", "template"]),
    };
    template.and_then(|t| t.entry("spec")).map(|e| e.key.span)
}

/// A pod annotation's text and value span.
fn ann<'a>(w: &Workload<'a>, key: &str) -> Option<(&'a str, Span)> {
    let e = w.annotation_joined(&[ANN, key])?;
    Some((e.value.as_str()?, e.value.span))
}

/// The Vault auth role a pod's injected agent logs in with, from its annotations: borrowed
/// from the tree (several rules read it for every injected workload).
#[derive(Debug, Clone, Copy)]
pub struct InjectorAuth<'a> {
    /// `vault.hashicorp.com/auth-type` (default `kubernetes`).
    pub auth_type: &'a str,
    /// The auth mount without `auth/` (`auth-path`, default `auth/kubernetes`).
    pub mount: &'a str,
    /// `role` (or `auth-config-role`), with the value span.
    pub role: Option<(&'a str, Span)>,
}

/// Reads the auth annotations of a pod template.
pub fn injector_auth<'a>(w: &Workload<'a>) -> InjectorAuth<'a> {
    let auth_type = ann(w, "auth-type")
        .map(|(v, _)| v)
        .filter(|v| !v.is_empty())
        .unwrap_or("kubernetes");
    let mount = ann(w, "auth-path")
        .map(|(v, _)| v)
        .filter(|v| !v.is_empty())
        .unwrap_or("auth/kubernetes");
    let mount = mount.trim_matches('/');
    let mount = mount.strip_prefix("auth/").unwrap_or(mount);
    let role = ann(w, "role")
        .or_else(|| ann(w, "auth-config-role"))
        .filter(|(v, _)| !v.is_empty());
    InjectorAuth {
        auth_type,
        mount,
        role,
    }
}

/// One secret path an injected agent requests (RULES-SPEC §3 `InjectedSecret`).
#[derive(Debug, Clone)]
pub struct InjectedSecret<'a> {
    pub workload: Workload<'a>,
    /// `<name>` of `agent-inject-secret-<name>` / `agent-inject-template-<name>`.
    pub name: &'a str,
    /// The path as written (consul-template shims it for KV v2 mounts, §2.6).
    pub path: &'a str,
    /// Where the path is written: the annotation value, or the string inside the template.
    pub span: Span,
    /// A template call with parameters (`secret "pki/issue/x" "common_name=…"`) writes.
    pub write: bool,
}

impl InjectedSecret<'_> {
    pub fn location(&self) -> Location {
        self.workload.object.location(self.span)
    }
}

/// An [`InjectedSecret`] as the inventory keeps it: the workload by position, so the fact
/// outlives the borrow it was found through. Found once per scan (several rules join it).
#[derive(Debug)]
pub struct InjectedFact {
    workload: ObjectRef,
    name: String,
    path: String,
    span: Span,
    write: bool,
}

impl InjectedFact {
    /// The fact seen with its workload.
    pub fn view<'a>(&'a self, inv: &'a Inventory) -> Option<InjectedSecret<'a>> {
        Some(InjectedSecret {
            workload: inv.workload_at(self.workload)?,
            name: &self.name,
            path: &self.path,
            span: self.span,
            write: self.write,
        })
    }
}

/// Every secret path requested by pods whose injection is enabled: each
/// `agent-inject-secret-<n>` value (unless a template for `<n>` replaces the default one,
/// then the template's own `secret` calls) and every `secret "<path>"` call in
/// `agent-inject-template-<n>`. Rules read it through [`Inventory::injected_secrets`].
pub fn find_injected_secrets(inv: &Inventory) -> Vec<InjectedFact> {
    let mut out = Vec::new();
    for (at, w) in inv.workloads_at() {
        if !injection_enabled(&w) {
            continue;
        }
        let text = inv.file(&w.object.path).map_or("", |f| f.text.as_str());
        for (key, e) in w.annotations() {
            let Some(rest) = key.strip_prefix(ANN) else {
                continue;
            };
            let Some(value) = e.value.as_str() else {
                continue;
            };
            if let Some(name) = rest.strip_prefix("agent-inject-secret-") {
                if value.trim().is_empty() {
                    continue;
                }
                // With a template the annotation's path is only used by the template if it
                // calls `secret` with it; the default template reads it otherwise.
                let templated = ["agent-inject-template-", "agent-inject-template-file-"]
                    .iter()
                    .any(|p| w.annotation_joined(&[ANN, p, name]).is_some());
                if templated {
                    continue;
                }
                out.push(InjectedFact {
                    workload: at,
                    name: name.to_owned(),
                    path: value.trim().trim_start_matches('/').to_owned(),
                    span: e.value.span,
                    write: false,
                });
            } else if let Some(name) = rest
                .strip_prefix("agent-inject-template-")
                .filter(|n| !n.starts_with("file-"))
            {
                let calls = template_secret_calls(value);
                if calls.is_empty() {
                    continue;
                }
                let map = EmbeddedMap::new(text, &e.value, value);
                for call in calls {
                    out.push(InjectedFact {
                        workload: at,
                        name: name.to_owned(),
                        path: call.path.trim_start_matches('/').to_owned(),
                        span: map.span(call.range),
                        write: call.write,
                    });
                }
            }
        }
    }
    out
}

/// The secrets the injector renders for a pod, each with the annotation key that declares
/// it: one per `<name>` of `agent-inject-secret-<name>`, `agent-inject-template-<name>` or
/// `agent-inject-template-file-<name>` with a non-blank value (vault-k8s `secrets()`).
pub fn rendered_secret_names(w: &Workload<'_>) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = Vec::new();
    for (key, e) in w.annotations() {
        if e.value.as_str().is_none_or(|v| v.trim().is_empty()) {
            continue;
        }
        let Some(rest) = key.strip_prefix(ANN) else {
            continue;
        };
        let name = rest
            .strip_prefix("agent-inject-secret-")
            .or_else(|| rest.strip_prefix("agent-inject-template-file-"))
            .or_else(|| rest.strip_prefix("agent-inject-template-"));
        if let Some(name) = name {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.to_owned(), e.key.span));
            }
        }
    }
    out
}

/// A `secret "<path>"` call in a consul-template template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretCall {
    pub path: String,
    /// Byte range of the path (without quotes) in the template.
    pub range: std::ops::Range<usize>,
    /// Called with parameters: consul-template writes (PUT) instead of reading.
    pub write: bool,
}

/// The `secret` calls of a template: `{{ with secret "p" }}`, `{{ secret "p" }}`,
/// `{{ range secret "p" }}`, `{{ $x := secret "p" "k=v" }}`.
pub fn template_secret_calls(template: &str) -> Vec<SecretCall> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r#"(?:^|[\s(])secret\s+"([^"\\]*)"\s*([^\s}])?"#).expect("valid regex")
    });
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = template[rest..].find("{{") {
        let start = rest + open + 2;
        let Some(close) = template[start..].find("}}") else {
            break;
        };
        let action = &template[start..start + close];
        for c in re.captures_iter(action) {
            let m = c.get(1).expect("group 1");
            let next = c.get(2).map(|n| n.as_str());
            out.push(SecretCall {
                path: m.as_str().to_owned(),
                range: start + m.start()..start + m.end(),
                write: matches!(next, Some("\"" | "$" | "(" | "`")),
            });
        }
        rest = start + close + 2;
    }
    out
}

/// An object reference `name` or `namespace/name` (VSO `vaultAuthRef`), resolved in `ns`.
pub fn split_ref<'a>(r: &'a str, ns: &'a str) -> (&'a str, &'a str) {
    r.split_once('/').unwrap_or((ns, r))
}

/// Objects of some kinds of one API group by (kind, namespace, name), built once so joins
/// stay linear.
pub struct ObjectIndex<'a> {
    by_key: HashMap<(&'a str, &'a str, &'a str), &'a K8sObject>,
}

impl<'a> ObjectIndex<'a> {
    pub fn new(inv: &'a Inventory, group: &str, kinds: &[&str]) -> ObjectIndex<'a> {
        let mut by_key = HashMap::new();
        for o in inv
            .objects_of_kind(kinds)
            .filter(|o| o.api_group() == group)
        {
            by_key
                .entry((o.kind.as_str(), o.namespace.as_str(), o.name.as_str()))
                .or_insert(o);
        }
        ObjectIndex { by_key }
    }
    pub fn get(&self, kind: &str, ns: &str, name: &str) -> Option<&'a K8sObject> {
        self.by_key.get(&(kind, ns, name)).copied()
    }
    /// The VSO `VaultAuth` index of a scan set.
    pub fn vault_auths(inv: &'a Inventory) -> ObjectIndex<'a> {
        ObjectIndex::new(inv, "secrets.hashicorp.com", &["VaultAuth"])
    }
    /// The ESO store index of a scan set.
    pub fn eso_stores(inv: &'a Inventory) -> ObjectIndex<'a> {
        ObjectIndex::new(
            inv,
            "external-secrets.io",
            &["SecretStore", "ClusterSecretStore"],
        )
    }
}

/// The VSO `VaultAuth` a VaultStaticSecret/VaultDynamicSecret names (`spec.vaultAuthRef`,
/// `name` or `namespace/name`); `None` when absent (the operator's `default` VaultAuth,
/// whose namespace is not known offline) or not in the scan set.
pub fn vso_auth_of<'a>(auths: &ObjectIndex<'a>, secret: &K8sObject) -> Option<&'a K8sObject> {
    let r = secret.get(&["spec", "vaultAuthRef"])?.as_str()?;
    let (ns, name) = split_ref(r, &secret.namespace);
    auths.get("VaultAuth", ns, name)
}

/// The ESO store an `ExternalSecret` names (`spec.secretStoreRef{name, kind}`; kind defaults
/// to `SecretStore`, looked up in the ExternalSecret's namespace).
pub fn eso_store_of<'a>(stores: &ObjectIndex<'a>, es: &K8sObject) -> Option<&'a K8sObject> {
    let r = es.get(&["spec", "secretStoreRef"])?;
    let name = r.get("name")?.as_str()?;
    let kind = r
        .get("kind")
        .and_then(Node::as_str)
        .unwrap_or("SecretStore");
    let ns = if kind == "ClusterSecretStore" {
        ""
    } else {
        es.namespace.as_str()
    };
    stores.get(kind, ns, name)
}

/// The request path ESO reads for `key` (`remoteRef.key`) from a Vault store with mount
/// `path` (optional) and KV `version` (`v1`/`v2`) — ESO's `buildPath`
/// (providers/v1/vault/client_get.go): with a mount, a key starting `<mount>/` (and then
/// `data/` on v2) is cut back to the bare key, then `<mount>[/data]/<key>`; without one, v2
/// inserts `data` after the first segment unless the key contains `/data/`.
pub fn eso_build_path(path: Option<&str>, version: &str, key: &str) -> String {
    let v2 = version == "v2";
    if let Some(mount) = path {
        let cut = format!("{mount}/");
        let mut out = key;
        if let Some(rest) = key.strip_prefix(&cut) {
            out = rest;
            if v2 {
                out = out.strip_prefix("data/").unwrap_or(out);
            }
        }
        return if v2 {
            format!("{mount}/data/{out}")
        } else {
            format!("{mount}/{out}")
        };
    }
    if v2 && !key.contains("/data/") {
        return match key.split_once('/') {
            Some((first, rest)) => format!("{first}/data/{rest}"),
            None => format!("{key}/data"),
        };
    }
    key.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_calls_read_and_write() {
        let t = r#"{{- with secret "secret/data/app/db" -}}
{{ .Data.data.user }}{{- end }}
{{ with secret "pki/issue/web" "common_name=a.example" }}{{ .Data.certificate }}{{ end }}
{{ secret "kv/app" | toJSON }} {{ template "x" }} secretary "no"
"#;
        let calls = template_secret_calls(t);
        let got: Vec<(&str, bool)> = calls.iter().map(|c| (c.path.as_str(), c.write)).collect();
        assert_eq!(
            got,
            [
                ("secret/data/app/db", false),
                ("pki/issue/web", true),
                ("kv/app", false)
            ]
        );
        assert_eq!(&t[calls[0].range.clone()], "secret/data/app/db");
    }

    #[test]
    fn eso_paths_follow_build_path() {
        assert_eq!(
            eso_build_path(Some("secret"), "v2", "app/db"),
            "secret/data/app/db"
        );
        assert_eq!(
            eso_build_path(Some("secret"), "v2", "secret/data/app/db"),
            "secret/data/app/db"
        );
        assert_eq!(
            eso_build_path(Some("secret/data"), "v2", "app"),
            "secret/data/data/app"
        );
        assert_eq!(eso_build_path(Some("kv"), "v1", "app"), "kv/app");
        assert_eq!(
            eso_build_path(None, "v2", "secret/app/db"),
            "secret/data/app/db"
        );
        assert_eq!(
            eso_build_path(None, "v2", "secret/data/app"),
            "secret/data/app"
        );
        assert_eq!(eso_build_path(None, "v1", "kv/app"), "kv/app");
    }
}
