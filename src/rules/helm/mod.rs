//! Helm values rules (RULES-SPEC §1(b)): what the vault/openbao and vault-secrets-operator
//! charts would render from the scanned values files merged onto the chart defaults. Which
//! file belongs to which chart, and where defaults are reported, is `model::helm`.

mod hlm001_inchart_plaintext_scheme;
mod hlm002_default_config_tls_disabled;
mod hlm003_external_vault_plaintext;
mod hlm004_dev_mode_server;
mod hlm005_chart_env_overrides;
mod hlm006_server_network_policy;
mod hlm009_vso_default_connection;

use crate::model::helm::Values;
use crate::model::inventory::Inventory;
use crate::rules::{Finding, Rule};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(hlm001_inchart_plaintext_scheme::InChartPlaintextScheme),
        Box::new(hlm002_default_config_tls_disabled::DefaultConfigTlsDisabled),
        Box::new(hlm003_external_vault_plaintext::ExternalVaultPlaintext),
        Box::new(hlm004_dev_mode_server::DevModeServer),
        Box::new(hlm005_chart_env_overrides::ChartEnvOverrides),
        Box::new(hlm006_server_network_policy::ServerNetworkPolicy),
        Box::new(hlm009_vso_default_connection::VsoDefaultConnection),
    ]
}

/// Releases of the charts that deploy a Vault/OpenBao server and injector.
fn server_charts(inv: &Inventory) -> impl Iterator<Item = Values<'_>> {
    inv.helm_releases().filter(|v| v.chart().is_server_chart())
}

/// A logical identity (release and values path, never a line) for fingerprints.
fn identify(f: &mut Finding, v: &Values<'_>, path: &str) {
    let first = v.release.parts.first().map_or(0, |p| p.file);
    f.identity(format!("{}#{}/{path}", v.file(first).path, v.describe()));
}
