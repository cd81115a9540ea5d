//! Rules of the `live-vault` family (RULES-SPEC §1(i)): facts only a running Vault/OpenBao
//! server can tell (`--vault`). Policies, roles and mounts read from the server are judged by
//! the POL*/ROL* rules themselves, through virtual files and the role/KV mount models
//! ([`crate::model::live_vault`]); these rules read [`crate::model::live::vault::VaultState`]
//! and point at the `vault://<host:port>/…` file of the response that shows the fact.

mod lvt001_no_audit_device;
mod lvt002_single_audit_device;
mod lvt003_audit_device_leaks;
mod lvt004_mount_ttl_ceiling;
mod lvt005_live_objects;
mod lvt006_node_health;

use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(lvt001_no_audit_device::NoAuditDevice),
        Box::new(lvt002_single_audit_device::SingleAuditDevice),
        Box::new(lvt003_audit_device_leaks::AuditDeviceLeaks),
        Box::new(lvt004_mount_ttl_ceiling::MountTtlCeiling),
        Box::new(lvt005_live_objects::LiveObjects),
        Box::new(lvt006_node_health::NodeHealth),
    ]
}

/// ROL008 for sealant itself: a `--vault` scan is Vault tooling holding a powerful token, so
/// `--vault-insecure` (critical) and a plaintext non-loopback address (high) are reported
/// like a `-tls-skip-verify` or an `http://` `VAULT_ADDR` in a script (RULES-SPEC §0.7: one
/// fact, the rule that owns it).
pub(crate) fn scanner_connection(
    inv: &crate::model::inventory::Inventory,
    out: &mut crate::rules::Emitter,
) {
    use crate::location::{Location, Span};
    use crate::rules::Severity;
    for state in &inv.live.vault {
        let here = || {
            Location::new(
                std::sync::Arc::from(state.base.as_str()),
                Span::file_start(),
            )
        };
        if crate::semantics::is_plaintext_remote(&state.addr) {
            out.report(
                here(),
                format!("this scan read {} over plain HTTP: the scanner's token and every policy crossed the network unencrypted", state.base),
            )
            .severity(Severity::High)
            .identity(format!("{}#scanner.plaintext", state.base));
        } else if state.insecure {
            out.report(
                here(),
                format!("this scan read {} with --vault-insecure: the server certificate was not verified, so whoever answered in Vault's place got the scanner's token and these results may be theirs", state.base),
            )
            .severity(Severity::Critical)
            .identity(format!("{}#scanner.insecure", state.base));
        }
    }
}
