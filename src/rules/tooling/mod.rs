//! Rules of the `tooling` family: how operators' tools (Terraform, the Vault CLI, curl, the
//! AWS CLI, scripts and CI pipelines) reach the secret store.
use crate::rules::Rule;

mod rol008_tooling_tls_bypass;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(rol008_tooling_tls_bypass::ToolingTlsBypass)]
}
