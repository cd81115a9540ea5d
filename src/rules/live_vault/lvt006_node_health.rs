//! LVT006 — Node health (info): what `sys/health`'s status code says the node is — active
//! 200, standby 429, DR secondary 472, performance standby 473, standby that cannot reach the
//! active node 474, uninitialised 501, sealed 503, removed 530 — with the version string for
//! CVE correlation.

use crate::model::inventory::Inventory;
use crate::model::live_vault::{at, root};
use crate::rules::{Context, Emitter, Rule};

pub struct NodeHealth;

/// The meaning of a `sys/health` status code.
pub fn status_meaning(code: u16) -> &'static str {
    match code {
        200 => "active, unsealed",
        429 => "unsealed standby",
        472 => "disaster-recovery secondary",
        473 => "performance standby",
        474 => "standby that cannot reach the active node",
        501 => "not initialised",
        503 => "sealed",
        530 => "removed from the cluster",
        _ => "in an undocumented state",
    }
}

impl Rule for NodeHealth {
    fn id(&self) -> &'static str {
        "LVT006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for state in &inv.live.vault {
            let Some(h) = &state.health else { continue };
            let body = root(inv, state, "sys/health");
            let node = body.and_then(|b| b.get("version")).or(body);
            let version = if h.version.is_empty() {
                "unknown version".to_owned()
            } else {
                format!("version {}", h.version)
            };
            out.report(
                at(state, "sys/health", node),
                format!(
                    "{}: node is {} (sys/health {}), {version}",
                    state.base,
                    status_meaning(h.status),
                    h.status
                ),
            )
            .identity(format!("{}#health", state.base));
        }
    }
}
