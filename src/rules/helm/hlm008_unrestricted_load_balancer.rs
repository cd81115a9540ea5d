//! HLM008 — Vault UI/API exposed by an unrestricted LoadBalancer. The chart's UI Service
//! (`ui.enabled` "true", or "-" with `global.enabled`; mode not external) forwards to the
//! API port 8200; with `ui.serviceType: LoadBalancer` the chart copies
//! `ui.loadBalancerSourceRanges` into the Service only when set, so without it the cloud
//! load balancer accepts every source address. The main server Service
//! (`server.service.type: LoadBalancer`) has no source-range value at all in the chart and
//! exposes the API and the cluster port 8201 the same way.
//!
//! A load balancer the cloud keeps internal (`…-internal`, `…-scheme: internal`,
//! `…load-balancer-type: Internal` annotations) is reported at low.

use super::{identify, server_charts};
use crate::model::helm::{go_to_string, Mode, Values};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct UnrestrictedLoadBalancer;

/// Cloud annotations that keep a LoadBalancer Service off the internet.
fn internal_annotation(v: &Values<'_>, path: &str) -> Option<String> {
    v.map_entries(path).into_iter().find_map(|(k, e, _)| {
        let val = go_to_string(Some(&e.value));
        let internal = match k {
            "service.beta.kubernetes.io/aws-load-balancer-internal"
            | "service.beta.kubernetes.io/azure-load-balancer-internal" => {
                val.eq_ignore_ascii_case("true") || val.starts_with("0.0.0.0")
            }
            "service.beta.kubernetes.io/aws-load-balancer-scheme" => val == "internal",
            "networking.gke.io/load-balancer-type" | "cloud.google.com/load-balancer-type" => {
                val.eq_ignore_ascii_case("internal")
            }
            "service.beta.kubernetes.io/oci-load-balancer-internal" => val == "true",
            _ => false,
        };
        internal.then(|| format!("{k}: {val}"))
    })
}

impl Rule for UnrestrictedLoadBalancer {
    fn id(&self) -> &'static str {
        "HLM008"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in server_charts(inv) {
            if matches!(v.mode(), Mode::External) {
                continue;
            }
            let ui = v.get("ui.enabled").to_go_string();
            let ui_on =
                ui == "true" || ui == "-" && v.get("global.enabled").to_go_string() == "true";
            let ty = v.get("ui.serviceType");
            if ui_on
                && ty.to_go_string() == "LoadBalancer"
                && !v.get("ui.loadBalancerSourceRanges").truthy()
            {
                let internal = internal_annotation(&v, "ui.annotations");
                let f = out.report(
                    ty.location.clone(),
                    format!(
                        "{} exposes the Vault UI and API (port {}) through a LoadBalancer Service without ui.loadBalancerSourceRanges: every address that reaches the load balancer reaches Vault{}",
                        v.describe(),
                        v.get("ui.externalPort").to_go_string(),
                        internal.as_ref().map_or(String::new(), |a| format!(" (kept internal by `{a}`)")),
                    ),
                );
                if internal.is_some() {
                    f.severity(Severity::Low);
                }
                identify(f, &v, "ui.serviceType");
            }
            let sty = v.get("server.service.type");
            if v.server_enabled()
                && v.get("server.service.enabled").to_go_string() == "true"
                && sty.to_go_string() == "LoadBalancer"
            {
                let internal = internal_annotation(&v, "server.service.annotations");
                let f = out.report(
                    sty.location.clone(),
                    format!(
                        "{} makes the Vault server Service a LoadBalancer, which the chart cannot restrict by source range: the API and the cluster port 8201 are open to every address that reaches it{}",
                        v.describe(),
                        internal.as_ref().map_or(String::new(), |a| format!(" (kept internal by `{a}`)")),
                    ),
                );
                if internal.is_some() {
                    f.severity(Severity::Low);
                }
                identify(f, &v, "server.service.type");
            }
        }
    }
}
