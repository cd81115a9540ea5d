//! POL006 — Dangerous `sys/` endpoints: critical for `sys/raw*` (any capability), disabling
//! audit (`sys/audit/<name>` with delete, or update with sudo), `sys/generate-root*`,
//! `sys/rotate*` and a W grant on anything under `sys/`; high for mount management, remount,
//! mass lease revocation, seal, step-down and audited-header config; medium for read/list on
//! `sys/internal/inspect/*` and `sys/leases/lookup/*`.

use super::{has_any, has_w, run_probes, Probe};
use crate::model::inventory::Inventory;
use crate::policy::{Capability, Caps};
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct DangerousSysEndpoints;

fn disables_audit(c: Caps) -> bool {
    !c.is_deny()
        && (c.contains(Capability::Delete)
            || c.contains(Capability::Update) && c.contains(Capability::Sudo))
}
fn reads(c: Caps) -> bool {
    !c.is_deny() && (c.contains(Capability::Read) || c.contains(Capability::List))
}

macro_rules! probe {
    ($p:literal, $sev:ident, $what:literal, $when:expr) => {
        Probe {
            pattern: $p,
            severity: Severity::$sev,
            what: $what,
            when: $when,
        }
    };
}

const PROBES: &[Probe] = &[
    probe!(
        "sys/raw/<**>",
        Critical,
        "raw storage access, bypassing every check",
        has_any
    ),
    probe!(
        "sys/audit/<x>",
        Critical,
        "disabling or replacing audit devices",
        disables_audit
    ),
    probe!(
        "sys/generate-root/<**>",
        Critical,
        "root token generation",
        has_w
    ),
    probe!(
        "sys/rotate/<**>",
        Critical,
        "encryption key rotation",
        has_w
    ),
    probe!(
        "sys/__probe__",
        Critical,
        "write access to the whole system backend",
        has_w
    ),
    probe!(
        "sys/mounts/<x>",
        High,
        "mounting, unmounting and tuning secrets engines",
        has_w
    ),
    probe!("sys/mounts/<x>/tune", High, "tuning secrets engines", has_w),
    probe!("sys/remount", High, "moving secrets engines", has_w),
    probe!(
        "sys/leases/revoke-prefix/<x>",
        High,
        "mass lease revocation",
        has_w
    ),
    probe!(
        "sys/leases/revoke-force/<x>",
        High,
        "forced lease revocation",
        has_w
    ),
    probe!("sys/seal", High, "sealing the server", has_w),
    probe!(
        "sys/step-down",
        High,
        "forcing the active node to step down",
        has_w
    ),
    probe!(
        "sys/config/auditing/request-headers/<x>",
        High,
        "which headers the audit log records",
        has_w
    ),
    probe!(
        "sys/internal/inspect/<x>",
        Medium,
        "internal state inspection",
        reads
    ),
    probe!(
        "sys/leases/lookup/<x>",
        Medium,
        "listing every lease",
        reads
    ),
];

impl Rule for DangerousSysEndpoints {
    fn id(&self) -> &'static str {
        "POL006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        run_probes(
            inv,
            PROBES,
            "operator endpoints belong in a separate, break-glass policy",
            out,
        );
    }
}
