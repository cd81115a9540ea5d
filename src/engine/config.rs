//! `.sealant.yaml`: which rules run, severity overrides, path excludes and rule options.
//! Found by walking up from the scan root, or given with `--config`.
//!
//! ```yaml
//! rules:
//!   disable: [K8S002, family:helm, tag:hygiene]
//!   enable: [K8S002]          # re-enable after a broader disable
//!   severity: { K8S003: critical }
//! exclude: ["vendor/**", "**/testdata/**"]
//! options:
//!   HLM004: { dev_paths: ["**/dev/**", "*-dev.yaml"] }
//! namespace: default
//! fail_on: low
//! vault:
//!   mounts:
//!     "secret/": { type: kv, version: 2 }   # or type: kv-v2; other types: not KV
//! ```

use crate::rules::meta::{RuleMeta, Severity};
use crate::syntax::yaml::{self, Node};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".sealant.yaml";

/// What `sealant init` writes: every key, commented, with the defaults in force.
pub const STARTER: &str = r#"# sealant configuration — found by walking up from the first scanned path,
# or named with `sealant scan --config FILE`. Every key is optional.
# Rule ids, families and tags: `sealant rules`; one rule in full: `sealant explain K8S003`.

rules:
  # Turn rules off: an id (K8S002), a family (family:helm), a tag (tag:hygiene),
  # a severity (severity:info) or `all`.
  disable: []
  # Turn rules back on after a broader disable (a rule id beats a selector).
  enable: []
  # Change a rule's severity: info, low, medium, high or critical.
  severity: {}
  #   K8S003: critical

# Paths never read (globs, relative to the scanned root).
exclude:
  - "**/testdata/**"
  - "vendor/**"

# Rule options, by rule id.
options: {}
#   HLM004:
#     dev_paths: ["**/dev/**", "*-dev.yaml"]

# Namespace for objects that name none (what `kubectl apply -f` would use).
namespace: default

# KV mounts the scan set does not declare (Terraform/scripts do otherwise); sealant assumes
# `secret/` is KV v2 and stays silent on other unknown mounts.
# vault:
#   mounts:
#     "secret/": { type: kv, version: 2 }
#     "legacy/": { type: kv, version: 1 }

# Exit 1 when a finding is at least this severity (--fail-on overrides it).
fail_on: low

# `sealant audit` (audit-log rules AUD001–AUD006): thresholds, allow-lists by identity.
# audit:
#   AUD001: { threshold: 50, window: 5m }
#   identities:
#     - match: { service_account: "external-secrets/*" }
#       allow: [AUD001]

# Suppress one finding in place with a comment on its line or the line above:
#   # sealant:ignore K8S003 -- lab cluster, no TLS until=2026-12-31
# or on a Kubernetes object: metadata.annotations["sealant.io/ignore"]: "K8S003"
# Adopt sealant on an existing repository with a baseline:
#   sealant scan --write-baseline .sealant-baseline.json
#   sealant scan --baseline .sealant-baseline.json
"#;

/// The loaded configuration (defaults when no file exists).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from.
    pub source: Option<PathBuf>,
    pub disable: Vec<String>,
    pub enable: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub exclude: Vec<String>,
    /// Rule options: rule id → option name → list of strings.
    pub options: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    pub namespace: Option<String>,
    pub fail_on: Option<Severity>,
    /// `vault.mounts`: mount path (no slashes at either end) → its engine as configured.
    pub mounts: BTreeMap<String, MountConfig>,
    /// `audit:` — `sealant audit` settings (see `audit::config`).
    pub audit: crate::audit::config::AuditConfig,
}

/// A mount declared in `.sealant.yaml` `vault.mounts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountConfig {
    /// The engine type as written (`kv`, `kv-v2`, `database`…).
    pub engine: String,
    /// KV version (1 or 2) when the engine is KV; `None` for other engines.
    pub kv_version: Option<u8>,
}

