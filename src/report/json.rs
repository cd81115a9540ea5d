//! `--format json`: a stable, documented schema (see README "JSON output"). Version 1.
//!
//! A finding-dense scan reports tens of thousands of findings (hundreds of MB of JSON at
//! 100k files), so the findings are written member by member straight from the findings
//! (no intermediate `Value` trees or serde structs), on all cores, and spliced into the
//! pretty-printed document at their indentation. The bytes are those
//! `serde_json::to_string_pretty` gives for the whole document.

use crate::engine::fingerprint;
use crate::location::Location;
use crate::report::{stream, Report};
use crate::rules::{meta, Finding, RuleMeta};
use serde::Serialize;
use serde_json::{json, Value};
use std::io::Write;

/// A rule's texts as JSON strings, escaped once per report instead of once per finding: a
/// finding-dense scan repeats one rule's title and remediation in thousands of findings.
struct RuleTexts {
    rule_name: String,
    family: String,
    title: String,
    remediation: String,
    help_uri: String,
}

impl RuleTexts {
    fn new(meta: &RuleMeta) -> RuleTexts {
        let text = |s: &str| {
            let mut out = Vec::new();
            stream::write_json_string(s, &mut out);
            String::from_utf8(out).expect("escaping keeps UTF-8")
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

/// The texts of a finding's rule.
fn texts_of<'t>(f: &Finding, texts: &'t [RuleTexts]) -> &'t RuleTexts {
    &texts[meta::index(f.rule_id).expect("every finding's rule has metadata")]
}

/// One finding, `depth` levels deep, its fields in the documented schema's order (README
/// "JSON output"). Written by hand: this is most of a finding-dense report's text.
fn write_finding(f: &Finding, t: &RuleTexts, depth: usize, out: &mut Vec<u8>) {
    let mut w = stream::PrettyText::new(out, depth);
    w.open(b'{');
    w.key("rule_id");
    w.str(f.rule_id);
    w.key("rule_name");
    w.raw(&t.rule_name);
    w.key("family");
    w.raw(&t.family);
    w.key("severity");
    w.str(f.severity.as_str());
    w.key("title");
    w.raw(&t.title);
    w.key("message");
    w.str(&f.message);
    w.key("remediation");
    w.raw(&t.remediation);
    w.key("help_uri");
    w.raw(&t.help_uri);
    w.key("location");
    write_location(&mut w, &f.location);
    w.key("related");
    if f.related.is_empty() {
        w.raw("[]");
    } else {
        w.open(b'[');
        for r in &f.related {
            w.element();
            w.open(b'{');
            w.key("location");
            write_location(&mut w, &r.location);
            w.key("message");
            w.str(&r.message);
            w.close(b'}');
        }
        w.close(b']');
    }
    w.key("fingerprint");
    w.str(&fingerprint::of(f));
    w.key("suppressed");
    match &f.suppression {
        None => w.raw("null"),
        Some(s) => {
            w.open(b'{');
            w.key("kind");
            w.str(s.kind);
            w.key("justification");
            match &s.justification {
                Some(j) => w.str(j),
                None => w.raw("null"),
            }
            w.close(b'}');
        }
    }
    if let Some(e) = &f.evidence {
        w.key("logical_location");
        w.str(&e.logical_location);
        w.key("evidence");
        w.value(&e.properties);
    }
    w.close(b'}');
}

fn write_location(w: &mut stream::PrettyText<'_>, l: &Location) {
    w.open(b'{');
    w.key("path");
    w.str(&l.path);
    w.key("start_line");
    w.u32(l.span.start.line);
    w.key("start_column");
    w.u32(l.span.start.col);
    w.key("end_line");
    w.u32(l.span.end.line);
    w.key("end_column");
    w.u32(l.span.end.col);
    w.close(b'}');
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
    stream::write_rendered_array(
        &r.findings,
        1,
        |f, depth, out| write_finding(f, texts_of(f, &texts), depth, out),
        w,
    )?;
    w.write_all(b",\n")?;
    w.write_all(stream::members(&tail).as_bytes())?;
    w.write_all(b"\n}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{Pos, Span};
    use crate::rules::{Evidence, Related, Severity, Suppression};

    /// A written finding has the documented fields in the documented order, with its values.
    #[test]
    fn a_finding_has_the_documented_fields_in_order() {
        let at = |line| {
            Location::new(
                "d/a \"b\".yaml".into(),
                Span::new(Pos::new(line, 3), Pos::new(line, 9)),
            )
        };
        let mut f = Finding {
            rule_id: "K8S003",
            severity: Severity::Low,
            message: "tab\there".into(),
            location: at(4),
            related: vec![Related {
                location: at(7),
                message: "see".into(),
            }],
            identity: "x".into(),
            suppression: Some(Suppression {
                kind: "inline",
                justification: None,
            }),
            evidence: None,
        };
        let render = |f: &Finding| {
            let texts = rule_texts();
            let mut out = Vec::new();
            write_finding(f, texts_of(f, &texts), 0, &mut out);
            serde_json::from_slice::<Value>(&out).expect("valid JSON")
        };
        let v = render(&f);
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "rule_id",
                "rule_name",
                "family",
                "severity",
                "title",
                "message",
                "remediation",
                "help_uri",
                "location",
                "related",
                "fingerprint",
                "suppressed"
            ]
        );
        let meta = f.meta();
        assert_eq!(v["rule_name"], meta.slug.as_str());
        assert_eq!(v["title"], meta.title.as_str());
        assert_eq!(v["remediation"], meta.remediation.trim());
        assert_eq!(v["help_uri"], meta.help_uri());
        assert_eq!(v["severity"], "low");
        assert_eq!(v["message"], "tab\there");
        assert_eq!(
            v["location"],
            json!({"path": "d/a \"b\".yaml", "start_line": 4, "start_column": 3, "end_line": 4, "end_column": 9})
        );
        assert_eq!(v["related"][0]["location"]["start_line"], 7);
        assert_eq!(v["related"][0]["message"], "see");
        assert_eq!(v["fingerprint"], fingerprint::of(&f));
        assert_eq!(
            v["suppressed"],
            json!({"kind": "inline", "justification": null})
        );

        f.related.clear();
        f.suppression = None;
        f.evidence = Some(Box::new(Evidence {
            logical_location: "audit://a.log#L3".into(),
            properties: json!({"count": 3}).as_object().unwrap().clone(),
        }));
        let v = render(&f);
        assert_eq!(v["related"], json!([]));
        assert_eq!(v["suppressed"], Value::Null);
        assert_eq!(v["logical_location"], "audit://a.log#L3");
        assert_eq!(v["evidence"], json!({"count": 3}));
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys[keys.len() - 3..],
            ["suppressed", "logical_location", "evidence"]
        );
    }
}
