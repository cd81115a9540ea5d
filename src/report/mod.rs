//! Reports: one module per output format. All of them read the same `Report` and never print
//! a secret's value.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod mask;
pub mod sarif;
pub mod stream;
pub mod upload;

use crate::engine::scan::ScanResult;
use crate::location::LineIndex;
use std::collections::HashMap;
use std::sync::Arc;

/// What a reporter needs: the scan result and masked source texts for excerpts.
pub struct Report<'a> {
    pub result: &'a ScanResult,
    pub show_suppressed: bool,
    pub verbose: bool,
    /// Masked text of every file a finding or diagnostic points into, with its line index,
    /// built once so excerpts cost a lookup, not a pass over the file per finding.
    sources: HashMap<&'a str, Arc<Source>>,
}

/// One masked file, shared by every excerpt taken from it.
#[derive(Debug)]
pub struct Source {
    pub text: Arc<str>,
    pub index: LineIndex,
    /// Offsets of the `\r`s not followed by `\n`: miette counts each as a line break, the
    /// index does not, and excerpts read from mid-file must number lines as miette would.
    lone_cr: Vec<usize>,
}

impl Source {
    fn new(text: &str) -> Source {
        let bytes = text.as_bytes();
        let lone_cr = memchr::memchr_iter(b'\r', bytes)
            .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
            .collect();
        Source {
            index: LineIndex::new(text),
            text: Arc::from(text),
            lone_cr,
        }
    }

    /// The line breaks miette counts before a byte offset that starts a line of the index
    /// (0-based line `line`): one per `\n` (a `\r\n` is one) and one per lone `\r`.
    pub fn breaks_before(&self, line: usize, offset: usize) -> usize {
        line + self.lone_cr.partition_point(|&i| i < offset)
    }
}

impl<'a> Report<'a> {
    pub fn new(result: &'a ScanResult, show_suppressed: bool, verbose: bool) -> Report<'a> {
        let sources = result
            .sources
            .iter()
            .map(|(path, text)| (path.as_str(), Arc::new(Source::new(text))))
            .collect();
        Report {
            result,
            show_suppressed,
            verbose,
            sources,
        }
    }

    /// The masked text of a file, when a report may quote it.
    pub fn source(&self, path: &str) -> Option<&Source> {
        self.sources.get(path).map(Arc::as_ref)
    }

    /// The masked text of a file as a shared handle, for a reader that must own it.
    pub fn shared_source(&self, path: &str) -> Option<Arc<Source>> {
        self.sources.get(path).cloned()
    }

    /// The masked text a span covers (whole lines, at most 20), for snippets.
    pub fn snippet(&self, path: &str, span: crate::location::Span) -> Option<String> {
        let src = self.sources.get(path)?;
        let from = src.index.line_start(span.start.line)?;
        let last = span.end.line.max(span.start.line).min(span.start.line + 19);
        let to = src
            .index
            .line_start(last + 1)
            .map_or(src.text.len(), |e| e.saturating_sub(1));
        let text = src.text[from..to.max(from)].trim_end_matches(['\n', '\r']);
        Some(text.to_owned())
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
}

impl Format {
    /// Whether the format quotes masked source lines (human excerpts, SARIF snippets): a scan
    /// whose reports all answer no skips masking sources.
    pub fn quotes_sources(self) -> bool {
        matches!(self, Format::Human | Format::Sarif)
    }
}

/// Writes a report in a format to `w`. JSON and SARIF stream their findings (a finding-dense
/// report is tens of MB); the other formats are rendered whole first.
pub fn write(
    format: Format,
    report: &Report<'_>,
    color: bool,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, w),
        Format::Sarif => sarif::write(report, w),
        _ => w.write_all(render(format, report, color).as_bytes()),
    }
}

/// Renders a report in a format.
pub fn render(format: Format, report: &Report<'_>, color: bool) -> String {
    match format {
        Format::Human => human::render(report, color),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
    }
}
