//! SRV005 — Unauthenticated diagnostics on the listener: inside a non-loopback
//! `listener "tcp"`, `profiling { unauthenticated_pprof_access }` (high: heap and CPU
//! profiles of the process that holds the keys), `telemetry { unauthenticated_metrics_access }`
//! and `inflight_requests_logging { unauthenticated_in_flight_requests_access }` (medium),
//! weak-bool true, as blocks or object attributes. Metrics on a metrics-only listener
//! (`telemetry { metrics_only = true }`, or OpenBao's `role = "metrics_only"`) are low.

use super::{listener_address, tcp_listeners};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{is_loopback_bind, BoolReading};

pub struct UnauthenticatedDiagnostics;

const SWITCHES: &[(&str, &str, &str, Severity)] = &[
    (
        "profiling",
        "unauthenticated_pprof_access",
        "pprof heap and CPU profiles of the process holding the unseal and encryption keys",
        Severity::High,
    ),
    (
        "telemetry",
        "unauthenticated_metrics_access",
        "metrics (mount, token and lease counts, request patterns)",
        Severity::Medium,
    ),
    (
        "inflight_requests_logging",
        "unauthenticated_in_flight_requests_access",
        "the in-flight requests (paths and client addresses)",
        Severity::Medium,
    ),
];

impl Rule for UnauthenticatedDiagnostics {
    fn id(&self) -> &'static str {
        "SRV005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Server) {
            for (i, l) in tcp_listeners(&doc.body) {
                let addr = listener_address(l);
                if is_loopback_bind(addr) {
                    continue;
                }
                let metrics_only = l
                    .body
                    .nested("telemetry", "metrics_only")
                    .is_some_and(|a| a.value.weak_bool() == BoolReading::True)
                    || l.body.attr("role").and_then(|a| a.value.as_str()) == Some("metrics_only");
                for (stanza, key, what, sev) in SWITCHES {
                    let Some(a) = l.body.nested(stanza, key) else {
                        continue;
                    };
                    if a.value.weak_bool() != BoolReading::True {
                        continue;
                    }
                    let f = out.report(
                        Location::new(doc.path.clone(), a.value_span),
                        format!("listener \"tcp\" on {addr} sets {stanza}.{key}: anyone who reaches it reads {what} without a token{}",
                            if metrics_only { " (a metrics-only listener)" } else { "" }),
                    );
                    f.in_hcl_doc(doc, &format!("listener[{i}].{stanza}.{key}"));
                    f.severity(if metrics_only && *stanza == "telemetry" {
                        Severity::Low
                    } else {
                        *sev
                    });
                }
            }
        }
    }
}
