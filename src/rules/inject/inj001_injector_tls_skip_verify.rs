//! INJ001 — Injector told to skip TLS verification: `vault.hashicorp.com/tls-skip-verify`
//! ParseBool-true renders `vault { tls_skip_verify = true }` into the injected agent's config.
//! Inert (info) when injection is not enabled on the pod template.

use super::injection_enabled;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{weak_parse_bool_str, BoolReading};

pub struct InjectorTlsSkipVerify;

impl Rule for InjectorTlsSkipVerify {
    fn id(&self) -> &'static str {
        "INJ001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for w in inv.workloads() {
            let Some(e) = w.annotation("vault.hashicorp.com/tls-skip-verify") else {
                continue;
            };
            let Some(value) = e.value.as_str() else {
                continue;
            };
            if weak_parse_bool_str(value) != BoolReading::True {
                continue;
            }
            let enabled = injection_enabled(&w);
            let msg = if enabled {
                format!("{}: the injected Vault Agent skips TLS verification (tls-skip-verify: {value})", w.object.display())
            } else {
                format!("{}: tls-skip-verify is set but inert while vault.hashicorp.com/agent-inject is not true", w.object.display())
            };
            let f = out.report(w.object.location(e.value.span), msg);
            f.identity(format!(
                "{}/annotations/tls-skip-verify",
                w.object.identity()
            ));
            if !enabled {
                f.severity(Severity::Info);
            }
        }
    }
}
