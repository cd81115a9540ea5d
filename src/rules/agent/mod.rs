//! Vault Agent / Vault Proxy config rules (RULES-SPEC §1(d)), on agent HCL files, JSON
//! configs, and agent configs embedded in ConfigMaps (reported at the inner span).

mod agt001_agent_tls_skip_verify;
mod agt002_agent_plaintext_addr;

use crate::model::vault_hcl::HclDoc;
use crate::rules::{Finding, Rule};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(agt001_agent_tls_skip_verify::AgentTlsSkipVerify),
        Box::new(agt002_agent_plaintext_addr::AgentPlaintextAddr),
    ]
}

/// Adds the object holding an embedded config as a related location, and a line-independent
/// identity.
pub fn finish(f: &mut Finding, doc: &HclDoc, field: &str) {
    if let (Some(c), Some(origin)) = (&doc.container, &doc.origin) {
        f.related(c.clone(), format!("config embedded in {origin}"));
    }
    f.identity(format!("{}/{field}", doc.origin.as_deref().unwrap_or("")));
}
