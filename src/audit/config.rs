//! The `audit:` section of `.sealant.yaml`: thresholds and windows, per-identity allow-lists
//! and thresholds, AUD003 break-glass windows, AUD006 admin identities. Flags override it.
//!
//! ```yaml
//! audit:
//!   default_excludes: true      # AUD001 noise filters (sys/, token self-calls, cubbyhole)
//!   reorder_window: 30s         # how far out of time order one input may be
//!   AUD001: { threshold: 50, window: 5m }
//!   AUD002: { baseline: 7d, detect: 1h }
//!   AUD004: { threshold: 20, window: 5m }
//!   AUD005: { threshold: 20, window: 5m }
//!   identities:                 # match on identity, never on the HMAC'd accessor
//!     - match: { service_account: "external-secrets/external-secrets" }
//!       allow: [AUD001, AUD004] # never flagged for these
//!     - match: { display_name: "kubernetes-ci-*" }
//!       thresholds: { AUD001: 400 }
//!   admins:                     # AUD006: changes by others are high
//!     - { policy: vault-admin }
//!   break_glass:                # AUD003 is silent inside these
//!     - { from: "2024-03-01T00:00:00Z", to: "2024-03-01T06:00:00Z", reason: "INC-1234" }
//! ```

use crate::audit::event::Identity;
use crate::audit::record::parse_time;
use crate::syntax::yaml::Node;
use std::collections::BTreeMap;

const MINUTE: i64 = 60_000_000;
const HOUR: i64 = 60 * MINUTE;

/// A threshold over a sliding window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windowed {
    pub threshold: usize,
    /// Microseconds.
    pub window: i64,
}

/// AUD002's ranges: baseline `[now − baseline, now − detect)`, detection `[now − detect, now]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewAddress {
    pub baseline: i64,
    pub detect: i64,
}

/// Which identities a rule matches: every key given must match (globs for names).
#[derive(Debug, Clone, Default)]
pub struct IdentityMatch {
    pub display_name: Option<globset::GlobMatcher>,
    /// `namespace/name` or `name` of the Kubernetes service account in `auth.metadata`.
    pub service_account: Option<globset::GlobMatcher>,
    /// `auth.metadata.role`.
    pub role: Option<globset::GlobMatcher>,
    pub entity_id: Option<String>,
    /// A policy the token carries.
    pub policy: Option<globset::GlobMatcher>,
    /// The match as written, for reports.
    pub text: String,
}

impl IdentityMatch {
    pub fn matches(&self, id: &Identity) -> bool {
        let glob = |m: &Option<globset::GlobMatcher>, v: Option<&str>| {
            m.as_ref().is_none_or(|m| v.is_some_and(|v| m.is_match(v)))
        };
        glob(&self.display_name, id.display_name.as_deref())
            && self.service_account.as_ref().is_none_or(|m| {
                id.meta("service_account_name").is_some_and(|name| {
                    m.is_match(name) || id.service_account().is_some_and(|sa| m.is_match(sa))
                })
            })
            && glob(&self.role, id.meta("role"))
            && self
                .entity_id
                .as_ref()
                .is_none_or(|e| id.entity_id.as_deref() == Some(e.as_str()))
            && self
                .policy
                .as_ref()
                .is_none_or(|m| id.policies.iter().any(|p| m.is_match(p)))
    }
}

/// An `identities:` entry.
#[derive(Debug, Clone, Default)]
pub struct IdentityRule {
    pub matcher: IdentityMatch,
    /// Rule ids never reported for it (`all` for every AUD rule).
    pub allow: Vec<String>,
    /// Rule id → threshold for it.
    pub thresholds: BTreeMap<String, usize>,
}

/// A break-glass window (AUD003 silent inside it), microseconds, inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakGlass {
    pub from: i64,
    pub to: i64,
    pub reason: String,
}

/// The audit settings in force.
#[derive(Debug, Clone)]
pub struct AuditConfig {
    pub default_excludes: bool,
    pub reorder_window: i64,
    pub aud001: Windowed,
    pub aud002: NewAddress,
    pub aud004: Windowed,
    pub aud005: Windowed,
    pub identities: Vec<IdentityRule>,
    pub admins: Vec<IdentityMatch>,
    pub break_glass: Vec<BreakGlass>,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            default_excludes: true,
            reorder_window: 30_000_000,
            aud001: Windowed {
                threshold: 50,
                window: 5 * MINUTE,
            },
            aud002: NewAddress {
                baseline: 7 * 24 * HOUR,
                detect: HOUR,
            },
            aud004: Windowed {
                threshold: 20,
                window: 5 * MINUTE,
            },
            aud005: Windowed {
                threshold: 20,
                window: 5 * MINUTE,
            },
            identities: Vec::new(),
            admins: Vec::new(),
            break_glass: Vec::new(),
        }
    }
}

