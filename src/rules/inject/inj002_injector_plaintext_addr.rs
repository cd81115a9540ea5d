//! INJ002 — Injector Vault address is plaintext: `vault.hashicorp.com/service` is http:// to a
//! non-loopback host. (An absent annotation falls back to the injector's default address,
//! judged by HLM001/HLM003.)

use super::injection_enabled;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{classify_address, Address};

pub struct InjectorPlaintextAddr;

impl Rule for InjectorPlaintextAddr {
    fn id(&self) -> &'static str {
        "INJ002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for w in inv.workloads() {
            let Some(e) = w.annotation("vault.hashicorp.com/service") else {
                continue;
            };
            let Some(value) = e.value.as_str() else {
                continue;
            };
            let Address::Plaintext { host } = classify_address(value) else {
                continue;
            };
            let enabled = injection_enabled(&w);
            let msg = if enabled {
                format!(
                    "{}: the injected Vault Agent talks to Vault over plaintext http:// (`{host}`)",
                    w.object.display()
                )
            } else {
                format!("{}: vault.hashicorp.com/service is plaintext http:// but inert while agent-inject is not true", w.object.display())
            };
            let f = out.report(w.object.location(e.value.span), msg);
            f.identity(format!("{}/annotations/service", w.object.identity()));
            if !enabled {
                f.severity(Severity::Info);
            }
        }
    }
}
