//! SRV010 — Client certificates not verified (mTLS intended), info. Two facts:
//! a TLS listener with `tls_disable_client_certs` weak-bool true while the scan set enables
//! a `cert` auth method (the listener never asks for a client certificate, so cert login
//! cannot work); and, when the organisation requires mTLS (option
//! `SRV010: { require_mtls: ["true"] }`), a non-loopback TLS listener without
//! `tls_require_and_verify_client_cert` true.

use super::{listener_address, tcp_listeners, tls_off};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{is_loopback_bind, BoolReading};

pub struct ClientCertsNotVerified;

/// True when the scan set enables or configures the `cert` auth method.
fn cert_auth_in_scan(inv: &Inventory) -> bool {
    let roles = inv.vault_roles();
    roles.auth_mounts.iter().any(|(path, m)| {
        m.mount_type
            .as_deref()
            .map_or(path == "cert", |t| t == "cert")
    }) || roles.roles.iter().any(|r| r.mount == "cert")
}

impl Rule for ClientCertsNotVerified {
    fn id(&self) -> &'static str {
        "SRV010"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let require = cx
            .config
            .option("SRV010", "require_mtls")
            .and_then(|v| v.first())
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let mut cert_auth: Option<bool> = None;
        for doc in inv.hcl_docs(HclKind::Server) {
            for (i, l) in tcp_listeners(&doc.body) {
                if tls_off(l) {
                    continue;
                }
                let truthy = |k: &str| {
                    l.body
                        .attr(k)
                        .filter(|a| a.value.weak_bool() == BoolReading::True)
                };
                if let Some(a) = truthy("tls_disable_client_certs") {
                    if *cert_auth.get_or_insert_with(|| cert_auth_in_scan(inv)) {
                        let f = out.report(
                            Location::new(doc.path.clone(), a.value_span),
                            "tls_disable_client_certs is set while the scan set enables the cert auth method: the listener never requests a client certificate, so cert login cannot succeed through it",
                        );
                        f.in_hcl_doc(doc, &format!("listener[{i}].tls_disable_client_certs"));
                    }
                    continue;
                }
                let addr = listener_address(l);
                if require
                    && truthy("tls_require_and_verify_client_cert").is_none()
                    && !is_loopback_bind(addr)
                {
                    let f = out.report(
                        Location::new(doc.path.clone(), l.ident_span),
                        format!("listener \"tcp\" on {addr} does not set tls_require_and_verify_client_cert, but the organisation requires mTLS (SRV010.require_mtls)"),
                    );
                    f.in_hcl_doc(
                        doc,
                        &format!("listener[{i}].tls_require_and_verify_client_cert"),
                    );
                }
            }
        }
    }
}
