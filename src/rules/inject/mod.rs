//! Vault Agent Injector annotation rules (RULES-SPEC §1(a-2)). Annotations are read from the
//! pod template only — the mutating webhook ignores a Deployment's own metadata — and are
//! inert unless `vault.hashicorp.com/agent-inject` is ParseBool-true.

mod inj001_injector_tls_skip_verify;
mod inj002_injector_plaintext_addr;
mod inj003_token_in_shared_volume;
mod inj004_injection_without_role;
mod inj005_rendered_files_readable;
mod inj006_secret_path_inventory;

use crate::model::inventory::Inventory;
use crate::rules::{Emitter, Rule, Severity};
use crate::semantics::{weak_parse_bool_str, BoolReading};

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

/// Reports every pod template whose `annotation` reads ParseBool-true: with `active(who,
/// value)` as the message when injection is enabled, else at info as inert (the webhook only
/// acts on templates with `agent-inject` true). INJ001 and INJ003 are this shape.
pub(crate) fn report_true_annotation(
    inv: &Inventory,
    out: &mut Emitter,
    annotation: &str,
    active: impl Fn(&str, &str) -> String,
) {
    let short = annotation.trim_start_matches("vault.hashicorp.com/");
    for w in inv.workloads() {
        let Some(e) = w.annotation(annotation) else {
            continue;
        };
        let Some(value) = e.value.as_str() else {
            continue;
        };
        if weak_parse_bool_str(value) != BoolReading::True {
            continue;
        }
        let enabled = injection_enabled(&w);
        let who = w.object.display();
        let msg = if enabled {
            active(&who.to_string(), value)
        } else {
            format!("{who}: {short} is set but inert while vault.hashicorp.com/agent-inject is not true")
        };
        let f = out.report(w.object.location(e.value.span), msg);
        f.identity(format!("{}/annotations/{short}", w.object.identity()));
        if !enabled {
            f.severity(Severity::Info);
        }
    }
}
