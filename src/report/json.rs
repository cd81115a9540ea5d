//! `--format json`: a stable, documented schema (see README "JSON output"). Version 1.

use crate::engine::fingerprint;
use crate::location::Location;
use crate::report::Report;
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

pub fn render(report: &Report<'_>) -> String {
    let r = report.result;
    let findings: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
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
        })
        .collect();
    let mut by_severity = serde_json::Map::new();
    for s in ["critical", "high", "medium", "low", "info"] {
        let n = r
            .findings
            .iter()
            .filter(|f| f.suppression.is_none() && f.severity.as_str() == s)
            .count();
        by_severity.insert(s.into(), n.into());
    }
    let out = json!({
        "schema_version": 1,
        "tool": {"name": "sealant", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "files_scanned": r.files_scanned,
            "files_skipped": r.skipped.len(),
            "rules_run": r.rules.len(),
            "findings": r.findings.iter().filter(|f| f.suppression.is_none()).count(),
            "suppressed": r.findings.iter().filter(|f| f.suppression.is_some()).count(),
            "by_severity": by_severity,
            "incomplete": r.incomplete(),
            "fail_on": r.fail_on.map(|s| s.as_str()),
        },
        "findings": findings,
        "diagnostics": r.diagnostics,
        "skipped": r.skipped.iter().map(|s| json!({"path": s.display, "reason": s.reason.to_string()})).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&out).expect("JSON values serialize") + "\n"
}
