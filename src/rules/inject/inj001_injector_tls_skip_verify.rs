//! INJ001 — Injector told to skip TLS verification: `vault.hashicorp.com/tls-skip-verify`
//! ParseBool-true renders `vault { tls_skip_verify = true }` into the injected agent's config.
//! Inert (info) when injection is not enabled on the pod template.

use super::report_true_annotation;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct InjectorTlsSkipVerify;

impl Rule for InjectorTlsSkipVerify {
    fn id(&self) -> &'static str {
        "INJ001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        report_true_annotation(
            inv,
            out,
            "vault.hashicorp.com/tls-skip-verify",
            |who, value| {
                format!("{who}: the injected Vault Agent skips TLS verification (tls-skip-verify: {value})")
            },
        );
    }
}
