//! SRV011 — UI enabled (info): `ui = true` serves the web UI on every API listener (the
//! chart's default configs set it), a login surface worth knowing about.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct UiEnabled;

impl Rule for UiEnabled {
    fn id(&self) -> &'static str {
        "SRV011"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        super::report_true_switch(
            inv,
            out,
            "ui",
            false,
            "ui = true serves the web UI on the API listeners: one more login surface to protect",
        );
    }
}
