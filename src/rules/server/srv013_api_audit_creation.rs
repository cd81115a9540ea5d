//! SRV013 — OpenBao API audit creation left on: `unsafe_allow_api_audit_creation = true`
//! lets API callers create audit devices (OpenBao otherwise only takes declarative `audit`
//! stanzas from the config), e.g. a file device that writes where an attacker chooses. The
//! key is a plain Go bool: only a literal `true` is accepted (checked with `bao server`).

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct ApiAuditCreation;

impl Rule for ApiAuditCreation {
    fn id(&self) -> &'static str {
        "SRV013"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        super::report_true_switch(
            inv,
            out,
            "unsafe_allow_api_audit_creation",
            true,
            "unsafe_allow_api_audit_creation lets API callers create audit devices, so a token with sys/audit access can add devices (and write files) outside the reviewed config",
        );
    }
}