/// Parses `5m`, `1h30m`, `90s` (Go syntax) or `7d`; microseconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if let Some(days) = s.strip_suffix('d') {
        if let Ok(n) = days.parse::<i64>() {
            return Ok(n * 24 * HOUR);
        }
    }
    crate::duration::parse_go(s)
        .map(|d| d.nanos / 1000)
        .map_err(|_| format!("`{s}` is not a duration (e.g. 5m, 1h, 7d)"))
}

fn glob(s: &str) -> Result<globset::GlobMatcher, String> {
    globset::Glob::new(s)
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("bad pattern `{s}`: {e}"))
}

fn parse_match(n: &Node, at: &str) -> Result<IdentityMatch, String> {
    let mut m = IdentityMatch::default();
    let mut text = Vec::new();
    for (key, e) in n.entries() {
        let v = e
            .value
            .as_str()
            .ok_or_else(|| format!("{at}.{key} must be a string"))?;
        text.push(format!("{key}={v}"));
        match key {
            "display_name" => m.display_name = Some(glob(v)?),
            "service_account" => m.service_account = Some(glob(v)?),
            "role" => m.role = Some(glob(v)?),
            "entity_id" => m.entity_id = Some(v.to_owned()),
            "policy" => m.policy = Some(glob(v)?),
            "accessor" => {
                return Err(format!(
                    "{at}: accessors are HMAC'd per audit device and change with every token; match display_name, service_account, role, entity_id or policy"
                ))
            }
            _ => {
                return Err(format!(
                    "{at}: unknown key `{key}` (display_name, service_account, role, entity_id, policy)"
                ))
            }
        }
    }
    if text.is_empty() {
        return Err(format!("{at}: an empty match would match every identity"));
    }
    m.text = text.join(", ");
    Ok(m)
}

fn windowed(n: Option<&Node>, mut w: Windowed, id: &str) -> Result<Windowed, String> {
    let Some(n) = n else { return Ok(w) };
    for (key, e) in n.entries() {
        let v = e.value.as_str().unwrap_or_default();
        match key {
            "threshold" => {
                w.threshold = v
                    .parse()
                    .ok()
                    .filter(|t| *t > 0)
                    .ok_or_else(|| format!("audit.{id}.threshold must be a positive integer"))?
            }
            "window" => {
                w.window = parse_duration(v).map_err(|e| format!("audit.{id}.window: {e}"))?
            }
            _ => {
                return Err(format!(
                    "audit.{id}: unknown key `{key}` (threshold, window)"
                ))
            }
        }
    }
    Ok(w)
}

impl AuditConfig {
    /// Reads the `audit:` node.
    pub fn from_node(n: &Node) -> Result<AuditConfig, String> {
        let mut c = AuditConfig::default();
        for (key, e) in n.entries() {
            let v = &e.value;
            match key {
                "default_excludes" => {
                    c.default_excludes = match v.as_str() {
                        Some("true") => true,
                        Some("false") => false,
                        _ => return Err("audit.default_excludes must be true or false".into()),
                    }
                }
                "reorder_window" => {
                    c.reorder_window = parse_duration(v.as_str().unwrap_or_default())
                        .map_err(|e| format!("audit.reorder_window: {e}"))?
                }
                "AUD001" => c.aud001 = windowed(Some(v), c.aud001, key)?,
                "AUD004" => c.aud004 = windowed(Some(v), c.aud004, key)?,
                "AUD005" => c.aud005 = windowed(Some(v), c.aud005, key)?,
                "AUD002" => {
                    for (k, e) in v.entries() {
                        let d = parse_duration(e.value.as_str().unwrap_or_default())
                            .map_err(|e| format!("audit.AUD002.{k}: {e}"))?;
                        match k {
                            "baseline" => c.aud002.baseline = d,
                            "detect" => c.aud002.detect = d,
                            _ => return Err(format!("audit.AUD002: unknown key `{k}` (baseline, detect)")),
                        }
                    }
                }
                "identities" => {
                    for (i, item) in v.items().iter().enumerate() {
                        let at = format!("audit.identities[{i}]");
                        let matcher = parse_match(
                            item.get("match").ok_or_else(|| format!("{at}: `match` is required"))?,
                            &format!("{at}.match"),
                        )?;
                        let allow = item
                            .get("allow")
                            .map(|a| {
                                a.items()
                                    .iter()
                                    .filter_map(|x| x.as_str().map(str::to_ascii_uppercase))
                                    .collect()
                            })
                            .unwrap_or_default();
                        let mut thresholds = BTreeMap::new();
                        for (id, t) in item.get("thresholds").into_iter().flat_map(Node::entries) {
                            let n: usize = t
                                .value
                                .as_str()
                                .and_then(|s| s.parse().ok())
                                .filter(|n| *n > 0)
                                .ok_or_else(|| format!("{at}.thresholds.{id} must be a positive integer"))?;
                            thresholds.insert(id.to_ascii_uppercase(), n);
                        }
                        c.identities.push(IdentityRule { matcher, allow, thresholds });
                    }
                }
                "admins" => {
                    for (i, item) in v.items().iter().enumerate() {
                        c.admins.push(parse_match(item, &format!("audit.admins[{i}]"))?);
                    }
                }
                "break_glass" => {
                    for (i, item) in v.items().iter().enumerate() {
                        let at = format!("audit.break_glass[{i}]");
                        let time = |k: &str| {
                            item.get(k)
                                .and_then(Node::as_str)
                                .and_then(parse_time)
                                .ok_or_else(|| format!("{at}.{k} must be an RFC 3339 time"))
                        };
                        let (from, to) = (time("from")?, time("to")?);
                        if to < from {
                            return Err(format!("{at}: `to` is before `from`"));
                        }
                        let reason = item.get("reason").and_then(Node::as_str).unwrap_or("").to_owned();
                        c.break_glass.push(BreakGlass { from, to, reason });
                    }
                }
                _ => {
                    return Err(format!(
                        "audit: unknown key `{key}` (default_excludes, reorder_window, AUD001, AUD002, AUD004, AUD005, identities, admins, break_glass)"
                    ))
                }
            }
        }
        Ok(c)
    }

