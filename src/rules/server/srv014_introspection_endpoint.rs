//! SRV014 — Introspection endpoint enabled: `introspection_endpoint = true` serves
//! `sys/internal/inspect/router/*`, which lists the server's internal routing state.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct IntrospectionEndpoint;

impl Rule for IntrospectionEndpoint {
    fn id(&self) -> &'static str {
        "SRV014"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        super::report_true_switch(
            inv,
            out,
            "introspection_endpoint",
            false,
            "introspection_endpoint enables sys/internal/inspect: a token allowed there reads the server's internal router state",
        );
    }
}
