//! The chart defaults behind every helm rule (RULES-SPEC §1(b)): for the vault chart (also
//! used for the openbao chart, a fork with the same value layout) a verbatim snapshot of
//! vault-helm v0.34.1 `values.yaml` (@aa1c92e4), so every key a rule reads has exactly the
//! default Helm would render; for the vault-secrets-operator chart the few keys HLM009 reads.
//! Effective values are these defaults deep-merged under the scanned values file(s)
//! (`model::helm`), so a key the files do not set still has its chart value.

use crate::model::helm::Chart;
use crate::syntax::yaml::{self, Node};
use std::sync::OnceLock;

/// hashicorp/vault-helm v0.34.1 `values.yaml`, unmodified.
const VAULT_DEFAULTS: &str = include_str!("charts/vault-helm-0.34.1-values.yaml");

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

    /// The keys the helm rules read, with the defaults vault-helm v0.34.1 ships.
    #[test]
    fn snapshot_holds_the_keys_the_rules_read() {
        let d = defaults(Chart::Vault);
        let s = |p: &str| {
            let keys: Vec<&str> = p.split('.').collect();
            d.path(&keys)
                .map(|n| crate::model::helm::go_to_string(Some(n)))
        };
        for (path, want) in [
            ("global.enabled", "true"),
            ("global.tlsDisable", "true"),
            ("global.openshift", "false"),
            ("global.externalVaultAddr", ""),
            ("injector.enabled", "-"),
            ("server.enabled", "-"),
            ("server.dev.enabled", "false"),
            ("server.standalone.enabled", "-"),
            ("server.ha.enabled", "false"),
            ("server.ha.raft.enabled", "false"),
            ("server.ingress.enabled", "false"),
            ("server.service.enabled", "true"),
            ("server.auditStorage.enabled", "false"),
            ("server.auditStorage.mountPath", "/vault/audit"),
            ("server.networkPolicy.enabled", "false"),
            ("ui.enabled", "false"),
            ("ui.serviceType", "ClusterIP"),
            ("csi.enabled", "false"),
        ] {
            assert_eq!(s(path).as_deref(), Some(want), "{path}");
        }
        assert!(d
            .path(&["server", "ingress", "tls"])
            .is_some_and(|n| n.items().is_empty()));
        assert!(d
            .path(&["server", "volumeMounts"])
            .is_some_and(Node::is_null));
        assert!(d.path(&["ui", "loadBalancerSourceRanges"]).is_none());
        assert!(d.path(&["server", "service", "type"]).is_none());
    }
}
