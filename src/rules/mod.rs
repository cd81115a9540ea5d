//! The rule engine's vocabulary: the `Rule` trait, findings and the emitter, and the registry
//! of every rule. Rules live one per file, grouped by family, with their metadata in
//! `rules/<ID>.toml` and fixtures in `testdata/rules/<ID>/`.

pub mod meta;

pub mod agent;
mod certs;
mod csi;
mod eso;
mod helm;
mod inject;
mod k8s;
mod policy;
mod policy_kv;
mod roles;
mod server;
mod tooling;
mod vso;

use crate::engine::config::Config;
use crate::location::Location;
use crate::model::inventory::Inventory;
pub use meta::{RuleMeta, Severity};

/// A rule: reads the inventory, reports findings.
pub trait Rule: Send + Sync {
    /// The rule id (`K8S001`); its metadata is `rules/<ID>.toml`.
    fn id(&self) -> &'static str;
    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter);
}

/// What rules may read besides the inventory.
pub struct Context<'a> {
    pub config: &'a Config,
}

/// A related place shown with a finding (the ConfigMap key a value came from, the object an
/// embedded config sits in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// Why a finding is suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// `inline`, `annotation` or `baseline`.
    pub kind: &'static str,
    pub justification: Option<String>,
}

/// One problem found by a rule.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule_id: &'static str,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    pub related: Vec<Related>,
    /// A logical identity (object and field path, never a line number) for fingerprints.
    pub identity: String,
    pub suppression: Option<Suppression>,
}

impl Finding {
    pub fn severity(&mut self, s: Severity) -> &mut Self {
        self.severity = s;
        self
    }
    pub fn related(&mut self, location: Location, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }
    pub fn identity(&mut self, identity: impl Into<String>) -> &mut Self {
        self.identity = identity.into();
        self
    }
    pub fn meta(&self) -> &'static RuleMeta {
        meta::get(self.rule_id).expect("every finding's rule has metadata")
    }
}

/// Collects one rule's findings.
pub struct Emitter {
    rule_id: &'static str,
    default_severity: Severity,
    pub findings: Vec<Finding>,
    /// Values that could not be evaluated (note-level diagnostics, never silent).
    pub notes: Vec<crate::diagnostic::Diagnostic>,
}

impl Emitter {
    pub fn new(rule_id: &'static str) -> Emitter {
        let default_severity = meta::get(rule_id).map_or(Severity::Medium, |m| m.severity);
        Emitter {
            rule_id,
            default_severity,
            findings: Vec::new(),
            notes: Vec::new(),
        }
    }
    /// Reports a finding at the rule's default severity; adjust it through the returned ref.
    pub fn report(&mut self, location: Location, message: impl Into<String>) -> &mut Finding {
        let identity = format!("{}:{}", location.path, location.span);
        self.findings.push(Finding {
            rule_id: self.rule_id,
            severity: self.default_severity,
            message: message.into(),
            location,
            related: Vec::new(),
            identity,
            suppression: None,
        });
        self.findings.last_mut().expect("just pushed")
    }
}

impl Emitter {
    /// Records that a value could not be evaluated (e.g. it comes from a ConfigMap that is not
    /// in the scan set).
    pub fn not_evaluated(&mut self, location: Location, message: impl Into<String>) {
        self.notes.push(crate::diagnostic::Diagnostic::new(
            crate::diagnostic::Level::Note,
            "not-evaluated",
            location.path.clone(),
            Some(location.span),
            format!("{}: {}", self.rule_id, message.into()),
        ));
    }
}

/// Every implemented rule.
pub fn all() -> Vec<Box<dyn Rule>> {
    let mut rules: Vec<Box<dyn Rule>> = Vec::new();
    rules.extend(k8s::rules());
    rules.extend(inject::rules());
    rules.extend(csi::rules());
    rules.extend(eso::rules());
    rules.extend(vso::rules());
    rules.extend(helm::rules());
    rules.extend(agent::rules());
    rules.extend(server::rules());
    rules.extend(tooling::rules());
    rules.extend(roles::rules());
    rules.extend(certs::rules());
    rules.extend(policy_kv::rules());
    rules.extend(policy::rules());
    rules
}
