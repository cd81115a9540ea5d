//! Vault/OpenBao HCL documents: which kind each is (ACL policy, agent/proxy config, server
//! config, Terraform), and where it came from — its own file, or a string inside a YAML file.

use crate::location::Location;
use crate::syntax::hcl::Body;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HclKind {
    Policy,
    Agent,
    Server,
    Terraform,
    /// HCL that is none of the above (not an error: listed with `-v`).
    Other,
}

impl HclKind {
    pub fn describe(self) -> &'static str {
        match self {
            HclKind::Policy => "Vault ACL policy",
            HclKind::Agent => "Vault agent/proxy config",
            HclKind::Server => "Vault server config",
            HclKind::Terraform => "Terraform",
            HclKind::Other => "HCL (not recognised)",
        }
    }
}

/// A parsed HCL document with its kind and origin.
#[derive(Debug)]
pub struct HclDoc {
    pub path: Arc<str>,
    pub kind: HclKind,
    pub body: Body,
    /// For HCL embedded in YAML: the outer key that holds it (a related location).
    pub container: Option<Location>,
    /// For embedded HCL: what holds it, e.g. `ConfigMap vault/agent key agent.hcl`.
    pub origin: Option<String>,
    /// For a policy: the name it is written under (`vault_policy.name`, `vault policy write
    /// NAME`), when the scan set says so; otherwise the file stem is used.
    pub name: Option<String>,
}

const AGENT_KEYS: &[&str] = &[
    "auto_auth",
    "template",
    "cache",
    "api_proxy",
    "template_config",
    "exit_after_auth",
    "env_template",
    "exec",
];
const SERVER_KEYS: &[&str] = &[
    "storage",
    "ha_storage",
    // HCL1-era names Vault still accepts for storage / ha_storage.
    "backend",
    "ha_backend",
    "seal",
    "listener",
    "api_addr",
    "cluster_addr",
    "ui",
    "default_lease_ttl",
    "max_lease_ttl",
    "disable_mlock",
    "raw_storage_endpoint",
    "introspection_endpoint",
    "service_registration",
    "plugin_directory",
    "cluster_name",
    "disable_clustering",
    "unsafe_allow_api_audit_creation",
];

/// Decides the kind of an HCL body by its top-level keys (RULES-SPEC §0.8): `path` blocks make
/// a policy; agent stanzas make an agent config (agents may also have listeners); server
/// stanzas — even a fragment with only some of them — make a server config.
pub fn classify(body: &Body) -> HclKind {
    if body.blocks("path").next().is_some()
        || body
            .attr("path")
            .is_some_and(|a| a.value.object().is_some())
    {
        return HclKind::Policy;
    }
    // A `vault { address … }` block is the agent's; Terraform never reaches here.
    let has_vault_block = body.blocks("vault").next().is_some();
    if has_vault_block || AGENT_KEYS.iter().any(|k| body.has(k)) {
        return HclKind::Agent;
    }
    if SERVER_KEYS.iter().any(|k| body.has(k)) {
        return HclKind::Server;
    }
    HclKind::Other
}

/// True when a string looks like Vault HCL or JSON config worth parsing (cheap pre-check for
/// YAML string values, so ordinary strings are not parsed as HCL).
pub fn looks_like_vault_config(s: &str) -> bool {
    if !s.contains('{') || !s.contains('\n') && s.len() < 20 {
        return false;
    }
    s.lines().any(|l| {
        let t = l.trim_start().trim_start_matches('"');
        [
            "listener",
            "storage",
            "seal",
            "vault",
            "auto_auth",
            "api_addr",
            "path ",
            "template",
            "cache",
            "ha_storage",
        ]
        .iter()
        .any(|k| t.starts_with(k))
    })
}
