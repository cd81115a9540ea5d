//! K8S003 — Plaintext Vault address: `VAULT_ADDR`/`BAO_ADDR`/`VAULT_AGENT_ADDR`/
//! `BAO_AGENT_ADDR` is `http://` to a host that is not loopback (in-pod agent listeners on
//! `127.0.0.1` are fine by design; `unix://` too).

use super::env_checks::plaintext_vault_addr;
use super::{each_env, finish, who};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct PlaintextVaultAddr;

impl Rule for PlaintextVaultAddr {
    fn id(&self) -> &'static str {
        "K8S003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        each_env(inv, |site, v, _| {
            let Some(value) = v.value.as_deref() else {
                return;
            };
            if let Some(host) = plaintext_vault_addr(&v.name, value) {
                let Some((w, c)) = site.resolve() else { return };
                let f = out.report(
                    w.object.location(v.span),
                    format!("{} sends its Vault token and secrets in cleartext: {} is http:// to `{host}`", who(w, c), v.name),
                );
                finish(f, w, c, v);
            }
        });
    }
}
