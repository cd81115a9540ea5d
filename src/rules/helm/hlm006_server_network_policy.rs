//! HLM006 — Vault server NetworkPolicy disabled or open to all namespaces: a release that
//! runs a server (mode standalone, ha or dev) with `server.networkPolicy.enabled` not
//! `"true"` (the chart compares `toString`; default false) and no NetworkPolicy in the scan set
//! that would satisfy K8S013 for the chart's server pods; or with it enabled and an ingress rule
//! that admits every pod — the chart default `from: [{namespaceSelector: {}}]`.

use std::collections::HashMap;

use super::{identify, server_charts};
use crate::model::helm::Mode;
use crate::model::inventory::Inventory;
use crate::model::netpol::policy::{rules_of, Direction};
use crate::rules::{Context, Emitter, Rule};

pub struct ServerNetworkPolicy;

impl Rule for ServerNetworkPolicy {
    fn id(&self) -> &'static str {
        "HLM006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        // Whether a policy in the scan set isolates a chart's server pods depends on the
        // chart's name only, and a large scan holds many releases of few charts: ask once per
        // name, not once per release (each asking walks every NetworkPolicy).
        let mut isolated_by_name: HashMap<String, bool> = HashMap::new();
        for v in server_charts(inv) {
            if !matches!(v.mode(), Mode::Standalone | Mode::Ha | Mode::Dev) {
                continue;
            }
            let enabled = v.get("server.networkPolicy.enabled");
            if enabled.to_go_string() != "true" {
                let chart = v.chart().name();
                let isolated = match isolated_by_name.get(chart) {
                    Some(&known) => known,
                    None => {
                        let found = inv.netpol().vault_server_ingress_policy(chart).is_some();
                        isolated_by_name.insert(chart.to_owned(), found);
                        found
                    }
                };
                if isolated {
                    continue;
                }
                let default = if enabled.from_default() {
                    " (the chart default)"
                } else {
                    ""
                };
                let f = out.report(
                    enabled.location.clone(),
                    format!("server.networkPolicy.enabled is {}{default}: the {} renders no NetworkPolicy for the Vault server pods and none in the scan set isolates their ingress, so every pod in the cluster can reach the Vault API", enabled.to_go_string().replace("<nil>", "unset"), v.describe()),
                );
                identify(f, &v, "server.networkPolicy.enabled");
                continue;
            }
            let ingress = v.get("server.networkPolicy.ingress");
            let Some(node) = ingress.node else { continue };
            let file = ingress.in_file.then(|| v.file(ingress.file));
            let rules = rules_of(file, node, Direction::Ingress);
            for (i, rule) in rules.iter().enumerate() {
                let Some(everything) = rule.everything() else {
                    continue;
                };
                let location = if ingress.in_file {
                    v.location(ingress.file, everything.span(rule))
                } else {
                    ingress.location.clone()
                };
                let default = if ingress.in_file {
                    ""
                } else {
                    " (the chart default)"
                };
                let f = out.report(
                    location,
                    format!("server.networkPolicy.ingress rule {} {}{default}: the Vault server accepts connections from every pod of every namespace", i + 1, everything.describe(Direction::Ingress)),
                );
                identify(f, &v, &format!("server.networkPolicy.ingress/{i}"));
            }
        }
    }
}
