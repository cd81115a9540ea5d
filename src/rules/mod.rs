//! The rule engine's vocabulary: the `Rule` trait, findings and the emitter, and the registry
//! of every rule. Rules live one per file, grouped by family, with their metadata in
//! `rules/<ID>.toml` and fixtures in `testdata/rules/<ID>/`.

pub mod meta;

mod agent;
mod aws;
mod certs;
mod csi;
mod eso;
pub(crate) mod helm;
mod inject;
mod k8s;
mod live_kube;
mod live_vault;
mod netpol;
mod policy;
mod roles;
mod server;
mod tooling;
mod vso;
mod xsr;

use crate::engine::config::Config;
use crate::location::Location;
use crate::model::inventory::Inventory;
pub use meta::{RuleMeta, Severity};
use std::sync::Arc;

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
    /// Shared: a rule that names the same place for many findings (K8S010 names a
    /// namespace's egress policies in every finding of the namespace) keeps one copy.
    pub message: Arc<str>,
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
    /// Empty until the rule sets one; the engine then derives `@<message>#<n>`.
    pub identity: String,
    pub suppression: Option<Suppression>,
    /// Findings that point at a log rather than a file position (`sealant audit`): a logical
    /// location and the evidence, reported by JSON and SARIF.
    pub evidence: Option<Box<Evidence>>,
}

/// A finding's logical location (`audit://<file>#L<line>`) and structured evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub logical_location: String,
    pub properties: serde_json::Map<String, serde_json::Value>,
}

