//! Vault CSI provider rules (RULES-SPEC §1(a-3)).
//!
//! CSI001 — Vault CSI provider without TLS verification or over HTTP: a `SecretProviderClass`
//! with `spec.provider: vault` (or `openbao`) whose `parameters` set `<prefix>SkipTLSVerify`
//! ParseBool-true (critical) or `<prefix>Address` to plaintext http:// on a non-loopback host
//! (high). The OpenBao provider accepts the prefixes `bao`, `openbao` and `vault` for every
//! parameter; the Vault provider only `vault`.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{classify_address, go_parse_bool, Address, BoolReading};
use crate::syntax::yaml::Node;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(CsiTlsBypass)]
}

pub struct CsiTlsBypass;

impl Rule for CsiTlsBypass {
    fn id(&self) -> &'static str {
        "CSI001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for spc in inv.objects_of_kind(&["SecretProviderClass"]) {
            let provider = spc
                .get(&["spec", "provider"])
                .and_then(Node::as_str)
                .unwrap_or("");
            let prefixes: &[&str] = match provider {
                "vault" => &["vault"],
                "openbao" | "bao" => &["bao", "openbao", "vault"],
                _ => continue,
            };
            let Some(params) = spc.get(&["spec", "parameters"]) else {
                continue;
            };
            for (key, entry) in params.entries() {
                let Some(prefix) = prefixes.iter().find(|p| key.starts_with(*p)) else {
                    continue;
                };
                let Some(value) = entry.value.as_str() else {
                    continue;
                };
                match &key[prefix.len()..] {
                    "SkipTLSVerify" if go_parse_bool(value) == BoolReading::True => {
                        let f = out.report(
                            spc.location(entry.value.span),
                            format!("{}: the {provider} CSI provider skips TLS verification ({key}: \"{value}\")", spc.display()),
                        );
                        f.severity(Severity::Critical)
                            .identity(format!("{}/parameters/{key}", spc.identity()));
                    }
                    "Address" => {
                        if let Address::Plaintext { host } = classify_address(value) {
                            let f = out.report(
                                spc.location(entry.value.span),
                                format!("{}: the {provider} CSI provider fetches secrets over plaintext http:// (`{host}`)", spc.display()),
                            );
                            f.severity(Severity::High)
                                .identity(format!("{}/parameters/{key}", spc.identity()));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
