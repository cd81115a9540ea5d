//! HLM002 — Chart server config disables listener TLS: the values do not set the active
//! mode's config string, so the chart renders its default, whose `listener "tcp"` has
//! `tls_disable = 1` on `[::]:8200` — the judgement SRV001 makes, reported at the §0.7 default
//! location. When the values set the string, it is parsed in place and SRV001 fires at the
//! inner span instead (one fact, one finding).

use super::{identify, server_charts};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{is_loopback_bind, BoolReading};
use crate::syntax::hcl::{self, Body};
use crate::syntax::mapping::FileMap;
use crate::syntax::yaml::Node;

pub struct DefaultConfigTlsDisabled;

impl Rule for DefaultConfigTlsDisabled {
    fn id(&self) -> &'static str {
        "HLM002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in server_charts(inv) {
            let Some(path) = v.active_config_path() else {
                continue;
            };
            let l = v.get(path);
            if l.in_file {
                continue;
            }
            let Some(text) = l.node.and_then(Node::as_str) else {
                continue;
            };
            let Ok(body) = hcl::parse(text, &FileMap::new(text)) else {
                continue;
            };
            let Some(addr) = plaintext_listener(&body) else {
                continue;
            };
            let f = out.report(
                l.location.clone(),
                format!(
                    "{path} is not set, so the {} renders its default server config, whose listener \"tcp\" on {addr} has tls_disable = 1: Vault serves tokens and secrets over plaintext",
                    v.describe()
                ),
            );
            identify(f, &v, path);
        }
    }
}

/// The address of the first tcp listener with TLS disabled on a reachable address (SRV001's
/// judgement; an absent address is Vault's default `127.0.0.1:8200`).
fn plaintext_listener(body: &Body) -> Option<String> {
    body.blocks("listener")
        .filter(|b| b.labels.first().map(String::as_str) == Some("tcp"))
        .find_map(|b| {
            let off = b.body.attr("tls_disable")?.value.weak_bool() == BoolReading::True;
            let addr = b
                .body
                .attr("address")
                .and_then(|a| a.value.as_str())
                .unwrap_or("127.0.0.1:8200");
            (off && !is_loopback_bind(addr)).then(|| addr.to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::helm::Chart;
    use crate::model::helm_defaults::defaults;

    #[test]
    fn every_default_config_has_a_plaintext_listener() {
        for p in [
            ["server", "standalone", "config"].as_slice(),
            &["server", "ha", "config"],
            &["server", "ha", "raft", "config"],
        ] {
            let text = defaults(Chart::Vault)
                .path(p)
                .and_then(Node::as_str)
                .unwrap();
            let body = hcl::parse(text, &FileMap::new(text)).unwrap();
            assert_eq!(plaintext_listener(&body).as_deref(), Some("[::]:8200"));
        }
        let text = "listener \"tcp\" {\n  tls_disable = 1\n  address = \"127.0.0.1:8200\"\n}\n";
        let body = hcl::parse(text, &FileMap::new(text)).unwrap();
        assert_eq!(plaintext_listener(&body), None);
    }
}
