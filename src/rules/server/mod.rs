//! Vault / OpenBao server config rules (RULES-SPEC §1(e)), on server HCL/JSON files and on
//! configs embedded in ConfigMaps and Helm values (reported at the inner span, §0.7).

mod srv001_listener_tls_disabled;
mod srv002_weak_tls_floor;
mod srv003_no_auto_unseal;
mod srv004_raw_storage_endpoint;
mod srv005_unauthenticated_diagnostics;
mod srv006_long_server_lease_ttls;
mod srv007_disable_mlock_without_raft;
mod srv008_plaintext_server_addresses;
mod srv009_transit_seal_skip_verify;
mod srv010_client_certs_not_verified;
mod srv011_ui_enabled;
mod srv012_client_ip_not_preserved;
mod srv013_api_audit_creation;
mod srv014_introspection_endpoint;

use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(srv001_listener_tls_disabled::ListenerTlsDisabled),
        Box::new(srv002_weak_tls_floor::WeakTlsFloor),
        Box::new(srv003_no_auto_unseal::NoAutoUnseal),
        Box::new(srv004_raw_storage_endpoint::RawStorageEndpoint),
        Box::new(srv005_unauthenticated_diagnostics::UnauthenticatedDiagnostics),
        Box::new(srv006_long_server_lease_ttls::LongServerLeaseTtls),
        Box::new(srv007_disable_mlock_without_raft::DisableMlockWithoutRaft),
        Box::new(srv008_plaintext_server_addresses::PlaintextServerAddresses),
        Box::new(srv009_transit_seal_skip_verify::TransitSealSkipVerify),
        Box::new(srv010_client_certs_not_verified::ClientCertsNotVerified),
        Box::new(srv011_ui_enabled::UiEnabled),
        Box::new(srv012_client_ip_not_preserved::ClientIpNotPreserved),
        Box::new(srv013_api_audit_creation::ApiAuditCreation),
        Box::new(srv014_introspection_endpoint::IntrospectionEndpoint),
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

/// `listener "tcp"` blocks, with their index among all `listener` blocks (the index SRV001
/// uses in identities).
pub(crate) fn tcp_listeners(
    body: &crate::syntax::hcl::Body,
) -> impl Iterator<Item = (usize, &crate::syntax::hcl::Block)> {
    body.blocks("listener")
        .enumerate()
        .filter(|(_, b)| b.labels.first().map(String::as_str) == Some("tcp"))
}

/// A listener's bind address (Vault's default is `127.0.0.1:8200`).
pub(crate) fn listener_address(block: &crate::syntax::hcl::Block) -> &str {
    block
        .body
        .attr("address")
        .and_then(|a| a.value.as_text())
        .unwrap_or("127.0.0.1:8200")
}

/// True when a listener has `tls_disable` weak-bool true (SRV001's fact).
pub(crate) fn tls_off(block: &crate::syntax::hcl::Block) -> bool {
    block
        .body
        .attr("tls_disable")
        .is_some_and(|a| a.value.weak_bool() == crate::semantics::BoolReading::True)
}

/// A top-level switch that is on (`raw_storage_endpoint = true`), for the rules that report
/// one server setting at its value. Most switches are read with `parseutil.ParseBool`
/// (`1`, `"true"` count); `plain_bool` ones are decoded straight into a Go bool, where only a
/// literal `true` is accepted (anything else stops the server at start-up).
pub(crate) fn report_true_switch(
    inv: &crate::model::inventory::Inventory,
    out: &mut crate::rules::Emitter,
    key: &str,
    plain_bool: bool,
    message: &str,
) {
    for doc in inv.hcl_docs(crate::model::vault_hcl::HclKind::Server) {
        let Some(a) = doc.body.attr(key) else {
            continue;
        };
        let on = if plain_bool {
            matches!(a.value, crate::syntax::hcl::Expr::Bool(true))
        } else {
            a.value.weak_bool() == crate::semantics::BoolReading::True
        };
        if !on {
            continue;
        }
        let f = out.report(
            crate::location::Location::new(doc.path.clone(), a.value_span),
            message,
        );
        f.in_hcl_doc(doc, key);
    }
}

/// True when a server config is OpenBao's: it comes from the openbao chart or uses a key
/// only OpenBao has (declarative `audit` stanzas, `unsafe_allow_api_audit_creation`).
pub(crate) fn is_openbao(doc: &crate::model::vault_hcl::HclDoc) -> bool {
    doc.origin
        .as_deref()
        .is_some_and(|o| o.starts_with("openbao chart"))
        || doc.body.blocks("audit").next().is_some()
        || doc.body.has("unsafe_allow_api_audit_creation")
}

/// The directory of a config file (Vault reads every file of a `-config` directory as one
/// config); for embedded configs, the object holding them (the keys of one ConfigMap are
/// mounted as one directory), or the chart value.
pub(crate) fn config_group(doc: &crate::model::vault_hcl::HclDoc) -> String {
    match &doc.origin {
        Some(o) => format!("{}#{}", doc.path, o.split(" key ").next().unwrap_or(o)),
        None => crate::source::paths::parent(&doc.path).to_owned(),
    }
}
