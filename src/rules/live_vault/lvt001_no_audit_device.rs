//! LVT001 — No audit device enabled: `GET /v1/sys/audit` answered with an empty `data` map.
//! A 403 (the token lacks `sudo` on `sys/audit`) is a scanner error — an incomplete
//! diagnostic from the collector — never this finding.

use crate::model::inventory::Inventory;
use crate::model::live_vault::{at, root};
use crate::rules::{Context, Emitter, Rule};

pub struct NoAuditDevice;

impl Rule for NoAuditDevice {
    fn id(&self) -> &'static str {
        "LVT001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for state in &inv.live.vault {
            if state.audit.as_ref().is_some_and(Vec::is_empty) {
                out.report(
                    at(state, "sys/audit", root(inv, state, "sys/audit")),
                    format!("{}: no audit device is enabled (sys/audit is empty): bulk secret reads and stolen tokens leave no trace", state.base),
                )
                .identity(format!("{}#no-audit", state.base));
            }
        }
    }
}
