//! Baselines: `sealant scan --write-baseline FILE` records the findings a repository already
//! has; `--baseline FILE` suppresses them (kind `baseline`, SARIF `external`) so only new
//! findings fail the gate.
//!
//! A finding matches a baseline entry by its fingerprint (rule, path, logical identity) or by
//! a content key: the rule, the path and the
//! whitespace-normalised, masked text of the lines the finding spans. Neither includes a line
//! number, so edits that shift lines or touch unrelated lines keep the match. Entries are
//! consumed once each: a second copy of a baselined finding is new.

use crate::engine::fingerprint;
use crate::location::LineIndex;
use crate::rules::{Finding, Suppression};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub const VERSION: u32 = 1;

/// One known finding. `rule`, `path`, `line` and `message` are for people reading the file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: String,
    #[serde(default)]
    pub content: String,
    pub rule: String,
    pub path: String,
    #[serde(default)]
    pub line: u32,
    #[serde(default)]
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Baseline {
    pub version: u32,
    #[serde(default)]
    pub tool: String,
    pub fingerprints: Vec<Entry>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let b: Baseline =
            serde_json::from_str(&text).map_err(|e| format!("baseline {}: {e}", path.display()))?;
        if b.version != VERSION {
            return Err(format!(
                "baseline {}: version {} is not supported (expected {VERSION})",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("baseline serializes") + "\n"
    }

    /// The baseline of every finding not suppressed inline or by annotation.
    pub fn from_findings(findings: &[Finding], sources: &BTreeMap<String, String>) -> Baseline {
        let masked = Masked::new(sources);
        let mut fingerprints: Vec<Entry> = findings
            .iter()
            .filter(|f| f.suppression.as_ref().is_none_or(|s| s.kind == "baseline"))
            .map(|f| Entry {
                fingerprint: fingerprint::of(f),
                content: masked.content_key(f),
                rule: f.rule_id.to_owned(),
                path: normal_path(&f.location.path),
                line: f.location.span.start.line,
                message: f.message.clone(),
            })
            .collect();
        fingerprints.sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
        Baseline {
            version: VERSION,
            tool: format!("sealant {}", env!("CARGO_PKG_VERSION")),
            fingerprints,
        }
    }

    /// Marks the findings this baseline knows as suppressed (kind `baseline`).
    pub fn apply(&self, findings: &mut [Finding], sources: &BTreeMap<String, String>) {
        let masked = Masked::new(sources);
        let open: Vec<usize> = (0..findings.len())
            .filter(|&i| findings[i].suppression.is_none())
            .collect();
        let mut matched = vec![false; findings.len()];
        // Exact fingerprints first, so a positional fallback never steals an entry.
        let mut entries = self.entries_by_fingerprint();
        let mut used = vec![false; self.fingerprints.len()];
        for &i in open.iter().filter(|&&i| !positional(&findings[i])) {
            if let Some(j) = entries.take(&fingerprint::of(&findings[i])) {
                matched[i] = true;
                used[j] = true;
            }
        }
        let mut by_content: HashMap<(String, String, String), usize> = HashMap::new();
        for (j, e) in self.fingerprints.iter().enumerate() {
            if !used[j] && !e.content.is_empty() {
                *by_content
                    .entry((e.rule.clone(), e.path.clone(), e.content.clone()))
                    .or_default() += 1;
            }
        }
        for &i in &open {
            if matched[i] {
                continue;
            }
            let f = &findings[i];
            let key = (
                f.rule_id.to_owned(),
                normal_path(&f.location.path),
                masked.content_key(f),
            );
            if let Some(n) = by_content.get_mut(&key).filter(|n| **n > 0) {
                *n -= 1;
                matched[i] = true;
            }
        }
        for (i, f) in findings.iter_mut().enumerate() {
            if matched[i] {
                f.suppression = Some(Suppression {
                    kind: "baseline",
                    justification: Some("known finding recorded in the baseline".into()),
                });
            }
        }
    }
}

impl Baseline {
    /// The entries' indices grouped by fingerprint, each group in entry order.
    fn entries_by_fingerprint(&self) -> EntryQueues<'_> {
        let mut queues: HashMap<&str, Vec<usize>> = HashMap::new();
        // Pushed last to first, so that popping takes the first unused entry.
        for (j, e) in self.fingerprints.iter().enumerate().rev() {
            queues.entry(e.fingerprint.as_str()).or_default().push(j);
        }
        EntryQueues(queues)
    }
}

/// The unused baseline entries of each fingerprint, first in entry order at the back: a hit
/// takes one without scanning the entries (a scan per hit was findings × entries, 1.5 s
/// against a baseline of 48k entries).
struct EntryQueues<'b>(HashMap<&'b str, Vec<usize>>);

