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
///
/// Sorts small keys, then moves each finding once: each distinct path is ranked once
/// (paths of neighbouring files share long prefixes, and comparing them in every step of
/// a merge sort was most of its time), and a finding is too large to move at every step.
pub fn sort_findings(findings: &mut [Finding]) {
    use rayon::slice::ParallelSliceMut;
    let ranks = path_ranks(findings);
    let mut keys: Vec<(u32, crate::location::Pos, u32)> = findings
        .iter()
        .zip(&ranks)
        .enumerate()
        .map(|(i, (f, &rank))| (rank, f.location.span.start, i as u32))
        .collect();
    drop(ranks);
    keys.par_sort_unstable_by(|a, b| {
        (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
            let (fa, fb) = (&findings[a.2 as usize], &findings[b.2 as usize]);
            (fa.rule_id, &fa.message)
                .cmp(&(fb.rule_id, &fb.message))
                // The emitted order breaks the last ties: a stable sort.
                .then(a.2.cmp(&b.2))
        })
    });
    let order: Vec<u32> = keys.into_iter().map(|k| k.2).collect();
    permute(findings, &order);
}

/// Each finding's path's rank among the distinct path texts of `findings`. Findings of one
/// file mostly share one `Arc` for its path, so texts are compared once per distinct
/// allocation; equal texts in different allocations share a rank.
fn path_ranks(findings: &[Finding]) -> Vec<u32> {
    use rayon::slice::ParallelSliceMut;
    let mut slot_of: std::collections::HashMap<*const u8, u32> = Default::default();
    let mut distinct: Vec<&str> = Vec::new();
    let mut last: Option<(*const u8, u32)> = None;
    let slots: Vec<u32> = findings
        .iter()
        .map(|f| {
            let ptr = f.location.path.as_ptr();
            match last {
                Some((p, slot)) if p == ptr => slot,
                _ => {
                    let slot = *slot_of.entry(ptr).or_insert_with(|| {
                        distinct.push(&f.location.path);
                        distinct.len() as u32 - 1
                    });
                    last = Some((ptr, slot));
                    slot
                }
            }
        })
        .collect();
    // Equal texts in different allocations get one rank, so an unstable sort will do.
    let mut by_text: Vec<(&str, u32)> = distinct.into_iter().zip(0..).collect();
    by_text.par_sort_unstable();
    let mut rank_of_slot = vec![0u32; by_text.len()];
    let mut rank = 0u32;
    for (n, &(text, slot)) in by_text.iter().enumerate() {
        if n > 0 && by_text[n - 1].0 != text {
            rank += 1;
        }
        rank_of_slot[slot as usize] = rank;
    }
    slots
        .into_iter()
        .map(|s| rank_of_slot[s as usize])
        .collect()
}

/// Reorders `items` so that `items[i]` becomes the old `items[order[i]]`, in place, by
/// following each cycle of the permutation (every item moves once).
fn permute<T>(items: &mut [T], order: &[u32]) {
    debug_assert_eq!(items.len(), order.len());
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed[start] {
            continue;
        }
        let mut at = start;
        loop {
            placed[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// The report order of two findings: its definition. [`sort_findings`] sorts by it through
/// precomputed keys (a test holds the two equal); checks of sortedness call this.
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
    // foldhash, not SipHash: the keys hold whole messages, and a large scan has hundreds of
    // thousands of findings.
    let mut seen: foldhash::HashMap<(&str, &str, &str), u32> = foldhash::HashMap::default();
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

    /// The keyed sort puts any mix of findings exactly where a stable sort by
    /// [`report_order`] puts them: paths in shared and in separate allocations, equal texts
    /// in both, and findings equal on every key (told apart by their emitted order).
    #[test]
    fn sort_findings_is_a_stable_sort_by_report_order() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let shared: Vec<Arc<str>> = ["d/b.yaml", "d/a.yaml", "c.tf", "d/b.yam"]
            .into_iter()
            .map(Arc::from)
            .collect();
        for round in 0..50 {
            let len = 1 + next(300) as usize;
            let mut findings: Vec<Finding> = (0..len)
                .map(|i| {
                    let mut f = finding(1 + next(4) as u32, ["x", "y", "xy"][next(3) as usize]);
                    let p = next(shared.len() as u64 + 1) as usize;
                    // One path in a fresh allocation of its own, equal in text to a shared one.
                    f.location.path = shared.get(p).cloned().unwrap_or_else(|| "d/a.yaml".into());
                    f.location.span.start.col = 1 + next(2) as u32;
                    f.rule_id = ["K8S001", "K8S003"][next(2) as usize];
                    f.identity = i.to_string();
                    f
                })
                .collect();
            let mut expected = findings.clone();
            expected.sort_by(report_order);
            sort_findings(&mut findings);
            let key = |f: &Finding| {
                (
                    f.location.path.to_string(),
                    f.location.span.start,
                    f.rule_id,
                    f.message.clone(),
                    f.identity.clone(),
                )
            };
            let got: Vec<_> = findings.iter().map(key).collect();
            let want: Vec<_> = expected.iter().map(key).collect();
            assert_eq!(got, want, "round {round}");
        }
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
