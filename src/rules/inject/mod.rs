//! Vault Agent Injector annotation rules (RULES-SPEC §1(a-2)). Annotations are read from the
//! pod template only — the mutating webhook ignores a Deployment's own metadata — and are
//! inert unless `vault.hashicorp.com/agent-inject` is ParseBool-true.

mod inj001_injector_tls_skip_verify;
mod inj002_injector_plaintext_addr;

use crate::model::k8s::Workload;
use crate::rules::Rule;
use crate::semantics::{weak_parse_bool_str, BoolReading};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(inj001_injector_tls_skip_verify::InjectorTlsSkipVerify),
        Box::new(inj002_injector_plaintext_addr::InjectorPlaintextAddr),
    ]
}

/// True when the injector will mutate this pod (`agent-inject` ParseBool-true, parser 2).
pub fn injection_enabled(w: &Workload<'_>) -> bool {
    w.annotation("vault.hashicorp.com/agent-inject")
        .and_then(|e| e.value.as_str())
        .is_some_and(|v| weak_parse_bool_str(v) == BoolReading::True)
}