impl Finding {
    pub fn severity(&mut self, s: Severity) -> &mut Self {
        self.severity = s;
        self
    }
    pub fn related(&mut self, location: Location, message: impl Into<Arc<str>>) -> &mut Self {
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
    /// For a finding inside Vault HCL (agent, server): the object that embeds the config (a
    /// ConfigMap key, a chart value) as a related location, and a line-independent identity
    /// (the embedding origin and the HCL field).
    pub fn in_hcl_doc(&mut self, doc: &crate::model::vault_hcl::HclDoc, field: &str) -> &mut Self {
        if let (Some(c), Some(origin)) = (&doc.container, &doc.origin) {
            self.related(c.clone(), format!("config embedded in {origin}"));
        }
        self.identity(format!("{}/{field}", doc.origin.as_deref().unwrap_or("")))
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
    /// The rule this emitter collects for.
    pub fn rule_id(&self) -> &'static str {
        self.rule_id
    }
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
        // Rules that know the object and field set a logical identity; otherwise the engine
        // derives one from the message (see `derive_identities`), never from the line.
        let identity = String::new();
        self.findings.push(Finding {
            rule_id: self.rule_id,
            severity: self.default_severity,
            message: message.into(),
            location,
            related: Vec::new(),
            identity,
            suppression: None,
            evidence: None,
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

/// Puts findings in report order: by file, position, rule and message. Stable, so findings
/// equal on all four keep the order their rules emitted them in.
pub fn sort_findings(findings: &mut [Finding]) {
    use rayon::slice::ParallelSliceMut;
    findings.par_sort_by(report_order);
}

/// The report order of two findings (see [`sort_findings`]).
pub fn report_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    // Findings of one file share its path (one `Arc`): equal paths are the common case
    // between neighbours, and comparing long paths with a long common prefix is not free.
    let path = if Arc::ptr_eq(&a.location.path, &b.location.path) {
        std::cmp::Ordering::Equal
    } else {
        a.location.path.cmp(&b.location.path)
    };
    path.then_with(|| {
        (a.location.span.start, a.rule_id, &a.message).cmp(&(
            b.location.span.start,
            b.rule_id,
            &b.message,
        ))
    })
}

/// Gives every finding a rule left without identity one derived from its message and its
/// occurrence among identical messages in the file (in position order), prefixed `@` so
/// consumers can tell it from a rule's own. Line shifts never change it. The findings must
/// be in report order ([`sort_findings`]).
pub fn derive_identities(findings: &mut [Finding]) {
    debug_assert!(findings.is_sorted_by(|a, b| report_order(a, b).is_le()));
    // Ordinals first, over borrowed keys (no message copied into the map), then the texts.
    let mut seen: std::collections::HashMap<(&str, &str, &str), u32> =
        std::collections::HashMap::new();
    let ordinals: Vec<u32> = findings
        .iter()
        .map(|f| {
            if !f.identity.is_empty() {
                return 0;
            }
            let n = seen
                .entry((f.rule_id, &f.location.path, &f.message))
                .or_insert(0);
            *n += 1;
            *n
        })
        .collect();
    for (f, n) in findings.iter_mut().zip(ordinals) {
        if n > 0 {
            f.identity = format!("@{}#{n}", f.message);
        }
    }
}

/// Every implemented rule.
pub fn all() -> Vec<Box<dyn Rule>> {
    let mut rules: Vec<Box<dyn Rule>> = Vec::new();
    rules.extend(k8s::rules());
    rules.extend(netpol::rules());
    rules.extend(inject::rules());
    rules.extend(csi::rules());
    rules.extend(eso::rules());
    rules.extend(vso::rules());
    rules.extend(helm::rules());
    rules.extend(agent::rules());
    rules.extend(server::rules());
    rules.extend(tooling::rules());
    rules.extend(roles::rules());
    rules.extend(live_vault::rules());
    rules.extend(certs::rules());
    rules.extend(policy::rules());
    rules.extend(xsr::rules());
    rules.extend(live_kube::rules());
    rules.extend(aws::rules());
    rules
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{Pos, Span};

    fn finding(line: u32, message: &str) -> Finding {
        Finding {
            rule_id: "K8S003",
            severity: Severity::High,
            message: message.into(),
            location: Location::new(
                "a.yaml".into(),
                Span::new(Pos::new(line, 3), Pos::new(line, 9)),
            ),
            related: Vec::new(),
            identity: String::new(),
            suppression: None,
            evidence: None,
        }
    }

    /// Report order is by path text, whether or not two findings share one `Arc` for it,
    /// then position, rule and message; findings equal on all four keep their order.
    #[test]
    fn report_order_is_path_position_rule_message() {
        let at = |path: &str, line: u32, rule: &'static str, message: &str| {
            let mut f = finding(line, message);
            f.location.path = path.into();
            f.rule_id = rule;
            f
        };
        let shared: Arc<str> = "b.yaml".into();
        let mut same_file = at("b.yaml", 3, "K8S003", "z");
        same_file.location.path = shared.clone();
        let mut first_of_twins = at("b.yaml", 3, "K8S001", "m");
        first_of_twins.location.path = shared;
        first_of_twins.identity = "first".into();
        let mut second_of_twins = at("b.yaml", 3, "K8S001", "m");
        second_of_twins.identity = "second".into();
        let mut findings = vec![
            same_file,
            at("b.yaml", 3, "K8S001", "a"),
            first_of_twins,
            at("a.yaml", 9, "K8S003", "x"),
            second_of_twins,
            at("b.yaml", 1, "K8S003", "x"),
        ];
        sort_findings(&mut findings);
        let keys: Vec<_> = findings
            .iter()
            .map(|f| {
                let line = f.location.span.start.line;
                (
                    &*f.location.path,
                    line,
                    f.rule_id,
                    &*f.message,
                    &*f.identity,
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("a.yaml", 9, "K8S003", "x", ""),
                ("b.yaml", 1, "K8S003", "x", ""),
                ("b.yaml", 3, "K8S001", "a", ""),
                ("b.yaml", 3, "K8S001", "m", "first"),
                ("b.yaml", 3, "K8S001", "m", "second"),
                ("b.yaml", 3, "K8S003", "z", ""),
            ]
        );
    }

    #[test]
    fn derived_identities_ignore_lines_and_count_repeats() {
        let mut a = vec![finding(4, "x"), finding(9, "x"), finding(12, "y")];
        let mut b = vec![finding(14, "x"), finding(19, "x"), finding(22, "y")];
        derive_identities(&mut a);
        derive_identities(&mut b);
        let ids = |v: &[Finding]| v.iter().map(|f| f.identity.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ["@x#1", "@x#2", "@y#1"]);
        assert_eq!(ids(&a), ids(&b));
        let mut kept = vec![finding(4, "x")];
        kept[0].identity = "Deployment/a/env/X".into();
        derive_identities(&mut kept);
        assert_eq!(
            kept[0].identity, "Deployment/a/env/X",
            "a rule's own identity is kept"
        );
    }
}
