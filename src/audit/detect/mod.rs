//! The AUD detectors (RULES-SPEC §1(j)), one per file. Each sees every merged event in time
//! order and reports `Hit`s; the command turns hits into findings.

pub mod aud001_bulk_reads;
pub mod aud002_new_address;
pub mod aud003_root_token;
pub mod aud004_enumeration;
pub mod aud005_denied_burst;
pub mod aud006_config_change;

use crate::audit::config::AuditConfig;
use crate::audit::event::{display_accessor, Event, Identity};
use crate::rules::Severity;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// How many sample paths and addresses evidence lists.
pub const SAMPLE: usize = 15;

/// One detection: where its first event is, what it says, and its evidence.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: &'static str,
    /// `None`: the rule's default severity.
    pub severity: Option<Severity>,
    pub src: u32,
    pub line: u64,
    pub message: String,
    /// Logical identity for fingerprints (never a line number).
    pub identity: String,
    pub evidence: Map<String, Value>,
}

/// Notes a detector wants reported once (e.g. "AUD002 is blind: one proxy address").
#[derive(Debug, Clone)]
pub struct Note {
    pub rule: &'static str,
    pub message: String,
}

/// What detectors share: settings, the identity of each accessor, and the output.
pub struct Ctx<'a> {
    pub config: &'a AuditConfig,
    pub identities: HashMap<Arc<str>, Box<Identity>>,
    pub hits: Vec<Hit>,
    pub notes: Vec<Note>,
}

impl Ctx<'_> {
    pub fn identity(&self, accessor: &str) -> Option<&Identity> {
        self.identities.get(accessor).map(|b| &**b)
    }
    /// The configured threshold for this accessor's identity, `None` when allow-listed.
    pub fn threshold(&self, rule: &str, accessor: &str, default: usize) -> Option<usize> {
        self.config
            .threshold_for(rule, self.identity(accessor), default)
    }
}

/// A detector: events in, hits out.
pub trait Detector {
    fn on_event(&mut self, ev: &Event, cx: &mut Ctx<'_>);
    /// The input ended; `now` is the latest event time (or `--now`).
    fn finish(&mut self, now: i64, cx: &mut Ctx<'_>);
    /// AUD002's accessor → address state, for `--write-baseline`.
    fn address_state(&mut self) -> Option<&mut aud002_new_address::NewAddress> {
        None
    }
}

/// The detectors of the enabled rules.
pub fn all(
    enabled: &dyn Fn(&str) -> bool,
    cfg: &AuditConfig,
    baseline: Option<HashMap<Arc<str>, aud002_new_address::Token>>,
) -> Vec<Box<dyn Detector>> {
    let mut out: Vec<Box<dyn Detector>> = Vec::new();
    if enabled("AUD001") {
        out.push(Box::new(aud001_bulk_reads::BulkReads::new(cfg)));
    }
    if enabled("AUD002") {
        out.push(Box::new(aud002_new_address::NewAddress::with_tokens(
            baseline.unwrap_or_default(),
        )));
    }
    if enabled("AUD003") {
        out.push(Box::new(aud003_root_token::RootToken::default()));
    }
    if enabled("AUD004") {
        out.push(Box::new(aud004_enumeration::Enumeration::default()));
    }
    if enabled("AUD005") {
        out.push(Box::new(aud005_denied_burst::DeniedBurst::default()));
    }
    if enabled("AUD006") {
        out.push(Box::new(aud006_config_change::ConfigChange::default()));
    }
    out
}

/// §1(j) AUD001 noise: `sys/`, token self-lookups/renewals, cubbyhole, and system/token/
/// identity/cubbyhole mounts.
pub fn is_noise(ev: &Event) -> bool {
    let p = &*ev.path;
    p.starts_with("sys/")
        || p == "sys"
        || p.starts_with("cubbyhole/")
        || p == "cubbyhole"
        || matches!(p, "auth/token/lookup-self" | "auth/token/renew-self")
        || ev
            .mount_type
            .as_deref()
            .is_some_and(|m| matches!(m, "system" | "token" | "identity" | "cubbyhole"))
}

/// `auth/<mount...>/login` or `auth/<mount...>/login/<x>`.
pub fn is_login(path: &str) -> bool {
    path.strip_prefix("auth/")
        .is_some_and(|rest| rest.split('/').skip(1).any(|seg| seg.starts_with("login")))
}

/// The identity's evidence: display name, metadata, entity, policies.
pub fn identity_json(id: Option<&Identity>) -> Value {
    match id {
        None => Value::Null,
        Some(id) => json!({
            "display_name": id.display_name,
            "entity_id": id.entity_id,
            "policies": id.policies,
            "metadata": id.metadata.iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect::<Map<_, _>>(),
        }),
    }
}

/// A short human label for an identity (display name, service account, or entity).
pub fn identity_label(id: Option<&Identity>) -> String {
    let Some(id) = id else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(d) = &id.display_name {
        parts.push(d.clone());
    }
    if let Some(sa) = id.service_account() {
        parts.push(format!("sa {sa}"));
    }
    if parts.is_empty() {
        if let Some(e) = &id.entity_id {
            parts.push(format!("entity {e}"));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// The accessor as evidence: a string, or `null` for a JSON-null accessor.
pub fn accessor_json(key: &str) -> Value {
    if key == crate::audit::event::NULL_ACCESSOR {
        Value::Null
    } else {
        Value::from(key)
    }
}

/// "accessor hmac-sha256:ab12…" for messages.
pub fn short_accessor(key: &str) -> String {
    let a = display_accessor(key);
    if a.len() > 24 {
        format!("{}…", &a[..a.floor_char_boundary_compat(24)])
    } else {
        a.to_owned()
    }
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}
impl FloorBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}
