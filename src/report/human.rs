//! `--format human`: miette's graphical diagnostics — the offending span underlined in a
//! masked source excerpt, with rule id, severity, message, remediation and documentation link.

use crate::diagnostic::Level;
use crate::location::Location;
use crate::report::{Report, Source};
use crate::rules::{Finding, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use std::sync::Arc;

/// A masked file as miette reads it: each span is read from the start of the first context
/// line before it, not from byte 0. miette's own reader walks the whole text up to the span
/// for every finding, so a file with n findings cost n passes over it.
#[derive(Debug)]
struct Excerpts(Arc<Source>);

impl SourceCode for Excerpts {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let src = &*self.0;
        let text = src.text.as_bytes();
        let mut first = src
            .index
            .line_at(span.offset(), text.len())
            .saturating_sub(context_lines_before);
        let start_of = |line: usize| src.index.line_start(line as u32 + 1).unwrap_or(0);
        if first > 0 && start_of(first) == span.offset() {
            // miette ends an empty span at the byte before it (`offset - 1`, saturating):
            // at the tail's byte 0 that would differ, so the tail starts a line earlier.
            first -= 1;
        }
        let base = start_of(first);
        // miette's reader on the tail from `base`, which starts a line at least
        // `context_lines_before` breaks before the span: it then picks the same bytes, and
        // only offsets and line numbers need shifting back by what lies before `base`.
        let tail = SourceSpan::new((span.offset() - base).into(), span.len());
        let read = <[u8] as SourceCode>::read_span(
            &text[base..],
            &tail,
            context_lines_before,
            context_lines_after,
        )?;
        let breaks = src.breaks_before(first, base);
        Ok(Box::new(MietteSpanContents::new(
            read.data(),
            SourceSpan::new((read.span().offset() + base).into(), read.span().len()),
            read.line() + breaks,
            read.column(),
            read.line_count() + breaks,
        )))
    }
}

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
    match report.shared_source(&f.location.path) {
        Some(src) => {
            let (off, len) = offset_range(&src, &f.location);
            diag = diag.with_label(LabeledSpan::at(off..off + len, f.message.clone()));
            let rep = miette::Report::new(diag)
                .with_source_code(NamedSource::new(&*f.location.path, Excerpts(src)));
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

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: [&str; 7] = [
        "",
        "one line, no newline",
        "a: 1\nb: 2\n\nc: 3\n",
        "\u{feff}k: v\r\nl: w\r\n\r\nm: é\r\nlast",
        "lone\rcr\r\r\nmixed\n\rx\n",
        "\n\n\n",
        "x\ny\nz",
    ];

    /// Every span of every text reads as miette's own reader reads it from byte 0: same
    /// bytes, offsets, line, column and line count, with 0, 1 or more context lines, spans
    /// empty, on one line, across lines, at the ends and running past the end. (A span
    /// starting past the end is never asked: the report clamps offsets to the text.)
    #[test]
    fn excerpts_read_as_miette_reads_the_whole_text() {
        for text in TEXTS {
            let whole = text.to_owned();
            let ours = Excerpts(Arc::new(Source::new(text)));
            for start in 0..=text.len() {
                for len in [0, 1, 3, 9, 40] {
                    for (before, after) in [(0, 0), (1, 1), (2, 3), (0, 2), (3, 0)] {
                        let span = SourceSpan::new(start.into(), len);
                        let theirs = whole.read_span(&span, before, after);
                        let mine = ours.read_span(&span, before, after);
                        let at = format!("{text:?} {start}+{len} ({before},{after})");
                        match (theirs, mine) {
                            (Ok(t), Ok(m)) => {
                                assert_eq!(t.data(), m.data(), "{at}");
                                assert_eq!(t.span(), m.span(), "{at}");
                                assert_eq!(t.line(), m.line(), "{at}");
                                assert_eq!(t.column(), m.column(), "{at}");
                                assert_eq!(t.line_count(), m.line_count(), "{at}");
                            }
                            (Err(_), Err(_)) => {}
                            (t, m) => panic!("{at}: {:?} vs {:?}", t.is_ok(), m.is_ok()),
                        }
                    }
                }
            }
        }
    }

    /// A report with one label, rendered from a source as the human report renders it.
    fn render<S: SourceCode + 'static>(source: S, start: usize, len: usize) -> String {
        let diag =
            MietteDiagnostic::new("m").with_label(LabeledSpan::at(start..start + len, "here"));
        let rep = miette::Report::new(diag).with_source_code(NamedSource::new("f", source));
        let mut out = String::new();
        let _ = handler(false).render_report(&mut out, rep.as_ref());
        out
    }

    /// The rendered report is the one miette prints from the whole text.
    #[test]
    fn rendered_excerpts_match_the_whole_text() {
        for text in TEXTS {
            for start in 0..=text.len() {
                for len in [0, 2, 12] {
                    let whole = render(text.to_owned(), start, len);
                    let ours = render(Excerpts(Arc::new(Source::new(text))), start, len);
                    assert_eq!(whole, ours, "{text:?} {start}+{len}");
                }
            }
        }
    }
}
