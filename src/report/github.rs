//! `--format github`: GitHub Actions workflow commands, which annotate the pull request diff.

use crate::report::Report;
use crate::rules::Severity;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for f in report
        .result
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
    {
        let cmd = match f.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "notice",
        };
        let l = &f.location;
        let meta = f.meta();
        out.push_str(&format!(
            "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&l.path),
            l.span.start.line,
            l.span.start.col,
            l.span.end.line,
            l.span.end.col,
            escape_property(&format!("{} {} ({})", f.rule_id, meta.title, f.severity)),
            escape_data(&format!("{}\nFix: {}", f.message, meta.remediation.trim())),
        ));
    }
    for d in &report.result.diagnostics {
        let cmd = match d.level {
            crate::diagnostic::Level::Error => "error",
            crate::diagnostic::Level::Warning => "warning",
            crate::diagnostic::Level::Note => continue,
        };
        let pos = d
            .span
            .map(|s| format!(",line={},col={}", s.start.line, s.start.col))
            .unwrap_or_default();
        out.push_str(&format!(
            "::{cmd} file={}{pos},title=sealant {}::{}\n",
            escape_property(&d.path),
            escape_property(d.code),
            escape_data(&d.message)
        ));
    }
    out
}