    /// What the configuration says about one identity for one rule: `None` when allow-listed,
    /// else the threshold (the first matching entry with one, or `default`).
    pub fn threshold_for(
        &self,
        rule: &str,
        id: Option<&Identity>,
        default: usize,
    ) -> Option<usize> {
        let Some(id) = id else { return Some(default) };
        let mut threshold = None;
        for r in self.identities.iter().filter(|r| r.matcher.matches(id)) {
            if r.allow.iter().any(|a| a == rule || a == "ALL") {
                return None;
            }
            if threshold.is_none() {
                threshold = r.thresholds.get(rule).copied();
            }
        }
        Some(threshold.unwrap_or(default))
    }

    /// True when AUD003 is silent at this time.
    pub fn in_break_glass(&self, ts: i64) -> Option<&BreakGlass> {
        self.break_glass.iter().find(|b| b.from <= ts && ts <= b.to)
    }

    pub fn is_admin(&self, id: Option<&Identity>) -> bool {
        id.is_some_and(|id| self.admins.iter().any(|m| m.matches(id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(y: &str) -> Result<AuditConfig, String> {
        let s = crate::syntax::yaml::parse(y);
        AuditConfig::from_node(&s.documents[0].root)
    }

    #[test]
    fn identities_match_on_metadata_never_accessor() {
        let c = parse("identities:\n  - match: {service_account: \"external-secrets/*\"}\n    allow: [AUD001]\n  - match: {display_name: \"ci-*\", policy: deploy}\n    thresholds: {AUD001: 400}\n").unwrap();
        let eso = Identity {
            metadata: vec![
                ("service_account_name".into(), "eso".into()),
                (
                    "service_account_namespace".into(),
                    "external-secrets".into(),
                ),
            ],
            ..Identity::default()
        };
        assert_eq!(c.threshold_for("AUD001", Some(&eso), 50), None);
        assert_eq!(c.threshold_for("AUD004", Some(&eso), 20), Some(20));
        let ci = Identity {
            display_name: Some("ci-runner".into()),
            policies: vec!["default".into(), "deploy".into()],
            ..Identity::default()
        };
        assert_eq!(c.threshold_for("AUD001", Some(&ci), 50), Some(400));
        let other = Identity {
            display_name: Some("ci-runner".into()),
            ..Identity::default()
        };
        assert_eq!(c.threshold_for("AUD001", Some(&other), 50), Some(50));
        assert!(parse("identities:\n  - match: {accessor: x}\n").is_err());
        assert!(parse("identities:\n  - match: {}\n").is_err());
    }

    #[test]
    fn windows_durations_and_break_glass() {
        let c = parse("AUD001: {threshold: 10, window: 90s}\nAUD002: {baseline: 3d, detect: 30m}\nbreak_glass:\n  - {from: \"2024-03-01T00:00:00Z\", to: \"2024-03-01T01:00:00Z\", reason: r}\n").unwrap();
        assert_eq!(
            c.aud001,
            Windowed {
                threshold: 10,
                window: 90_000_000
            }
        );
        assert_eq!(c.aud002.baseline, 3 * 24 * HOUR);
        assert_eq!(c.aud002.detect, 30 * MINUTE);
        let t = parse_time("2024-03-01T00:30:00Z").unwrap();
        assert!(c.in_break_glass(t).is_some());
        assert!(c.in_break_glass(t + 2 * HOUR).is_none());
        assert!(parse("AUD001: {threshold: 0}\n").is_err());
        assert!(parse("bogus: 1\n").is_err());
    }
}
