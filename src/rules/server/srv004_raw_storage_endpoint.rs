//! SRV004 — Raw storage endpoint enabled: `raw_storage_endpoint` weak-bool true enables
//! `sys/raw`, which reads and writes the storage backend beneath every policy, mount and
//! audit check.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct RawStorageEndpoint;

impl Rule for RawStorageEndpoint {
    fn id(&self) -> &'static str {
        "SRV004"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        super::report_true_switch(
            inv,
            out,
            "raw_storage_endpoint",
            false,
            "raw_storage_endpoint enables sys/raw: a token allowed there reads and rewrites the storage backend beneath every policy, mount and audit check",
        );
    }
}
