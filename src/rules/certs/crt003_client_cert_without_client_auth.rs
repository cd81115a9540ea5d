//! CRT003 — Client certificate without `client auth` usage: a Certificate whose secret a Vault
//! client setting references (see the family doc) and whose `usages` are set but lack
//! `client auth` — the TLS handshake with Vault's cert auth fails, and teams then "fix" it by
//! relaxing verification. Unset `usages` gets cert-manager's default, which includes it.

use super::{certificates, usages, ClientRefs};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct ClientCertWithoutClientAuth;

impl Rule for ClientCertWithoutClientAuth {
    fn id(&self) -> &'static str {
        "CRT003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        if certificates(inv).next().is_none() {
            return;
        }
        let refs = ClientRefs::new(inv);
        for cert in certificates(inv) {
            let Some(u) = usages(cert) else { continue };
            if u.contains(&"client auth") {
                continue;
            }
            let Some(r) = refs.reference(cert) else {
                continue;
            };
            let at = cert
                .get(&["spec"])
                .and_then(|s| s.entry("usages"))
                .map_or(cert.kind_span(), |e| e.key.span);
            out.report(
                cert.location(at),
                format!("{} is used as a Vault client certificate by {r} but its usages ({}) lack `client auth`: mTLS login to Vault fails", cert.display(), u.join(", ")),
            )
            .identity(format!("{}#spec.usages", cert.identity()));
        }
    }
}
