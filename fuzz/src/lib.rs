//! Helpers shared by the fuzz targets: choosing a file name from the input, and the span
//! invariants every target checks (a span always points inside the text it came from).

use sealant::location::{Pos, Span};
use sealant::model::file::ParsedFile;

/// Names that route the same bytes through each classification path.
pub const YAML_NAMES: &[&str] = &[
    "deploy.yaml",
    "values.yaml",
    "chart/templates/deployment.yaml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "docker-compose.yml",
    "kustomization.yaml",
    "Chart.yaml",
    "policy.json",
    "config.json",
];

pub const HCL_NAMES: &[&str] = &["policy.hcl", "agent.hcl", "server.hcl", "main.tf"];

/// Structured fuzzing input: the targets that build values from bytes take them one at a time,
/// and a zero once the input runs out (so every input builds something).
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    pub fn next(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    /// One of `from`, chosen by the next byte.
    pub fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.next() as usize % from.len()]
    }
}

/// Splits the input into a selector byte and UTF-8 text (lossy: invalid bytes become U+FFFD,
/// which the reader rejects before parsing anyway; see `source::read::decode`).
pub fn split(data: &[u8]) -> Option<(u8, String)> {
    let (&sel, rest) = data.split_first()?;
    Some((sel, String::from_utf8_lossy(rest).into_owned()))
}

/// Asserts that `pos` lies inside `text`: a line that exists and a column at most one past
/// the line's last character.
pub fn assert_pos_in(text: &str, pos: Pos, what: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        pos.line >= 1 && (pos.line as usize) <= lines.len(),
        "{what}: line {} outside 1..={} ",
        pos.line,
        lines.len()
    );
    let width = lines[pos.line as usize - 1].chars().count();
    assert!(
        pos.col >= 1 && (pos.col as usize) <= width + 1,
        "{what}: column {} of line {} outside 1..={}",
        pos.col,
        pos.line,
        width + 1
    );
}

pub fn assert_span_in(text: &str, span: Span, what: &str) {
    assert_pos_in(text, span.start, what);
    assert_pos_in(text, span.end, what);
    assert!(
        span.start <= span.end,
        "{what}: span {span:?} ends before it starts"
    );
}

/// Every span the model keeps for a parsed file: diagnostics, object roots, HCL attributes and
/// blocks (recursively), all inside the file's text.
pub fn assert_file_spans(file: &ParsedFile) {
    for d in &file.diagnostics {
        if let Some(s) = d.span {
            assert_span_in(&file.text, s, &format!("diagnostic {}", d.code));
        }
    }
    for o in &file.objects {
        assert_span_in(&file.text, o.root().span, "object root");
    }
    for d in &file.documents {
        assert_span_in(&file.text, d.root.span, "document root");
    }
    for doc in &file.hcl {
        assert_body_spans(&file.text, &doc.body);
    }
}

fn assert_body_spans(text: &str, body: &sealant::syntax::hcl::Body) {
    for a in &body.attrs {
        assert_span_in(text, a.key_span, "hcl attribute key");
        assert_span_in(text, a.value_span, "hcl attribute value");
    }
    for b in &body.blocks {
        assert_span_in(text, b.ident_span, "hcl block ident");
        assert_span_in(text, b.span, "hcl block");
        assert_body_spans(text, &b.body);
    }
}
