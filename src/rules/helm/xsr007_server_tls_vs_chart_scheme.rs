//! XSR007 — Vault server TLS config vs Helm scheme. The vault chart derives one URL scheme
//! from `global.tlsDisable` (Go truthiness) for `VAULT_ADDR=<scheme>://127.0.0.1:8200`, the
//! readiness/liveness probes, `VAULT_API_ADDR` and the injector's Vault address; the listener
//! that answers on port 8200 is governed only by the rendered server config. When the two
//! disagree — `http` against a TLS listener, or `https` (`global.tlsDisable: false`) against
//! a listener with `tls_disable` true — those clients fail: the readiness probe's
//! `vault status`, the liveness probe, redirects to `VAULT_API_ADDR`, injected agents.
//! Only the consumers the values leave on the wrong scheme are reported: an
//! `extraEnvironmentVars` `VAULT_ADDR`/`VAULT_API_ADDR` (a later env entry wins) or
//! injector `AGENT_INJECT_VAULT_ADDR` with the listener's scheme, `server.ha.apiAddr`, or an
//! `api_addr` in the config fixes that consumer; when none is left there is no finding.
//! Joined across the values files and the active config string (the file's own, or the
//! chart default).

use super::{active_config, identify, server_charts};
use crate::location::Location;
use crate::model::helm::Mode;
use crate::model::helm::Values;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{classify_address, Address, BoolReading};
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

/// The scheme an override gives a consumer: `Some(true)` for https, `Some(false)` for http,
/// `None` when not set or not evaluable (a placeholder).
fn env_scheme(v: &Values<'_>, path: &str, name: &str) -> Option<Option<bool>> {
    let addr = v
        .map_entries(path)
        .into_iter()
        .find(|(k, _, _)| *k == name)
        .map(|(_, e, _)| e.value.as_str().unwrap_or(""))?;
    Some(match classify_address(addr) {
        Address::Encrypted => Some(true),
        Address::Plaintext { .. } | Address::PlaintextLoopback => Some(false),
        _ => None,
    })
}

/// The chart's clients of port 8200 that still use the chart scheme (`https` when
/// `chart_https`) against a listener that speaks the other one.
fn wrong_scheme_consumers(v: &Values<'_>, body: &Body, chart_https: bool) -> Vec<&'static str> {
    let listener_https = !chart_https;
    // An override keeps the consumer broken only when it also has the wrong scheme; a
    // placeholder is not judged (not claimed broken).
    let still_wrong = |o: Option<Option<bool>>| match o {
        None => true,
        Some(Some(https)) => https != listener_https,
        Some(None) => false,
    };
    let mut out = Vec::new();
    if still_wrong(env_scheme(v, "server.extraEnvironmentVars", "VAULT_ADDR")) {
        out.push("VAULT_ADDR (the readiness probe's `vault status`)");
    }
    if v.get("server.readinessProbe.enabled").truthy()
        && v.get("server.readinessProbe.path").truthy()
    {
        out.push("the readiness probe");
    }
    if v.get("server.livenessProbe.enabled").truthy()
        && !v.get("server.livenessProbe.execCommand").truthy()
    {
        out.push("the liveness probe");
    }
    // The advertised address only matters where standbys redirect clients to the active node.
    if v.mode() == Mode::Ha
        && !v.get("server.ha.apiAddr").truthy()
        && !body.has("api_addr")
        && still_wrong(env_scheme(
            v,
            "server.extraEnvironmentVars",
            "VAULT_API_ADDR",
        ))
    {
        out.push("VAULT_API_ADDR");
    }
    if v.injector_enabled()
        && still_wrong(env_scheme(
            v,
            "injector.extraEnvironmentVars",
            "AGENT_INJECT_VAULT_ADDR",
        ))
    {
        out.push("the injector's Vault address");
    }
    out
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
            let Some(body) = cfg.body() else { continue };
            let broken = wrong_scheme_consumers(&v, body, !http);
            if broken.is_empty() {
                continue;
            }
            let broken = broken.join(", ");
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
                format!("{}: global.tlsDisable {} gives the chart's clients http:// — {broken} — but the port-8200 listener in {source} serves TLS: they fail (a failing readiness probe keeps the pods unready)",
                    v.describe(), if scheme.in_file { "is true" } else { "defaults to true" })
            } else {
                format!("{}: global.tlsDisable is false, so the chart's clients use https:// — {broken} — but the port-8200 listener in {source} has tls_disable set: they fail the TLS handshake against a plaintext listener", v.describe())
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
