//! Vault / OpenBao server config rules (RULES-SPEC §1(e)), on server HCL/JSON files and on
//! configs embedded in ConfigMaps and Helm values (reported at the inner span, §0.7).

mod srv001_listener_tls_disabled;
mod srv006_long_server_lease_ttls;
mod srv008_plaintext_server_addresses;
mod srv009_transit_seal_skip_verify;

use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(srv001_listener_tls_disabled::ListenerTlsDisabled),
        Box::new(srv006_long_server_lease_ttls::LongServerLeaseTtls),
        Box::new(srv008_plaintext_server_addresses::PlaintextServerAddresses),
        Box::new(srv009_transit_seal_skip_verify::TransitSealSkipVerify),
    ]
}

/// The judgement behind SRV001 (and the chart-default check of HLM002): a `listener "tcp"`
/// block with `tls_disable` weak-bool true. Returns the `tls_disable` attribute and whether the
/// listener is bound to loopback only (the default address is `127.0.0.1:8200`).
pub fn tls_disabled_listener(
    block: &crate::syntax::hcl::Block,
) -> Option<(&crate::syntax::hcl::Attr, bool)> {
    if block.labels.first().map(String::as_str) != Some("tcp") {
        return None;
    }
    let attr = block.body.attr("tls_disable")?;
    if attr.value.weak_bool() != crate::semantics::BoolReading::True {
        return None;
    }
    let address = block
        .body
        .attr("address")
        .and_then(|a| a.value.as_text())
        .unwrap_or("127.0.0.1:8200");
    Some((attr, crate::semantics::is_loopback_bind(address)))
}