impl EntryQueues<'_> {
    /// Takes the first unused entry with `fingerprint`, if one is left.
    fn take(&mut self, fingerprint: &str) -> Option<usize> {
        self.0.get_mut(fingerprint)?.pop()
    }
}

/// True when the rule gave the finding no logical identity and the engine derived one from
/// its message and occurrence: such findings are matched by content only, or a new finding
/// with the same message earlier in the file would take an old one's entry.
fn positional(f: &Finding) -> bool {
    f.identity.starts_with('@')
}

fn normal_path(p: &str) -> String {
    p.strip_prefix("./").unwrap_or(p).to_owned()
}

/// The masked texts the scan made for its reports (content keys never hash a secret), each
/// with its line index so a key costs a lookup.
struct Masked<'a>(HashMap<&'a str, (&'a str, LineIndex)>);

impl<'a> Masked<'a> {
    fn new(sources: &'a BTreeMap<String, String>) -> Masked<'a> {
        Masked(
            sources
                .iter()
                .map(|(p, t)| (p.as_str(), (t.as_str(), LineIndex::new(t))))
                .collect(),
        )
    }

    /// Rule, path and the normalised text of the lines the finding spans (at most 20), hashed.
    fn content_key(&self, f: &Finding) -> String {
        let span = f.location.span;
        let text: String = self
            .0
            .get(&*f.location.path)
            .and_then(|(t, idx)| {
                let from = idx.line_start(span.start.line)?;
                let last = span.end.line.max(span.start.line).min(span.start.line + 19);
                let to = idx.line_start(last + 1).unwrap_or(t.len());
                Some(
                    t[from..to.max(from)]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
            .unwrap_or_default();
        fingerprint::fnv1a(&[f.rule_id, &normal_path(&f.location.path), &text, &f.message])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fingerprint: &str) -> Entry {
        Entry {
            fingerprint: fingerprint.to_owned(),
            content: String::new(),
            rule: "K8S001".into(),
            path: "p".into(),
            line: 1,
            message: String::new(),
        }
    }

    /// The matching before the queues: a count per fingerprint, and per hit a scan for the
    /// first unused entry with it. Returns the entry each wanted fingerprint took.
    fn brute_force(baseline: &Baseline, wanted: &[&str]) -> Vec<Option<usize>> {
        let mut by_fp: HashMap<&str, usize> = HashMap::new();
        for e in &baseline.fingerprints {
            *by_fp.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        let mut used = vec![false; baseline.fingerprints.len()];
        let mut took = Vec::new();
        for fp in wanted {
            let mut taken = None;
            if let Some(n) = by_fp.get_mut(fp).filter(|n| **n > 0) {
                *n -= 1;
                taken = (0..baseline.fingerprints.len())
                    .find(|&j| !used[j] && baseline.fingerprints[j].fingerprint == *fp);
                if let Some(j) = taken {
                    used[j] = true;
                }
            }
            took.push(taken);
        }
        took
    }

    /// Duplicated fingerprints in scattered entries, findings wanting more copies than the
    /// baseline has, and fingerprints the baseline lacks.
    #[test]
    fn queues_take_the_entries_the_scan_took() {
        let names = ["a", "b", "c", "d"];
        let baseline = Baseline {
            fingerprints: (0..40usize)
                .map(|j| entry(names[(j * 7 + j / 5) % 3]))
                .chain([entry("d")])
                .collect(),
            ..Default::default()
        };
        let wanted: Vec<&str> = (0..90usize)
            .map(|i| names[(i * 5 + i / 3) % 4])
            .chain(["missing", "d", "d"])
            .collect();
        let mut queues = baseline.entries_by_fingerprint();
        let took: Vec<Option<usize>> = wanted.iter().map(|fp| queues.take(fp)).collect();
        assert_eq!(took, brute_force(&baseline, &wanted));
        assert!(took.iter().any(Option::is_none));
        assert_eq!(took.iter().flatten().count(), baseline.fingerprints.len());
    }
}
