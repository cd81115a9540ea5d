//! HLM003 — Injector/CSI pointed at an HTTP external Vault: `global.externalVaultAddr` (which
//! wins) or `injector.externalVaultAddr` is http:// to a non-loopback host; the injector
//! passes it verbatim to every injected agent, the CSI provider uses it too.

use super::{identify, server_charts};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{classify_address, Address};
use crate::syntax::yaml::Node;

pub struct ExternalVaultPlaintext;

impl Rule for ExternalVaultPlaintext {
    fn id(&self) -> &'static str {
        "HLM003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in server_charts(inv) {
            // Only what the chart renders: the address is read by the injector and the CSI
            // provider.
            if !v.injector_enabled() && v.get("csi.enabled").to_go_string() != "true" {
                continue;
            }
            let Some((path, l)) = ["global.externalVaultAddr", "injector.externalVaultAddr"]
                .into_iter()
                .map(|p| (p, v.get(p)))
                .find(|(_, l)| l.truthy())
            else {
                continue;
            };
            let Some(addr) = l.node.and_then(Node::as_str) else {
                continue;
            };
            if let Address::Plaintext { host } = classify_address(addr) {
                let f = out.report(
                    l.location.clone(),
                    format!(
                        "{path} sends injected agents and the CSI provider to Vault over http:// (`{host}`): the Kubernetes JWT, Vault tokens and secrets cross the network in cleartext"
                    ),
                );
                identify(f, &v, path);
            }
        }
    }
}
