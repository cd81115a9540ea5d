//! LVT002 — Single audit device: Vault refuses every request when no audit device can log
//! it, so one device is both a single point of failure and a single trail to tamper with.

use crate::model::inventory::Inventory;
use crate::model::live_vault::{at, root};
use crate::rules::{Context, Emitter, Rule};

pub struct SingleAuditDevice;

impl Rule for SingleAuditDevice {
    fn id(&self) -> &'static str {
        "LVT002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for state in &inv.live.vault {
            let Some([only]) = state.audit.as_deref() else {
                continue;
            };
            let key = root(inv, state, "sys/audit")
                .and_then(|r| r.entry(&only.path))
                .map(|e| &e.key);
            out.report(
                at(state, "sys/audit", key),
                format!("{}: only one audit device (`{}`, type {}): when it fails Vault stops answering, and it is the only record; add a second (e.g. file + syslog)", state.base, only.path, only.device_type),
            )
            .identity(format!("{}#single-audit", state.base));
        }
    }
}
