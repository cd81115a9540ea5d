//! VSO005 — Dynamic credentials not revoked on delete: a `VaultDynamicSecret` without
//! `spec.revoke: true` leaves its lease valid until the TTL runs out after the consumer is
//! gone. Static credentials (`allowStaticCreds: true`, `…/static-creds/…`) have no lease to
//! revoke and are not flagged.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Typed;

pub struct DynamicNotRevoked;

impl Rule for DynamicNotRevoked {
    fn id(&self) -> &'static str {
        "VSO005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for s in super::of_kind(inv, &["VaultDynamicSecret"]) {
            let Some(spec) = s.root().entry("spec") else {
                continue;
            };
            let flag = |k: &str| spec.value.get(k).and_then(|n| n.typed());
            if flag("allowStaticCreds") == Some(Typed::Bool(true)) {
                continue;
            }
            let (span, what) = match spec.value.entry("revoke") {
                Some(e) if e.value.typed() == Some(Typed::Bool(true)) => continue,
                Some(e) => (e.value.span, "sets revoke: false"),
                None => (spec.key.span, "does not set revoke: true"),
            };
            out.report(
                s.location(span),
                format!("{} {what}: its Vault lease stays valid until the TTL expires after the secret is deleted", s.display()),
            )
            .identity(format!("{}/revoke", s.identity()));
        }
    }
}
