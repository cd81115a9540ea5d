//! Vault Agent Injector annotation rules (RULES-SPEC §1(a-2)). Annotations are read from the
//! pod template only — the mutating webhook ignores a Deployment's own metadata — and are
//! inert unless `vault.hashicorp.com/agent-inject` is ParseBool-true.

mod inj001_injector_tls_skip_verify;
mod inj002_injector_plaintext_addr;
mod inj003_token_in_shared_volume;
mod inj004_injection_without_role;
mod inj005_rendered_files_readable;
mod inj006_secret_path_inventory;

use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(inj001_injector_tls_skip_verify::InjectorTlsSkipVerify),
        Box::new(inj002_injector_plaintext_addr::InjectorPlaintextAddr),
        Box::new(inj003_token_in_shared_volume::TokenInSharedVolume),
        Box::new(inj004_injection_without_role::InjectionWithoutRole),
        Box::new(inj005_rendered_files_readable::RenderedFilesReadable),
        Box::new(inj006_secret_path_inventory::SecretPathInventory),
    ]
}

pub use crate::model::consumers::injection_enabled;
