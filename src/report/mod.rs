//! Reports: one module per output format. All of them read the same `Report` and never print
//! a secret's value.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod mask;
pub mod sarif;

use crate::engine::scan::ScanResult;
use std::collections::BTreeMap;

/// What a reporter needs: the scan result and masked source texts for excerpts.
pub struct Report<'a> {
    pub result: &'a ScanResult,
    /// Masked text of every file that has a finding, by path.
    pub sources: &'a BTreeMap<String, String>,
    pub show_suppressed: bool,
    pub verbose: bool,
}

impl Report<'_> {
    /// The masked line `n` (1-based) of a file.
    pub fn line(&self, path: &str, n: u32) -> Option<&str> {
        self.sources
            .get(path)?
            .lines()
            .nth(n.checked_sub(1)? as usize)
    }
    /// The masked text a span covers (whole lines), for snippets.
    pub fn snippet(&self, path: &str, span: crate::location::Span) -> Option<String> {
        let text = self.sources.get(path)?;
        let lines: Vec<&str> = text
            .lines()
            .skip(span.start.line.saturating_sub(1) as usize)
            .take((span.end.line.saturating_sub(span.start.line) + 1).min(20) as usize)
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
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
