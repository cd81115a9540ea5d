//! Cross-source rules (RULES-SPEC §3) that join what Kubernetes objects declare — injector
//! annotations, VSO and ESO objects — with the Vault side the scan set describes: auth roles
//! ([`crate::model::vault_roles`]), ACL policies ([`crate::model::policies`], evaluated by
//! [`crate::policy::Acl`]) and KV mounts ([`crate::model::kv_mounts`]).

mod xsr002_role_binding_mismatch;
mod xsr003_eso_kv_version_mismatch;
mod xsr004_vso_kv_version_mismatch;
mod xsr006_role_least_privilege;

use crate::location::{Location, Span};
use crate::model::consumers::{injector_auth, service_account, vso_auth_of, ObjectIndex};
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::model::vault_roles::Role;
use crate::rules::Rule;
use crate::syntax::yaml::Node;
use foldhash::{HashMap, HashMapExt};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(xsr002_role_binding_mismatch::RoleBindingMismatch),
        Box::new(xsr003_eso_kv_version_mismatch::EsoKvVersionMismatch),
        Box::new(xsr004_vso_kv_version_mismatch::VsoKvVersionMismatch),
        Box::new(xsr006_role_least_privilege::RoleLeastPrivilege),
    ]
}

/// The auth roles of the scan set by (mount without `auth/`, name); a later definition wins,
/// as a later `vault write` overwrites the role.
pub(crate) struct AuthRoles<'a> {
    by_key: HashMap<(&'a str, &'a str), &'a Role>,
}

impl<'a> AuthRoles<'a> {
    pub fn new(inv: &'a Inventory) -> AuthRoles<'a> {
        let mut by_key = HashMap::new();
        for r in inv.vault_roles().roles.iter().filter(|r| r.kind.is_auth()) {
            by_key.insert((r.mount.as_str(), r.name.as_str()), r);
        }
        AuthRoles { by_key }
    }
    pub fn get(&self, mount: &str, name: &str) -> Option<&'a Role> {
        self.by_key.get(&(mount, name)).copied()
    }
}

/// One place that logs in to Vault with a Kubernetes ServiceAccount and a named role.
pub(crate) struct Login<'a> {
    /// The object that logs in; [`Login::who`] names it.
    pub object: &'a K8sObject,
    /// Auth mount without `auth/`.
    pub mount: &'a str,
    pub role: &'a str,
    /// The role's value, where a finding points.
    pub role_span: Span,
    /// The ServiceAccount (namespace, name) that presents its token.
    pub sa: Option<(&'a str, &'a str)>,
}

impl<'a> Login<'a> {
    pub fn location(&self) -> Location {
        self.object.location(self.role_span)
    }
    /// `Deployment prod/api`, `VaultAuth prod/app`, `SecretStore prod/vault`: written only
    /// into a finding's message, so not built for the many logins that have none.
    pub fn who(&self) -> crate::model::k8s::ObjectName<'a> {
        self.object.display()
    }
}

/// Every Kubernetes-auth login the scan set declares: injected agents, VSO `VaultAuth`s
/// (once per namespace whose secrets use them — the ServiceAccount lives in the consuming
/// secret's namespace), ESO stores with `auth.kubernetes`.
pub(crate) fn logins(inv: &Inventory) -> Vec<Login<'_>> {
    let mut out = Vec::new();
    for w in inv
        .workloads()
        .filter(crate::model::consumers::injection_enabled)
    {
        let auth = injector_auth(&w);
        if auth.auth_type != "kubernetes" {
            continue;
        }
        let Some((role, span)) = auth.role else {
            continue;
        };
        let (sa, _) = service_account(&w);
        out.push(Login {
            object: w.object,
            mount: auth.mount,
            role,
            role_span: span,
            sa: Some((w.object.namespace.as_str(), sa)),
        });
    }
    // The namespaces whose secrets use each VaultAuth (by address), in one pass.
    let auths = ObjectIndex::vault_auths(inv);
    let mut used_from: HashMap<*const K8sObject, Vec<&str>> = HashMap::new();
    for c in inv
        .objects_of_kind(&["VaultStaticSecret", "VaultDynamicSecret", "VaultPKISecret"])
        .filter(|o| o.api_group() == "secrets.hashicorp.com")
    {
        if let Some(a) = vso_auth_of(&auths, c) {
            used_from
                .entry(a as *const K8sObject)
                .or_default()
                .push(&c.namespace);
        }
    }
    for a in inv
        .objects_of_kind(&["VaultAuth"])
        .filter(|o| o.api_group() == "secrets.hashicorp.com")
    {
        let spec = |k: &str| a.get(&["spec", k]).and_then(Node::as_str);
        if spec("method").is_some_and(|m| m != "kubernetes") {
            continue;
        }
        let Some(k) = a.get(&["spec", "kubernetes"]) else {
            continue;
        };
        let (Some(role), Some(sa)) = (
            k.entry("role").filter(|e| e.value.as_str().is_some()),
            k.get("serviceAccount").and_then(Node::as_str),
        ) else {
            continue;
        };
        let mut namespaces = used_from
            .get(&(a as *const K8sObject))
            .cloned()
            .unwrap_or_default();
        namespaces.sort();
        namespaces.dedup();
        if namespaces.is_empty() {
            namespaces.push(&a.namespace);
        }
        for ns in namespaces {
            out.push(Login {
                object: a,
                mount: spec("mount").unwrap_or("kubernetes").trim_matches('/'),
                role: role.value.as_str().unwrap_or(""),
                role_span: role.value.span,
                sa: Some((ns, sa)),
            });
        }
    }
    for s in inv
        .objects_of_kind(&["SecretStore", "ClusterSecretStore"])
        .filter(|o| o.api_group() == "external-secrets.io")
    {
        let Some(k) = s.get(&["spec", "provider", "vault", "auth", "kubernetes"]) else {
            continue;
        };
        let Some(role) = k.entry("role").filter(|e| e.value.as_str().is_some()) else {
            continue;
        };
        let mount = k
            .get("mountPath")
            .and_then(Node::as_str)
            .unwrap_or("kubernetes")
            .trim_matches('/');
        let mount = mount.strip_prefix("auth/").unwrap_or(mount);
        // Without serviceAccountRef ESO presents a JWT from `secretRef`: whose, is unknown.
        let sa = k.get("serviceAccountRef").and_then(|r| {
            let name = r.get("name")?.as_str()?;
            let ns = match r.get("namespace").and_then(Node::as_str) {
                Some(ns) => ns,
                None if s.kind == "SecretStore" => s.namespace.as_str(),
                None => return None,
            };
            Some((ns, name))
        });
        out.push(Login {
            object: s,
            mount,
            role: role.value.as_str().unwrap_or(""),
            role_span: role.value.span,
            sa,
        });
    }
    out
}
