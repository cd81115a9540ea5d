//! Helm values rules (RULES-SPEC §1(b)): what the vault/openbao and vault-secrets-operator
//! charts would render from the scanned values files merged onto the chart defaults. Which
//! file belongs to which chart, and where defaults are reported, is `model::helm`.

mod hlm001_inchart_plaintext_scheme;
mod hlm002_default_config_tls_disabled;
mod hlm003_external_vault_plaintext;
mod hlm004_dev_mode_server;
mod hlm005_chart_env_overrides;
mod hlm006_server_network_policy;
mod hlm007_ingress_without_tls;
mod hlm008_unrestricted_load_balancer;
mod hlm009_vso_default_connection;
mod hlm010_audit_storage_not_persisted;
mod xsr007_server_tls_vs_chart_scheme;

use crate::model::helm::Values;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::rules::{Finding, Rule};
use crate::syntax::hcl::{self, Body};
use crate::syntax::mapping::FileMap;
use crate::syntax::yaml::Node;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(hlm001_inchart_plaintext_scheme::InChartPlaintextScheme),
        Box::new(hlm002_default_config_tls_disabled::DefaultConfigTlsDisabled),
        Box::new(hlm003_external_vault_plaintext::ExternalVaultPlaintext),
        Box::new(hlm004_dev_mode_server::DevModeServer),
        Box::new(hlm005_chart_env_overrides::ChartEnvOverrides),
        Box::new(hlm007_ingress_without_tls::IngressWithoutTls),
        Box::new(hlm008_unrestricted_load_balancer::UnrestrictedLoadBalancer),
        Box::new(hlm006_server_network_policy::ServerNetworkPolicy),
        Box::new(hlm009_vso_default_connection::VsoDefaultConnection),
        Box::new(hlm010_audit_storage_not_persisted::AuditStorageNotPersisted),
        Box::new(xsr007_server_tls_vs_chart_scheme::ServerTlsVsChartScheme),
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

/// The server config a release renders (standalone/ha modes): the string in a values file,
/// parsed in place with inner spans (the document `model::helm` attached to that file), or
/// the chart default, parsed on its own.
pub(crate) struct ActiveConfig<'a> {
    /// The values path (`server.ha.raft.config`, …).
    pub path: &'static str,
    /// The config as parsed in the values file, when the file sets it.
    pub doc: Option<&'a HclDoc>,
    /// The chart default config, when the files do not set it.
    pub default_body: Option<Body>,
}

impl ActiveConfig<'_> {
    pub fn body(&self) -> Option<&Body> {
        self.doc.map(|d| &d.body).or(self.default_body.as_ref())
    }
}

pub(crate) fn active_config<'a>(inv: &'a Inventory, v: &Values<'a>) -> Option<ActiveConfig<'a>> {
    let path = v.active_config_path()?;
    let lookup = v.get(path);
    if lookup.in_file {
        let doc = inv.files[lookup.file].hcl.iter().find(|d| {
            d.kind == HclKind::Server
                && d.container == lookup.key
                && d.origin.as_deref().is_some_and(|o| o.ends_with(path))
        });
        return Some(ActiveConfig {
            path,
            doc,
            default_body: None,
        });
    }
    let text = lookup.node.and_then(Node::as_str)?;
    let default_body = hcl::parse(text, &FileMap::new(text)).ok();
    Some(ActiveConfig {
        path,
        doc: None,
        default_body,
    })
}
