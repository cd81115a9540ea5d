//! HLM001 — Chart runs in-cluster Vault with plaintext scheme: in standalone/ha mode the vault
//! chart uses `global.tlsDisable` (Go-template truthiness, default `true`; the string "false"
//! is truthy too) only to pick `http` for `VAULT_ADDR`, `VAULT_API_ADDR` and the injector's
//! `AGENT_INJECT_VAULT_ADDR`. External mode is HLM003's; dev mode is HLM004's. When the
//! rendered config's port-8200 listener serves TLS, nothing travels in plaintext — the
//! http:// clients just fail — and that mismatch is XSR007's finding (one fact, one place).

use super::{identify, server_charts};
use crate::model::helm::Mode;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Typed;

pub struct InChartPlaintextScheme;

impl Rule for InChartPlaintextScheme {
    fn id(&self) -> &'static str {
        "HLM001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in server_charts(inv) {
            let mode = v.mode();
            if !matches!(mode, Mode::Standalone | Mode::Ha) {
                continue;
            }
            let l = v.get("global.tlsDisable");
            if !l.truthy() {
                continue;
            }
            let tls_listener = super::active_config(inv, &v).is_some_and(|c| {
                c.body()
                    .and_then(super::xsr007_server_tls_vs_chart_scheme::port_8200_listener)
                    .is_some_and(|b| {
                        b.body
                            .attr("tls_disable")
                            .map_or(crate::semantics::BoolReading::False, |a| {
                                a.value.weak_bool()
                            })
                            == crate::semantics::BoolReading::False
                    })
            });
            if tls_listener {
                continue;
            }
            let how = match l.node.and_then(|n| n.typed()) {
                Some(Typed::Str(s)) if s.eq_ignore_ascii_case("false") => format!(
                    "global.tlsDisable is the string \"{s}\", which Go templates treat as true"
                ),
                _ if l.in_file => "global.tlsDisable is true".to_owned(),
                _ => "global.tlsDisable defaults to true".to_owned(),
            };
            let f = out.report(
                l.location.clone(),
                format!(
                    "{} runs Vault in {} mode over plaintext: {how}, so VAULT_ADDR, VAULT_API_ADDR and the injector's Vault address are http://",
                    v.describe(),
                    if mode == Mode::Ha { "ha" } else { "standalone" },
                ),
            );
            identify(f, &v, "global.tlsDisable");
        }
    }
}
