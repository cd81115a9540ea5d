//! `--format markdown`: for a pull-request comment or a GitHub job summary — counts by
//! severity, the top findings with `file:line` links, and the inputs that could not be read.
//! Links are relative to the repository root, or absolute under
//! `$SEALANT_LINK_BASE` (e.g. `https://github.com/o/r/blob/<sha>`) when it is set.

use crate::diagnostic::Level;
use crate::report::Report;
use crate::rules::{Finding, Severity};

/// How many findings the table lists; the rest are counted.
pub const TOP: usize = 50;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn render(report: &Report<'_>) -> String {
    let r = report.result;
    let mut shown: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .collect();
    // Most severe first; within a severity, file order.
    shown.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let suppressed = r.findings.len() - shown.len();
    let base = std::env::var("SEALANT_LINK_BASE").unwrap_or_default();
    let base = base.trim_end_matches('/');
    let mut out = String::from("## sealant\n\n");
    let status = if r.incomplete() {
        "⚠️ scan incomplete"
    } else if shown.is_empty() {
        "✅ no findings"
    } else {
        "❌ findings"
    };
    out.push_str(&format!(
        "**{status}** — {} finding{} in {} file{} scanned ({} suppressed, {} skipped, {} incomplete input{}, {:.2}s)\n\n",
        shown.len(),
        if shown.len() == 1 { "" } else { "s" },
        r.files_scanned,
        if r.files_scanned == 1 { "" } else { "s" },
        suppressed,
        r.skipped.len(),
        r.incomplete_inputs(),
        if r.incomplete_inputs() == 1 { "" } else { "s" },
        r.elapsed.as_secs_f64(),
    ));
    out.push_str("| Severity | Count |\n|---|---:|\n");
    for s in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ] {
        let n = shown.iter().filter(|f| f.severity == s).count();
        out.push_str(&format!("| {} | {n} |\n", s.as_str()));
    }
    if !shown.is_empty() {
        out.push_str(
            "\n### Top findings\n\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n",
        );
        for f in shown.iter().take(TOP) {
            let meta = f.meta();
            let l = &f.location;
            let target = if base.is_empty() {
                format!(
                    "{}#L{}",
                    crate::report::sarif::uri(&l.path),
                    l.span.start.line
                )
            } else {
                format!(
                    "{base}/{}#L{}",
                    crate::report::sarif::uri(&l.path),
                    l.span.start.line
                )
            };
            out.push_str(&format!(
                "| {} | [{}]({}) | [{}:{}]({target}) | {} |\n",
                f.severity.as_str(),
                f.rule_id,
                meta.help_uri(),
                cell(&l.path),
                l.span.start.line,
                cell(&f.message),
            ));
        }
        if shown.len() > TOP {
            out.push_str(&format!(
                "\n…and {} more (see the SARIF or JSON report).\n",
                shown.len() - TOP
            ));
        }
    }
    let errors: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    if !errors.is_empty() {
        out.push_str("\n### Incomplete inputs\n\nThese could not be read or parsed, so the scan is partial:\n\n");
        for d in errors {
            let pos = d
                .span
                .map(|s| format!(":{}", s.start.line))
                .unwrap_or_default();
            out.push_str(&format!(
                "- `{}{pos}` — {} [{}]\n",
                d.path,
                cell(&d.message),
                d.code
            ));
        }
    }
    out
}
