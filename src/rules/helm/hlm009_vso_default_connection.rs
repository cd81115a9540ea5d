//! HLM009 — VSO chart default connection insecure: with `defaultVaultConnection.enabled`
//! (Go-truthy) the vault-secrets-operator chart renders a `VaultConnection` named `default`;
//! `skipTLSVerify` true is VSO001 (critical) and a plaintext non-loopback `address` is VSO002
//! (high), reported here at the values key instead of on the rendered object.

use super::identify;
use crate::model::helm::Chart;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{classify_address, Address};
use crate::syntax::yaml::Node;

pub struct VsoDefaultConnection;

impl Rule for VsoDefaultConnection {
    fn id(&self) -> &'static str {
        "HLM009"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in inv.helm_releases().filter(|v| v.chart() == Chart::Vso) {
            if !v.get("defaultVaultConnection.enabled").truthy() {
                continue;
            }
            let skip = v.get("defaultVaultConnection.skipTLSVerify");
            // The value is rendered unquoted into the VaultConnection and read as a bool.
            if skip.in_file && skip.to_go_string().eq_ignore_ascii_case("true") {
                let f = out.report(
                    skip.location.clone(),
                    "defaultVaultConnection.skipTLSVerify makes the operator's default VaultConnection skip TLS verification (as VSO001): any certificate is accepted for Vault tokens and secrets",
                );
                f.severity(Severity::Critical);
                identify(f, &v, "defaultVaultConnection.skipTLSVerify");
            }
            let addr = v.get("defaultVaultConnection.address");
            if let Some(Address::Plaintext { host }) =
                addr.node.and_then(Node::as_str).map(classify_address)
            {
                let f = out.report(
                    addr.location.clone(),
                    format!("defaultVaultConnection.address is http:// to `{host}`: the operator's default VaultConnection talks to Vault in cleartext (as VSO002)"),
                );
                f.severity(Severity::High);
                identify(f, &v, "defaultVaultConnection.address");
            }
        }
    }
}
