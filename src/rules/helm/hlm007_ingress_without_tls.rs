//! HLM007 — Vault Ingress without TLS: the vault chart renders `server-ingress.yaml` (not on
//! OpenShift, mode not external, `server.ingress.enabled` Go-truthy, the server Service
//! enabled) and its `spec.tls` only when `server.ingress.tls` is truthy — so an enabled
//! Ingress with an empty `tls` list serves Vault's API over plain HTTP at the edge.
//!
//! Controller annotations that terminate or pass TLS through without `spec.tls` (nginx
//! `ssl-passthrough`, an AWS ALB `certificate-arn`, GKE pre-shared or managed certificates)
//! lower the finding to low. cert-manager's `cert-manager.io/(cluster-)issuer` does not:
//! its ingress-shim only issues certificates for the hosts listed under `spec.tls`.

use super::{identify, server_charts};
use crate::model::helm::{go_to_string, Mode, Values};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::syntax::yaml::Typed;

pub struct IngressWithoutTls;

/// Annotations by which an ingress controller provides TLS without `spec.tls`.
const EDGE_TLS: &[(&str, Option<&str>)] = &[
    ("nginx.ingress.kubernetes.io/ssl-passthrough", Some("true")),
    ("alb.ingress.kubernetes.io/certificate-arn", None),
    ("ingress.gcp.kubernetes.io/pre-shared-cert", None),
    ("networking.gke.io/managed-certificates", None),
];

/// The first annotation showing TLS handled by the controller, if any. The chart accepts
/// annotations as a map or as a YAML string it runs through `tpl`.
fn edge_tls(v: &Values<'_>) -> Option<String> {
    let l = v.get("server.ingress.annotations");
    let pairs: Vec<(String, String)> = match l.node.and_then(|n| n.typed()) {
        Some(Typed::Str(s)) => s
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| {
                let t = |x: &str| x.trim().trim_matches(['"', '\'']).to_owned();
                (t(k), t(v))
            })
            .collect(),
        _ => v
            .map_entries("server.ingress.annotations")
            .into_iter()
            .map(|(k, e, _)| (k.to_owned(), go_to_string(Some(&e.value))))
            .collect(),
    };
    pairs.into_iter().find_map(|(k, val)| {
        EDGE_TLS.iter().find_map(|(name, want)| {
            (k == *name && !val.is_empty() && want.is_none_or(|w| val.eq_ignore_ascii_case(w)))
                .then(|| format!("{k}: {val}"))
        })
    })
}

impl Rule for IngressWithoutTls {
    fn id(&self) -> &'static str {
        "HLM007"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in server_charts(inv) {
            // On OpenShift the chart renders a Route instead; external mode deploys no server.
            if v.get("global.openshift").truthy()
                || matches!(v.mode(), Mode::External | Mode::Unset)
            {
                continue;
            }
            let enabled = v.get("server.ingress.enabled");
            if !enabled.truthy() || v.get("server.service.enabled").to_go_string() != "true" {
                continue;
            }
            let tls = v.get("server.ingress.tls");
            if tls.truthy() {
                continue;
            }
            let (location, how) = if tls.in_file {
                (tls.location.clone(), "server.ingress.tls is empty")
            } else {
                (
                    enabled.location.clone(),
                    "server.ingress.tls is not set (chart default [])",
                )
            };
            let edge = edge_tls(&v);
            let msg = match &edge {
                Some(a) => format!("{} enables a Vault Ingress without TLS ({how}); the annotation `{a}` suggests the controller handles TLS, check that plain HTTP is not served", v.describe()),
                None => format!("{} enables a Vault Ingress without TLS ({how}): the Ingress serves Vault's API, tokens and secrets over plain HTTP", v.describe()),
            };
            let f = out.report(location, msg);
            f.related(enabled.location.clone(), "server.ingress.enabled");
            if edge.is_some() {
                f.severity(Severity::Low);
            }
            identify(f, &v, "server.ingress.tls");
        }
    }
}