impl Config {
    /// Finds `.sealant.yaml` in `start` or its ancestors.
    pub fn discover(start: &Path) -> Result<Config, String> {
        let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if start.is_file() {
            start.parent().map(Path::to_path_buf)
        } else {
            Some(start)
        };
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        Ok(Config::default())
    }

    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut c = Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        c.source = Some(path.to_path_buf());
        Ok(c)
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        let stream = yaml::parse(text);
        if let Some(e) = stream.issues.iter().find(|i| i.is_error) {
            return Err(format!("line {}: {}", e.span.start.line, e.message));
        }
        let mut c = Config::default();
        let Some(root) = stream.documents.first().map(|d| &d.root) else {
            return Ok(c);
        };
        let strings = |n: Option<&Node>| -> Vec<String> {
            n.map(|n| {
                n.items()
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
        };
        for (key, _) in root.entries() {
            if !matches!(
                key,
                "rules" | "exclude" | "options" | "namespace" | "fail_on" | "vault" | "audit"
            ) {
                return Err(format!(
                    "unknown key `{key}` (expected rules, exclude, options, namespace, fail_on, vault, audit)"
                ));
            }
        }
        if let Some(rules) = root.get("rules") {
            c.disable = strings(rules.get("disable"));
            c.enable = strings(rules.get("enable"));
            for (id, e) in rules.get("severity").into_iter().flat_map(Node::entries) {
                let s = e.value.as_str().and_then(Severity::parse).ok_or_else(|| {
                    format!("severity for {id} must be info|low|medium|high|critical")
                })?;
                c.severity.insert(id.to_ascii_uppercase(), s);
            }
        }
        c.exclude = strings(root.get("exclude"));
        for (id, e) in root.get("options").into_iter().flat_map(Node::entries) {
            let mut opts = BTreeMap::new();
            for (name, v) in e.value.entries() {
                let vals = match v.value.as_str() {
                    Some(s) => vec![s.to_owned()],
                    None => strings(Some(&v.value)),
                };
                opts.insert(name.to_owned(), vals);
            }
            c.options.insert(id.to_ascii_uppercase(), opts);
        }
        for (path, e) in root
            .path(&["vault", "mounts"])
            .into_iter()
            .flat_map(Node::entries)
        {
            let engine = e
                .value
                .get("type")
                .and_then(Node::as_str)
                .ok_or_else(|| format!("vault.mounts.{path}: `type` is required (kv, kv-v2, …)"))?
                .to_owned();
            let version = e.value.get("version").and_then(Node::as_str);
            // §1(f): aliases kv-v1/kv-v2; for `kv` only version "2" is 2, anything else 1.
            let kv_version = match engine.as_str() {
                "kv-v2" => Some(2),
                "kv-v1" => Some(1),
                "kv" | "generic" => Some(if version == Some("2") { 2 } else { 1 }),
                _ => None,
            };
            c.mounts.insert(
                path.trim_matches('/').to_owned(),
                MountConfig { engine, kv_version },
            );
        }
        if let Some(a) = root.get("audit") {
            c.audit = crate::audit::config::AuditConfig::from_node(a)?;
        }
        c.namespace = root
            .get("namespace")
            .and_then(Node::as_str)
            .map(str::to_owned);
        c.fail_on = match root.get("fail_on").and_then(Node::as_str) {
            Some(s) => {
                Some(Severity::parse(s).ok_or("fail_on must be info|low|medium|high|critical")?)
            }
            None => None,
        };
        Ok(c)
    }

    /// True when the rule runs: not disabled, or re-enabled by a more specific selector.
    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        let matches = |sel: &str| selector_matches(sel, meta);
        let specificity = |list: &[String]| {
            list.iter()
                .filter(|s| matches(s))
                .map(|s| if s.contains(':') { 1 } else { 2 })
                .max()
        };
        match (specificity(&self.disable), specificity(&self.enable)) {
            (None, _) => true,
            (Some(d), Some(e)) => e >= d,
            (Some(_), None) => false,
        }
    }

    pub fn severity_for(&self, id: &str) -> Option<Severity> {
        self.severity.get(id).copied()
    }

    /// A rule option's values (e.g. `HLM004.dev_paths`).
    pub fn option(&self, id: &str, name: &str) -> Option<&[String]> {
        self.options.get(id)?.get(name).map(Vec::as_slice)
    }
}

/// `K8S001`, `family:k8s`, `tag:tls`, `severity:low`, or `all`.
pub fn selector_matches(sel: &str, meta: &RuleMeta) -> bool {
    match sel.split_once(':') {
        Some(("family", f)) => meta.family.eq_ignore_ascii_case(f),
        Some(("tag", t)) => meta.tags.iter().any(|x| x.eq_ignore_ascii_case(t)),
        Some(("severity", s)) => meta.severity.as_str().eq_ignore_ascii_case(s),
        _ => sel.eq_ignore_ascii_case(&meta.id) || sel == "all",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_selects() {
        let c = Config::parse("rules:\n  disable: [family:k8s]\n  enable: [K8S003]\n  severity: {K8S001: low}\nexclude: [vendor]\n").unwrap();
        let k1 = crate::rules::meta::get("K8S001").unwrap();
        let k3 = crate::rules::meta::get("K8S003").unwrap();
        assert!(!c.enabled(k1));
        assert!(c.enabled(k3));
        assert_eq!(c.severity_for("K8S001"), Some(Severity::Low));
        assert!(Config::parse("rulez: []\n").is_err());
    }

    #[test]
    fn vault_mounts() {
        let c = Config::parse("vault:\n  mounts:\n    \"secret/\": {type: kv, version: 2}\n    kv1/: {type: kv}\n    db/: {type: database}\n    apps: {type: kv-v2}\n").unwrap();
        let v = |m: &str| c.mounts[m].kv_version;
        assert_eq!(
            (v("secret"), v("kv1"), v("db"), v("apps")),
            (Some(2), Some(1), None, Some(2))
        );
        assert!(Config::parse("vault:\n  mounts:\n    x/: {version: 2}\n").is_err());
    }

    #[test]
    fn the_init_starter_parses_to_the_defaults() {
        let c = Config::parse(STARTER).unwrap();
        assert!(c.disable.is_empty() && c.enable.is_empty() && c.severity.is_empty());
        assert_eq!(c.exclude, ["**/testdata/**", "vendor/**"]);
        assert_eq!(c.namespace.as_deref(), Some("default"));
        assert_eq!(c.fail_on, Some(Severity::Low));
        assert!(crate::rules::meta::all().iter().all(|m| c.enabled(m)));
    }
}
