//! The chart defaults the helm rules read, written by us as a compact YAML string (only the
//! keys the rules look at), for vault-helm v0.34.1 (also used for the openbao chart, a fork
//! with the same value layout) and the vault-secrets-operator chart (RULES-SPEC §1(b),
//! §1(a-6)). Effective values are these defaults deep-merged with the scanned values file(s),
//! so a key the file does not set still has the value Helm would render.

use crate::model::helm::Chart;
use crate::syntax::yaml::{self, Node};
use std::sync::OnceLock;

/// The default `listener "tcp"` every default server config of the vault chart carries.
const VAULT_DEFAULTS: &str = r#"
global:
  enabled: true
  tlsDisable: true
  externalVaultAddr: ""
injector:
  enabled: "-"
  externalVaultAddr: ""
  extraEnvironmentVars: {}
server:
  enabled: "-"
  extraEnvironmentVars: {}
  extraSecretEnvironmentVars: []
  networkPolicy:
    enabled: false
    egress: []
    ingress:
      - from:
        - namespaceSelector: {}
        ports:
        - port: 8200
          protocol: TCP
        - port: 8201
          protocol: TCP
  dev:
    enabled: false
    devRootToken: "root"
  standalone:
    enabled: "-"
    config: |-
      ui = true

      listener "tcp" {
        tls_disable = 1
        address = "[::]:8200"
        cluster_address = "[::]:8201"
      }
      storage "file" {
        path = "/vault/data"
      }
  ha:
    enabled: false
    raft:
      enabled: false
      config: |
        ui = true

        listener "tcp" {
          tls_disable = 1
          address = "[::]:8200"
          cluster_address = "[::]:8201"
        }

        storage "raft" {
          path = "/vault/data"
        }

        service_registration "kubernetes" {}
    config: |
      ui = true

      listener "tcp" {
        tls_disable = 1
        address = "[::]:8200"
        cluster_address = "[::]:8201"
      }
      storage "consul" {
        path = "vault"
        address = "HOST_IP:8500"
      }

      service_registration "kubernetes" {}
"#;

const VSO_DEFAULTS: &str = r#"
defaultVaultConnection:
  enabled: false
  address: ""
  skipTLSVerify: false
"#;

/// The parsed defaults of a chart.
pub fn defaults(chart: Chart) -> &'static Node {
    static VAULT: OnceLock<Node> = OnceLock::new();
    static VSO: OnceLock<Node> = OnceLock::new();
    let (cell, text) = match chart {
        Chart::Vault | Chart::OpenBao => (&VAULT, VAULT_DEFAULTS),
        Chart::Vso => (&VSO, VSO_DEFAULTS),
    };
    cell.get_or_init(|| {
        yaml::parse(text)
            .documents
            .into_iter()
            .next()
            .expect("chart defaults are valid YAML")
            .root
    })
}

/// Top-level keys of each chart's values (content detection: a values file uses only these).
pub fn top_level_keys(chart: Chart) -> &'static [&'static str] {
    match chart {
        Chart::Vault | Chart::OpenBao => &[
            "global",
            "injector",
            "server",
            "ui",
            "csi",
            "serverTelemetry",
        ],
        Chart::Vso => &[
            "controller",
            "metricsService",
            "defaultVaultConnection",
            "defaultAuthMethod",
            "telemetry",
            "hooks",
            "tests",
            "extraObjects",
        ],
    }
}

/// Paths only this chart has (content detection, RULES-SPEC §0.7).
pub fn specific_paths(chart: Chart) -> &'static [&'static [&'static str]] {
    match chart {
        Chart::Vault | Chart::OpenBao => &[
            &["server", "ha"],
            &["server", "standalone"],
            &["server", "dev"],
            &["server", "dataStorage"],
            &["injector", "agentImage"],
            &["injector", "externalVaultAddr"],
            &["global", "externalVaultAddr"],
            &["global", "tlsDisable"],
        ],
        Chart::Vso => &[
            &["defaultVaultConnection"],
            &["defaultAuthMethod"],
            &["controller"],
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_hold_the_listener() {
        let d = defaults(Chart::Vault);
        let cfg = d
            .path(&["server", "ha", "raft", "config"])
            .and_then(Node::as_str);
        assert!(cfg.is_some_and(|c| c.contains("tls_disable = 1")));
        assert_eq!(
            defaults(Chart::Vso)
                .path(&["defaultVaultConnection", "enabled"])
                .and_then(Node::as_str),
            Some("false")
        );
    }
}
