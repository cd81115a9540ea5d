//! `--format human`: miette's graphical diagnostics — the offending span underlined in a
//! masked source excerpt, with rule id, severity, message, remediation and documentation link.

use crate::diagnostic::Level;
use crate::location::Location;
use crate::report::{Report, Source};
use crate::rules::{Finding, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

fn offset_range(src: &Source, l: &Location) -> (usize, usize) {
    let text = &*src.text;
    let to_off = |line: u32, col: u32| -> usize {
        let Some(start) = src.index.line_start(line) else {
            return text.len();
        };
        let line_text = &text[start..];
        start
            + line_text
                .char_indices()
                .nth(col.saturating_sub(1) as usize)
                .map_or(line_text.len(), |(i, _)| i)
                .min(line_text.find('\n').unwrap_or(line_text.len()))
    };
    let a = to_off(l.span.start.line, l.span.start.col);
    let b = to_off(l.span.end.line, l.span.end.col).max(a);
    (a, b - a)
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_links(false)
        .with_width(110)
}

fn render_finding(report: &Report<'_>, f: &Finding, color: bool) -> String {
    let meta = f.meta();
    let sev = match f.severity {
        Severity::Critical | Severity::High => miette::Severity::Error,
        Severity::Medium => miette::Severity::Warning,
        Severity::Low | Severity::Info => miette::Severity::Advice,
    };
    let mut help = format!("fix: {}", meta.remediation.trim());
    for r in &f.related {
        help.push_str(&format!("\nsee: {} ({})", r.location, r.message));
    }
    if let Some(s) = &f.suppression {
        help.push_str(&format!(
            "\nsuppressed ({}){}",
            s.kind,
            s.justification
                .as_deref()
                .map(|j| format!(": {j}"))
                .unwrap_or_default()
        ));
    }
    let mut diag = MietteDiagnostic::new(format!("{} [{}] {}", f.severity, f.rule_id, meta.title))
        .with_code(format!(
            "{}:{}:{}",
            f.location.path, f.location.span.start.line, f.location.span.start.col
        ))
        .with_severity(sev)
        .with_help(help)
        .with_url(meta.help_uri());
    let mut out = String::new();
    match report.source(&f.location.path) {
        Some(src) => {
            let (off, len) = offset_range(src, &f.location);
            diag = diag.with_label(LabeledSpan::at(off..off + len, f.message.clone()));
            let rep = miette::Report::new(diag)
                .with_source_code(NamedSource::new(&*f.location.path, src.text.clone()));
            let _ = handler(color).render_report(&mut out, rep.as_ref());
        }
        None => {
            let diag = diag.with_help(format!("{}\n{}", f.message, meta.remediation.trim()));
            let _ = handler(color).render_report(&mut out, &diag);
        }
    }
    out
}

pub fn render(report: &Report<'_>, color: bool) -> String {
    let r = report.result;
    let mut out = String::new();
    for f in r
        .findings
        .iter()
        .filter(|f| report.show_suppressed || f.suppression.is_none())
    {
        out.push_str(&render_finding(report, f, color));
        out.push('\n');
    }
    for d in r
        .diagnostics
        .iter()
        .filter(|d| report.verbose || d.level != Level::Note)
    {
        let pos = d
            .span
            .map(|s| format!(":{}:{}", s.start.line, s.start.col))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}: {}{pos}: {} [{}]\n",
            match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Note => "note",
            },
            d.path,
            d.message,
            d.code
        ));
    }
    if report.verbose {
        for (path, kinds) in &r.inputs {
            let kinds = if kinds.is_empty() {
                "not recognised".to_owned()
            } else {
                kinds.join(", ")
            };
            out.push_str(&format!("read: {path} ({kinds})\n"));
        }
        for s in &r.skipped {
            out.push_str(&format!("skipped: {} ({})\n", s.display, s.reason));
        }
    }
    let shown: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .collect();
    let count = |s: Severity| shown.iter().filter(|f| f.severity == s).count();
    let suppressed = r.findings.len() - shown.len();
    let incomplete = r.incomplete_inputs();
    out.push_str(&format!(
        "\nsealant: {} finding{} ({} critical, {} high, {} medium, {} low, {} info){} in {} file{}; {} skipped; {} incomplete input{}; {:.2}s{}\n",
        shown.len(),
        if shown.len() == 1 { "" } else { "s" },
        count(Severity::Critical),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low),
        count(Severity::Info),
        if suppressed > 0 { format!(", {suppressed} suppressed") } else { String::new() },
        r.files_scanned,
        if r.files_scanned == 1 { "" } else { "s" },
        r.skipped.len(),
        incomplete,
        if incomplete == 1 { "" } else { "s" },
        r.elapsed.as_secs_f64(),
        if r.incomplete() { "\nscan INCOMPLETE: some input could not be read or parsed (see errors above)" } else { "" },
    ));
    out
}
