//! Vault Agent / Vault Proxy config rules (RULES-SPEC §1(d)), on agent HCL files, JSON
//! configs, and agent configs embedded in ConfigMaps (reported at the inner span).

mod agt001_agent_tls_skip_verify;
mod agt002_agent_plaintext_addr;

use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(agt001_agent_tls_skip_verify::AgentTlsSkipVerify),
        Box::new(agt002_agent_plaintext_addr::AgentPlaintextAddr),
    ]
}
