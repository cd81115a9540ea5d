//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other consumers. Written with
//! serde_json from the subset of the schema we emit; a test validates every log against the
//! official schema.

use crate::diagnostic::Level;
use crate::engine::fingerprint;
use crate::location::Location;
use crate::report::{stream, Report};
use crate::rules::Finding;
use crate::rules::RuleMeta;
use serde_json::{json, Value};
use std::collections::HashMap;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Percent-encodes what may not stand in a relative URI reference.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'+'
            | b'@'
            | b'='
            | b',' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn descriptor(m: &RuleMeta) -> Value {
    // SARIF requires unique tags.
    let mut tags: Vec<String> = Vec::new();
    for t in std::iter::once("security")
        .chain(m.tags.iter().map(String::as_str))
        .chain(std::iter::once(m.family.as_str()))
    {
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_owned());
        }
    }
    json!({
        "id": m.id,
        "name": m.slug,
        "shortDescription": {"text": m.title},
        "fullDescription": {"text": m.why.trim()},
        "help": {
            "text": format!("{}\n\nRemediation: {}", m.why.trim(), m.remediation.trim()),
            "markdown": format!("**{}**\n\n{}\n\n**Remediation:** {}\n\n[Documentation]({})", m.title, m.why.trim(), m.remediation.trim(), m.help_uri()),
        },
        "helpUri": m.help_uri(),
        "defaultConfiguration": {"level": m.severity.sarif_level()},
        "properties": {
            "security-severity": m.severity.security_severity(),
            "severity": m.severity.as_str(),
            "tags": tags,
            "precision": "high",
        },
    })
}

fn physical(report: &Report<'_>, l: &Location, snippet: bool) -> Value {
    let mut region = json!({
        "startLine": l.span.start.line.max(1),
        "startColumn": l.span.start.col.max(1),
        "endLine": l.span.end.line.max(l.span.start.line).max(1),
        "endColumn": if l.span.end.line > l.span.start.line { l.span.end.col.max(1) } else { l.span.end.col.max(l.span.start.col).max(1) },
    });
    if snippet {
        if let Some(text) = report.snippet(&l.path, l.span) {
            region["snippet"] = json!({"text": text});
        }
    }
    json!({"artifactLocation": {"uri": uri(&l.path), "uriBaseId": "%SRCROOT%"}, "region": region})
}

/// One finding as a SARIF result; `rule_index` holds each rule's position in the run's rule
/// table (for `ruleIndex`).
fn result(report: &Report<'_>, rule_index: &HashMap<&str, usize>, f: &Finding) -> Value {
    let mut res = json!({
        "ruleId": f.rule_id,
        "level": f.severity.sarif_level(),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": physical(report, &f.location, true)}],
        "partialFingerprints": {"sealant/v1": fingerprint::of(f)},
        "properties": {"severity": f.severity.as_str(), "security-severity": f.severity.security_severity()},
    });
    if let Some(e) = &f.evidence {
        res["locations"][0]["logicalLocations"] =
            json!([{"fullyQualifiedName": e.logical_location, "kind": "resource"}]);
        res["properties"]["evidence"] = Value::Object(e.properties.clone());
    }
    if let Some(i) = rule_index.get(f.rule_id) {
        res["ruleIndex"] = json!(i);
    }
    if !f.related.is_empty() {
        res["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, x)| json!({"id": i + 1, "physicalLocation": physical(report, &x.location, false), "message": {"text": x.message}}))
            .collect();
    }
    if let Some(s) = &f.suppression {
        let mut sup = json!({"kind": if s.kind == "inline" { "inSource" } else { "external" }, "status": "accepted"});
        if let Some(j) = &s.justification {
            sup["justification"] = json!(j);
        }
        res["suppressions"] = json!([sup]);
    }
    res
}

/// The whole log as a string.
pub fn render(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// The text the run's `results` (its last member) ends the log with, after its value.
const AFTER_RESULTS: &str = "\n    }\n  ]\n}";

/// Writes the log to `w`. The results (the bulk: a finding-dense scan has tens of thousands)
/// are rendered on all cores and streamed into the pretty-printed log in batches; the bytes
/// are those of pretty-printing the whole log at once.
pub fn write(report: &Report<'_>, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let r = report.result;
    let rules: Vec<&RuleMeta> = r.rules.clone();
    let mut notifications: Vec<Value> = r
        .diagnostics
        .iter()
        .map(|d| {
            let mut n = json!({
                "level": match d.level { Level::Error => "error", Level::Warning => "warning", Level::Note => "note" },
                "message": {"text": d.message},
                "descriptor": {"id": d.code},
            });
            let loc = Location::new(d.path.clone(), d.span.unwrap_or_else(crate::location::Span::file_start));
            let mut phys = physical(report, &loc, false);
            if d.span.is_none() {
                phys.as_object_mut().expect("object").remove("region");
            }
            n["locations"] = json!([{"physicalLocation": phys}]);
            n
        })
        .collect();
    notifications.extend(r.skipped.iter().filter(|s| s.reason != crate::source::discover::SkipReason::NotRecognised).map(|s| {
        json!({
            "level": "note",
            "message": {"text": format!("{} skipped: {}", s.display, s.reason)},
            "descriptor": {"id": "skipped"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&s.display), "uriBaseId": "%SRCROOT%"}}}],
        })
    }));
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sealant",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/sealant-dev/sealant",
                "rules": rules.iter().map(|m| descriptor(m)).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": !r.incomplete(),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory sealant was run from."}}},
            "columnKind": "unicodeCodePoints",
            "results": [],
        }],
    });
    let text = serde_json::to_string_pretty(&log).expect("JSON values serialize");
    let before = text
        .strip_suffix(AFTER_RESULTS)
        .and_then(|t| t.strip_suffix("[]"))
        .expect("results is the last member of the only run");
    w.write_all(before.as_bytes())?;
    // The first of duplicate ids, as a search of the table would find.
    let mut rule_index = HashMap::new();
    for (i, m) in rules.iter().enumerate() {
        rule_index.entry(m.id.as_str()).or_insert(i);
    }
    stream::write_array(&r.findings, 3, |f| result(report, &rule_index, f), w)?;
    w.write_all(AFTER_RESULTS.as_bytes())?;
    w.write_all(b"\n")
}
