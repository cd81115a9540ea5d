//! SRV012 — Client IP not preserved behind a proxy (info): when an HTTP proxy fronts Vault —
//! the vault chart renders an Ingress (HLM007's conditions) or an OpenShift Route for the
//! release — the non-loopback `listener "tcp"` of the config the chart renders sees the
//! proxy's address unless it trusts `X-Forwarded-For` (`x_forwarded_for_authorized_addrs`)
//! or the PROXY protocol (`proxy_protocol_behavior` other than absent). The audit log's
//! `request.remote_address` then names the proxy for every request, blinding per-client
//! detection (AUD002).

use super::{listener_address, tcp_listeners};
use crate::location::Location;
use crate::model::helm::Mode;
use crate::model::inventory::Inventory;
use crate::rules::helm::active_config;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::is_loopback_bind;

pub struct ClientIpNotPreserved;

impl Rule for ClientIpNotPreserved {
    fn id(&self) -> &'static str {
        "SRV012"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in inv.helm_releases().filter(|v| v.chart().is_server_chart()) {
            if !matches!(v.mode(), Mode::Standalone | Mode::Ha) {
                continue;
            }
            let openshift = v.get("global.openshift").truthy();
            let ingress = v.get("server.ingress.enabled");
            let route = v.get("server.route.enabled");
            let front = if !openshift
                && ingress.truthy()
                && v.get("server.service.enabled").to_go_string() == "true"
            {
                ("an Ingress", ingress)
            } else if openshift && route.truthy() {
                ("an OpenShift Route", route)
            } else {
                continue;
            };
            let Some(cfg) = active_config(inv, &v) else {
                continue;
            };
            let Some(body) = cfg.body() else { continue };
            for (i, l) in tcp_listeners(body) {
                let addr = listener_address(l);
                if is_loopback_bind(addr)
                    || l.body.has("x_forwarded_for_authorized_addrs")
                    || l.body.has("proxy_protocol_behavior")
                {
                    continue;
                }
                let msg = format!("{} puts {} in front of Vault, but listener \"tcp\" on {addr} in {} trusts no X-Forwarded-For or PROXY protocol source: audit logs record the proxy's address for every client", v.describe(), front.0, cfg.path);
                match cfg.doc {
                    Some(doc) => {
                        out.report(Location::new(doc.path.clone(), l.ident_span), msg)
                            .in_hcl_doc(
                                doc,
                                &format!("listener[{i}].x_forwarded_for_authorized_addrs"),
                            )
                            .related(front.1.location.clone(), "the proxy in front of Vault");
                    }
                    // The chart's default config: reported at the proxy switch itself.
                    None => {
                        out.report(front.1.location.clone(), msg).identity(format!(
                            "{}#{}/{}/listener[{i}]",
                            v.file(front.1.file).path,
                            v.describe(),
                            cfg.path
                        ));
                    }
                }
            }
        }
    }
}
