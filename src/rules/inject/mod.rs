//! Vault Agent Injector annotation rules (RULES-SPEC §1(a-2)). Annotations are read from the
//! pod template only — the mutating webhook ignores a Deployment's own metadata — and are
//! inert unless `vault.hashicorp.com/agent-inject` is ParseBool-true.

mod inj001_injector_tls_skip_verify;
mod inj002_injector_plaintext_addr;

use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(inj001_injector_tls_skip_verify::InjectorTlsSkipVerify),
        Box::new(inj002_injector_plaintext_addr::InjectorPlaintextAddr),
    ]
}

/// True when the injector will mutate this pod (`agent-inject` ParseBool-true, parser 2).
pub use crate::model::netpol::consumer::injection_enabled;
