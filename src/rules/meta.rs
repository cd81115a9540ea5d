//! Rule metadata: data in `rules/<ID>.toml`, checked and compiled into the binary as Rust
//! values by `build.rs` (no TOML is parsed at run time).

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/rule_meta.rs"));

/// Where each rule's documentation page lives.
pub const DOCS_BASE: &str = "https://github.com/sealant-dev/sealant/blob/main/docs/rules/";

/// The severity scale of RULES-SPEC §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_lowercase().as_str() {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
    /// SARIF `level`: critical/high → error, medium → warning, low/info → note.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "note",
        }
    }
    /// GitHub code scanning's `security-severity` (CVSS-like).
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "1.0",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Bad and good examples shown by `sealant explain` and in the docs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Examples {
    pub bad: String,
    pub good: String,
}

/// One rule's metadata (the fields of `rules/<ID>.toml`; `build.rs` checks them).
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    pub id: String,
    /// kebab-case name, e.g. `vault-skip-verify-env` (SARIF `name`).
    pub slug: String,
    pub family: String,
    pub severity: Severity,
    /// What the severity depends on, when it varies per finding.
    pub severity_note: Option<String>,
    pub title: String,
    /// Why it matters (SARIF `fullDescription`).
    pub why: String,
    pub remediation: String,
    pub references: Vec<String>,
    pub tags: Vec<String>,
    pub examples: Examples,
    /// `"deferred"` for a rule listed but not yet implemented.
    pub status: Option<String>,
}

impl RuleMeta {
    pub fn help_uri(&self) -> String {
        format!("{DOCS_BASE}{}.md", self.id)
    }
}

/// All rule metadata, sorted by id.
pub fn all() -> &'static [RuleMeta] {
    static META: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    META.get_or_init(compiled_rule_meta)
}

/// Metadata for one rule id.
pub fn get(id: &str) -> Option<&'static RuleMeta> {
    index(id).map(|i| &all()[i])
}

/// The position of a rule id's metadata in [`all`], for tables kept in the same order.
pub fn index(id: &str) -> Option<usize> {
    // Every finding asks for its rule's metadata (JSON, SARIF, filters): a search, not a
    // pass over 100 ids. Ids are upper-case; a user's `k8s001` takes the slow path.
    let all = all();
    all.binary_search_by(|m| m.id.as_str().cmp(id))
        .ok()
        .or_else(|| all.iter().position(|m| m.id.eq_ignore_ascii_case(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `get` and `index` find every rule by its id in any case, `index` at its place in `all`.
    #[test]
    fn get_finds_every_rule_by_its_id_in_any_case() {
        for (i, m) in all().iter().enumerate() {
            assert_eq!(get(&m.id).map(|g| g.id.as_str()), Some(m.id.as_str()));
            let lower = m.id.to_ascii_lowercase();
            assert_eq!(get(&lower).map(|g| g.id.as_str()), Some(m.id.as_str()));
            assert_eq!(index(&m.id), Some(i));
            assert_eq!(index(&lower), Some(i));
        }
        assert!(get("NOPE999").is_none());
        assert!(index("NOPE999").is_none());
    }
}
