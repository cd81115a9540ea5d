//! `--format json`: a stable, documented schema (see README "JSON output"). Version 1.
//!
//! A finding-dense scan reports tens of thousands of findings (tens of MB of JSON), so the
//! findings are rendered from borrowed, typed structs (no intermediate `Value` trees), on all
//! cores, and spliced into the pretty-printed document at their indentation. The bytes are
//! those `serde_json::to_string_pretty` gives for the whole document.

use crate::engine::fingerprint;
use crate::location::Location;
use crate::report::{stream, Report};
use crate::rules::{meta, Finding, RuleMeta};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use std::io::Write;

#[derive(Serialize)]
struct JsonLocation<'a> {
    path: &'a str,
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

impl<'a> From<&'a Location> for JsonLocation<'a> {
    fn from(l: &'a Location) -> Self {
        JsonLocation {
            path: &l.path,
            start_line: l.span.start.line,
            start_column: l.span.start.col,
            end_line: l.span.end.line,
            end_column: l.span.end.col,
        }
    }
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    location: JsonLocation<'a>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    kind: &'a str,
    justification: Option<&'a str>,
}

/// One finding; fields serialise in this order (the documented schema).
#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    rule_name: &'a RawValue,
    family: &'a RawValue,
    severity: &'a str,
    title: &'a RawValue,
    message: &'a str,
    remediation: &'a RawValue,
    help_uri: &'a RawValue,
    location: JsonLocation<'a>,
    related: Vec<JsonRelated<'a>>,
    fingerprint: String,
    suppressed: Option<JsonSuppression<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a serde_json::Map<String, Value>>,
}

/// A rule's texts as JSON strings, escaped once per report instead of once per finding: a
/// finding-dense scan repeats one rule's title and remediation in thousands of findings.
struct RuleTexts {
    rule_name: Box<RawValue>,
    family: Box<RawValue>,
    title: Box<RawValue>,
    remediation: Box<RawValue>,
    help_uri: Box<RawValue>,
}

impl RuleTexts {
    fn new(meta: &RuleMeta) -> RuleTexts {
        let text = |s: &str| {
            serde_json::value::to_raw_value(s).expect("a string always serializes as JSON")
        };
        RuleTexts {
            rule_name: text(&meta.slug),
            family: text(&meta.family),
            title: text(&meta.title),
            remediation: text(meta.remediation.trim()),
            help_uri: text(&meta.help_uri()),
        }
    }
}

/// Every rule's texts, in the order of [`meta::all`] (by id).
fn rule_texts() -> Vec<RuleTexts> {
    meta::all().iter().map(RuleTexts::new).collect()
}

impl<'a> JsonFinding<'a> {
    fn new(f: &'a Finding, texts: &'a [RuleTexts]) -> Self {
        let meta = f.meta();
        // `meta` is an element of `meta::all()`, which `texts` follows.
        let t = &texts[meta::all()
            .binary_search_by(|m| m.id.cmp(&meta.id))
            .expect("a finding's metadata comes from the rule table")];
        JsonFinding {
            rule_id: f.rule_id,
            rule_name: &t.rule_name,
            family: &t.family,
            severity: f.severity.as_str(),
            title: &t.title,
            message: &f.message,
            remediation: &t.remediation,
            help_uri: &t.help_uri,
            location: (&f.location).into(),
            related: f
                .related
                .iter()
                .map(|x| JsonRelated {
                    location: (&x.location).into(),
                    message: &x.message,
                })
                .collect(),
            fingerprint: fingerprint::of(f),
            suppressed: f.suppression.as_ref().map(|s| JsonSuppression {
                kind: s.kind,
                justification: s.justification.as_deref(),
            }),
            logical_location: f.evidence.as_ref().map(|e| e.logical_location.as_str()),
            evidence: f.evidence.as_ref().map(|e| &e.properties),
        }
    }
}

/// The document's fields before `findings`.
#[derive(Serialize)]
struct Head {
    schema_version: u32,
    tool: Value,
    summary: Value,
}

/// The document's fields after `findings`.
#[derive(Serialize)]
struct Tail<'a> {
    diagnostics: &'a [crate::diagnostic::Diagnostic],
    skipped: Vec<Value>,
}

/// The whole report as a string.
pub fn render(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes the report to `w`, streaming the findings.
pub fn write(report: &Report<'_>, w: &mut dyn Write) -> std::io::Result<()> {
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
    let head = Head {
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
    };
    let tail = Tail {
        diagnostics: &r.diagnostics,
        skipped: r
            .skipped
            .iter()
            .map(|s| json!({"path": s.display, "reason": s.reason.to_string()}))
            .collect(),
    };
    w.write_all(b"{\n")?;
    w.write_all(stream::members(&head).as_bytes())?;
    w.write_all(b",\n  \"findings\": ")?;
    let texts = rule_texts();
    stream::write_array(&r.findings, 1, |f| JsonFinding::new(f, &texts), w)?;
    w.write_all(b",\n")?;
    w.write_all(stream::members(&tail).as_bytes())?;
    w.write_all(b"\n}\n")
}
