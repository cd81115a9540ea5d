//! AGT003 — Auto-auth token exposed on a network listener: the agent answers listener
//! requests with its own auto-auth token (`api_proxy`/`cache` `use_auto_auth_token` true or
//! `"force"`, see [`super::auto_auth_token`]) and a `listener "tcp"` binds beyond loopback:
//! anyone who reaches the port acts with the agent's identity. Critical when that listener
//! also has TLS disabled, high otherwise. Loopback listeners (the injector's
//! `127.0.0.1:8100`), `unix` sockets and metrics-only listeners are not reported.

use super::{auto_auth_token, listener_tls_off, network_listeners};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct AutoAuthTokenOnNetwork;

impl Rule for AutoAuthTokenOnNetwork {
    fn id(&self) -> &'static str {
        "AGT003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            let Some(token) = auto_auth_token(&doc.body) else {
                continue;
            };
            for (i, l, addr) in network_listeners(&doc.body) {
                let plain = listener_tls_off(l);
                let span = l
                    .body
                    .attr("address")
                    .map_or(l.ident_span, |a| a.value_span);
                let f = out.report(
                    Location::new(doc.path.clone(), span),
                    format!("the agent serves requests with its auto-auth token on {addr}{}: anyone who reaches the port acts with the agent's Vault identity",
                        if plain { " over plaintext (tls_disable)" } else { "" }),
                );
                f.related(
                    Location::new(doc.path.clone(), token.value_span),
                    "use_auto_auth_token",
                );
                f.in_hcl_doc(doc, &format!("listener[{i}].address"));
                if !plain {
                    f.severity(Severity::High);
                }
            }
        }
    }
}
