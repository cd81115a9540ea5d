//! `--format json`: a stable, documented schema (see README "JSON output"). Version 1.

use crate::engine::fingerprint;
use crate::location::Location;
use crate::report::Report;
use crate::rules::Finding;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};

fn location(l: &Location) -> Value {
    json!({
        "path": &*l.path,
        "start_line": l.span.start.line,
        "start_column": l.span.start.col,
        "end_line": l.span.end.line,
        "end_column": l.span.end.col,
    })
}

/// One finding as its JSON object.
fn finding(f: &Finding) -> Value {
    let meta = f.meta();
    let mut v = json!({
        "rule_id": f.rule_id,
        "rule_name": meta.slug,
        "family": meta.family,
        "severity": f.severity.as_str(),
        "title": meta.title,
        "message": f.message,
        "remediation": meta.remediation.trim(),
        "help_uri": meta.help_uri(),
        "location": location(&f.location),
        "related": f.related.iter().map(|x| json!({"location": location(&x.location), "message": x.message})).collect::<Vec<_>>(),
        "fingerprint": fingerprint::of(f),
        "suppressed": f.suppression.as_ref().map(|s| json!({"kind": s.kind, "justification": s.justification})),
    });
    if let Some(e) = &f.evidence {
        v["logical_location"] = json!(e.logical_location);
        v["evidence"] = Value::Object(e.properties.clone());
    }
    v
}

/// The findings array, each finding built and written in turn: a finding-dense scan never
/// holds the JSON trees of all its findings at once next to the output text.
struct Findings<'a>(&'a [Finding]);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(finding))
    }
}

/// The top-level object; fields serialise in this order.
#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Value,
    summary: Value,
    findings: Findings<'a>,
    diagnostics: &'a [crate::diagnostic::Diagnostic],
    skipped: Vec<Value>,
}

pub fn render(report: &Report<'_>) -> String {
    let r = report.result;
    let mut by_severity = serde_json::Map::new();
    for s in ["critical", "high", "medium", "low", "info"] {
        let n = r
            .findings
            .iter()
            .filter(|f| f.suppression.is_none() && f.severity.as_str() == s)
            .count();
        by_severity.insert(s.into(), n.into());
    }
    let out = Document {
        schema_version: 1,
        tool: json!({"name": "sealant", "version": env!("CARGO_PKG_VERSION")}),
        summary: json!({
            "files_scanned": r.files_scanned,
            "files_skipped": r.skipped.len(),
            "rules_run": r.rules.len(),
            "findings": r.findings.iter().filter(|f| f.suppression.is_none()).count(),
            "suppressed": r.findings.iter().filter(|f| f.suppression.is_some()).count(),
            "by_severity": by_severity,
            "incomplete": r.incomplete(),
            "fail_on": r.fail_on.map(|s| s.as_str()),
        }),
        findings: Findings(&r.findings),
        diagnostics: &r.diagnostics,
        skipped: r
            .skipped
            .iter()
            .map(|s| json!({"path": s.display, "reason": s.reason.to_string()}))
            .collect(),
    };
    serde_json::to_string_pretty(&out).expect("JSON values serialize") + "\n"
}
