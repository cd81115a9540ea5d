//! XSR007 — Vault server TLS config vs Helm scheme. The vault chart derives one URL scheme
//! from `global.tlsDisable` (Go truthiness) for `VAULT_ADDR=<scheme>://127.0.0.1:8200`, the
//! readiness/liveness probes, `VAULT_API_ADDR` and the injector's Vault address; the listener
//! that answers on port 8200 is governed only by the rendered server config. When the two
//! disagree the pod never becomes ready and injected agents cannot log in:
//! `http` against a TLS listener, or `https` (`global.tlsDisable: false`) against a listener
//! with `tls_disable` true. Joined here across the values files and the active config
//! string (the file's own, or the chart default).

use super::{active_config, identify, server_charts};
use crate::location::Location;
use crate::model::helm::Mode;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::BoolReading;
use crate::syntax::hcl::{Block, Body};

pub struct ServerTlsVsChartScheme;

/// The port of a listener bind address (`[::]:8200`, `0.0.0.0:8200`, `8200`).
fn port(addr: &str) -> Option<&str> {
    addr.rsplit_once(':').map(|(_, p)| p).or(Some(addr))
}

/// The tcp listener the chart's own clients reach (`127.0.0.1:8200`): the one on port 8200
/// (Vault's default address is `127.0.0.1:8200`).
pub(crate) fn port_8200_listener(body: &Body) -> Option<&Block> {
    body.blocks("listener")
        .filter(|b| b.labels.first().map(String::as_str) == Some("tcp"))
        .find(|b| {
            let addr = b
                .body
                .attr("address")
                .and_then(|a| a.value.as_str())
                .unwrap_or("127.0.0.1:8200");
            port(addr) == Some("8200")
        })
}

impl Rule for ServerTlsVsChartScheme {
    fn id(&self) -> &'static str {
        "XSR007"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in server_charts(inv) {
            if !matches!(v.mode(), Mode::Standalone | Mode::Ha) {
                continue;
            }
            let Some(cfg) = active_config(inv, &v) else {
                continue;
            };
            let Some(listener) = cfg.body().and_then(port_8200_listener) else {
                continue;
            };
            let tls_attr = listener.body.attr("tls_disable");
            let tls_off = match tls_attr.map(|a| a.value.weak_bool()) {
                Some(BoolReading::True) => true,
                None | Some(BoolReading::False) => false,
                // Unparseable or templated: the server decides, not us.
                _ => continue,
            };
            let scheme = v.get("global.tlsDisable");
            let http = scheme.truthy();
            // Agreement (http with tls_disable, https with TLS) is not this rule's business.
            if http == tls_off {
                continue;
            }
            // Where the listener side is, when the values file holds the config.
            let listener_at = cfg.doc.map(|d| {
                let span = tls_attr.map_or(listener.ident_span, |a| a.value_span);
                Location::new(d.path.clone(), span)
            });
            let source = if cfg.doc.is_some() {
                cfg.path.to_owned()
            } else {
                format!("{} (chart default)", cfg.path)
            };
            let msg = if http {
                format!("{}: global.tlsDisable {} makes the chart's clients use http:// (VAULT_ADDR, probes, the injector's Vault address), but the port-8200 listener in {source} serves TLS: the pods never become ready and injected agents cannot reach Vault",
                    v.describe(), if scheme.in_file { "is true" } else { "defaults to true" })
            } else {
                format!("{}: global.tlsDisable is false, so the chart's clients use https://, but the port-8200 listener in {source} has tls_disable set: probes and injected agents fail the TLS handshake against a plaintext listener", v.describe())
            };
            let (at, other) = if scheme.in_file {
                (scheme.location.clone(), listener_at)
            } else if let Some(l) = listener_at.clone() {
                (l, Some(scheme.location.clone()))
            } else {
                (scheme.location.clone(), None)
            };
            let f = out.report(at, msg);
            if let Some(o) = other {
                f.related(o, "the other side of the mismatch");
            }
            identify(f, &v, "global.tlsDisable");
        }
    }
}
