//! Turning byte offsets of a parsed text into positions in the scanned file. A file's own text
//! maps directly; text embedded in a YAML string (the vault chart's `server.ha.config`, an
//! agent config in a ConfigMap) maps back through the scalar's layout, so findings in the
//! embedded HCL point at the outer file's line and column.

use crate::location::{line_start_in, LineIndex, Pos, Span};
use crate::syntax::yaml::{Node, Style};
use std::ops::Range;

/// Maps offsets of some text to positions in the file being scanned.
pub trait SpanMap: Sync {
    /// Position of a byte offset of the inner text.
    fn pos(&self, offset: usize) -> Pos;
    fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.pos(range.start), self.pos(range.end))
    }
    /// Byte offset of a 1-based line and column in the inner text (for parser errors).
    fn offset_of_line_col(&self, text: &str, line: usize, col: usize) -> usize {
        let start = line_start_in(text, line);
        let line_text = text[start..].split('\n').next().unwrap_or("");
        start
            + line_text
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i)
    }
}

/// The identity map: a file's own text.
pub struct FileMap<'t> {
    text: &'t str,
    index: LineIndex,
}

impl<'t> FileMap<'t> {
    pub fn new(text: &'t str) -> FileMap<'t> {
        FileMap {
            text,
            index: LineIndex::new(text),
        }
    }
    /// The text's line index, for callers that need line starts as well as positions.
    pub fn lines(&self) -> &LineIndex {
        &self.index
    }
}

impl SpanMap for FileMap<'_> {
    fn pos(&self, offset: usize) -> Pos {
        self.index.pos(self.text, offset)
    }
}

/// Text that is the value of a YAML scalar, mapped back into the YAML file.
pub struct EmbeddedMap<'t> {
    inner: &'t str,
    inner_index: LineIndex,
    layout: Layout,
}

enum Layout {
    /// Block scalar: inner line k starts at outer (first_line + k, indent + 1). `widths` are
    /// the outer lines' lengths in characters, one per inner line: a blank line of the block
    /// may be shorter than the indentation, and a position there is clamped to its end.
    Block {
        first_line: u32,
        indent: u32,
        widths: Vec<u32>,
    },
    /// Single-line quoted or plain scalar without escapes: a column shift.
    Inline { line: u32, first_col: u32 },
    /// Anything else: every position is the scalar's start (approximate but inside the value).
    Start(Pos),
}

impl<'t> EmbeddedMap<'t> {
    /// `outer` is the YAML file's text, `node` the scalar whose value is `inner`.
    pub fn new(outer: &str, node: &Node, inner: &'t str) -> EmbeddedMap<'t> {
        let style = node.as_scalar().map(|s| s.style);
        let start = node.span.start;
        let layout = match style {
            Some(Style::Literal) => block_layout(outer, node.span, inner),
            // A folded scalar joins its source lines with spaces, so inner columns past the
            // first source line's end belong to later lines: exact only for one source line.
            Some(Style::Folded)
                if !inner.trim_end().contains('\n') && folded_one_line(outer, node.span) =>
            {
                block_layout(outer, node.span, inner)
            }
            Some(Style::SingleQuoted | Style::DoubleQuoted)
                if node.span.start.line == node.span.end.line && no_escapes(inner, node) =>
            {
                Layout::Inline {
                    line: start.line,
                    first_col: start.col + 1,
                }
            }
            Some(Style::Plain) if node.span.start.line == node.span.end.line => Layout::Inline {
                line: start.line,
                first_col: start.col,
            },
            _ => Layout::Start(start),
        };
        EmbeddedMap {
            inner,
            inner_index: LineIndex::new(inner),
            layout,
        }
    }
}

/// True when the quoted source is exactly as long as its value plus the two quotes.
fn no_escapes(inner: &str, node: &Node) -> bool {
    (node.span.end.col - node.span.start.col) as usize == inner.chars().count() + 2
}

/// True when the folded block scalar spanning `span` has at most one non-blank source line
/// (found by fuzz/hcl_in_yaml). The span covers its content lines and ends at column 1 of the
/// line after them (see [`block_layout`]).
fn folded_one_line(outer: &str, span: Span) -> bool {
    let last = if span.end.col == 1 {
        span.end.line.saturating_sub(1)
    } else {
        span.end.line
    };
    let count = last.saturating_sub(span.start.line) as usize + 1;
    lines_from(outer, span.start.line)
        .take(count)
        .filter(|l| !l.trim().is_empty())
        .nth(1)
        .is_none()
}

/// The layout of a literal (or one-line folded) block scalar spanning `span` in `outer`.
///
/// Where the block starts is taken from the span, never from the text around it: a content
/// line that ends in `|` or `>` looks like a block header (`ui= fals#|`, found by
/// fuzz/hcl_in_yaml). saphyr-parser starts a block scalar's span at its first non-blank
/// content line, at the block's indentation (which an indentation indicator such as `|2` may
/// put left of the first line's text); the blank lines before it are the value's leading
/// newlines. A value with no non-blank line starts at its `|`/`>` indicator (then its lines
/// follow the header) or at the next token. `block_scalar_spans_start_at_the_first_content_line`
/// pins this behaviour.
fn block_layout(outer: &str, span: Span, inner: &str) -> Layout {
    let start = span.start;
    let line_count = inner.lines().count();
    let first_content = inner.lines().position(|l| !l.trim().is_empty());
    // The value's leading newlines: all of its lines when it has no content.
    let leading_blank = first_content.unwrap_or(line_count) as u32;
    let at_indicator = || {
        lines_from(outer, start.line)
            .next()
            .and_then(|l| l.chars().nth((start.col as usize).saturating_sub(1)))
            .is_some_and(|c| c == '|' || c == '>')
    };
    let (first_line, indent) = if first_content.is_none() && at_indicator() {
        (start.line + 1, 0)
    } else {
        (
            start.line.saturating_sub(leading_blank).max(1),
            start.col.saturating_sub(1),
        )
    };
    let widths = lines_from(outer, first_line)
        .take(line_count.max(1))
        .map(|l| l.chars().count() as u32)
        .collect();
    Layout::Block {
        first_line,
        indent,
        widths,
    }
}

/// The lines of `text` from its 1-based line `line` on (none past the end): several embedded
/// values of one file each look up their own line.
fn lines_from(text: &str, line: u32) -> std::str::Lines<'_> {
    text[line_start_in(text, line as usize)..].lines()
}

impl SpanMap for EmbeddedMap<'_> {
    fn pos(&self, offset: usize) -> Pos {
        let p = self.inner_index.pos(self.inner, offset);
        match self.layout {
            Layout::Block {
                first_line,
                indent,
                ref widths,
            } => {
                // Past the last line (the end of a text that ends with a newline): the end of
                // the last line instead, which is still inside the block (found by
                // fuzz/hcl_in_yaml).
                let (line, col) = match widths.get(p.line as usize - 1) {
                    Some(_) => (p.line, p.col),
                    None => {
                        let last = widths.len().max(1) as u32;
                        let width = self.inner.lines().last().map_or(0, |l| l.chars().count());
                        (last, width as u32 + 1)
                    }
                };
                let outer_width = widths.get(line as usize - 1).copied().unwrap_or(0);
                Pos::new(first_line + line - 1, (indent + col).min(outer_width + 1))
            }
            Layout::Inline { line, first_col } if p.line == 1 => {
                Pos::new(line, first_col + p.col - 1)
            }
            Layout::Inline { line, first_col } => Pos::new(line, first_col),
            Layout::Start(s) => s,
        }
    }
}

/// A text whose lines are known to start at given file positions: a heredoc body inside a
/// shell script or a Terraform file. Line `k` of the inner text starts at `line_starts[k]`;
/// columns within a line shift by that start (characters, as [`LineIndex`] counts them).
pub struct LinesMap<'t> {
    inner: &'t str,
    inner_index: LineIndex,
    line_starts: Vec<Pos>,
}

impl<'t> LinesMap<'t> {
    pub fn new(inner: &'t str, line_starts: Vec<Pos>) -> LinesMap<'t> {
        LinesMap {
            inner,
            inner_index: LineIndex::new(inner),
            line_starts,
        }
    }

    /// The start of every line of `inner`, where `inner` is `outer[base..]` of a text mapped
    /// by `map` (e.g. a heredoc body in a script).
    pub fn line_starts_in(inner: &str, base: usize, map: &dyn SpanMap) -> Vec<Pos> {
        std::iter::once(0)
            .chain(inner.match_indices('\n').map(|(i, _)| i + 1))
            .map(|off| map.pos(base + off))
            .collect()
    }
}

impl SpanMap for LinesMap<'_> {
    fn pos(&self, offset: usize) -> Pos {
        let p = self.inner_index.pos(self.inner, offset);
        match self.line_starts.get(p.line as usize - 1) {
            Some(s) => Pos::new(s.line, s.col + p.col - 1),
            None => self.line_starts.last().copied().unwrap_or(Pos::START),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::syntax::yaml;

    /// The value at `key` (a path of keys) of the only document of `outer`, and its map.
    fn embedded<'a>(
        outer: &str,
        doc: &'a yaml::Document,
        key: &[&str],
    ) -> (&'a Node, EmbeddedMap<'a>) {
        let node = doc.root.path(key).unwrap();
        let inner = node.as_str().unwrap();
        (node, EmbeddedMap::new(outer, node, inner))
    }

    #[test]
    fn block_scalar_spans_start_at_the_first_content_line() {
        // block_layout relies on where saphyr-parser starts a block scalar's span: at the
        // first non-blank content line and the block's indentation, or for a value without
        // content at its indicator or the next token.
        let cases: &[(&str, &[&str], (u32, u32))] = &[
            ("a: |\n  x\n", &["a"], (2, 3)),
            ("a: | # c\n  x\n", &["a"], (2, 3)),
            ("a: |\n\n  \n  x\n", &["a"], (4, 3)),
            ("a:\n  b: |2\n      x\n", &["a", "b"], (3, 5)),
            ("a: >-\n  x\n", &["a"], (2, 3)),
            ("a: |+\n\n\n", &["a"], (1, 4)),
            ("a: |\nb: 1\n", &["a"], (2, 1)),
            ("a: |+\n\nb: 1\n", &["a"], (3, 1)),
        ];
        for (outer, key, (line, col)) in cases {
            let doc = yaml::parse(outer).documents.remove(0);
            let node = doc.root.path(key).unwrap();
            assert_eq!(node.span.start, Pos::new(*line, *col), "{outer:?}");
        }
    }

    #[test]
    fn content_ending_like_a_header_is_not_a_header() {
        // fuzz/regressions/hcl_in_yaml/content-ends-with-pipe: `ui= fals#|` was taken for the
        // block's `|` header line, so its attribute mapped one line below the block.
        let outer = "data:\n  agent.hcl: |\n    ui= fals#|\n";
        let doc = yaml::parse(outer).documents.remove(0);
        let (_, map) = embedded(outer, &doc, &["data", "agent.hcl"]);
        assert_eq!(map.pos(0), Pos::new(3, 5));
        let outer = "data:\n  agent.hcl: >\n    ui = 1 >\n";
        let doc = yaml::parse(outer).documents.remove(0);
        let (_, map) = embedded(outer, &doc, &["data", "agent.hcl"]);
        assert_eq!(map.pos(5), Pos::new(3, 10));
    }

    #[test]
    fn literal_block_leading_blank_lines_and_indentation_indicator() {
        let outer = "a: |\n\n  x = 1\n";
        let doc = yaml::parse(outer).documents.remove(0);
        let (node, map) = embedded(outer, &doc, &["a"]);
        let inner = node.as_str().unwrap();
        assert_eq!(inner, "\nx = 1\n");
        assert_eq!(map.pos(inner.find('x').unwrap()), Pos::new(3, 3));
        // Only blank lines, kept (`|+`): the span starts at the next token, below them.
        let outer = "a: |+\n\nb: 1\n";
        let doc = yaml::parse(outer).documents.remove(0);
        let (_, map) = embedded(outer, &doc, &["a"]);
        assert_eq!(map.pos(0), Pos::new(2, 1));
        // `|2`: the block is indented 4 (2 past its parent), so `x` is at column 7.
        let outer = "a:\n  b: |2\n      x = 1\n    y = 2\n";
        let doc = yaml::parse(outer).documents.remove(0);
        let (node, map) = embedded(outer, &doc, &["a", "b"]);
        let inner = node.as_str().unwrap();
        assert_eq!(map.pos(inner.find('x').unwrap()), Pos::new(3, 7));
        assert_eq!(map.pos(inner.find('y').unwrap()), Pos::new(4, 5));
    }

    #[test]
    fn folded_hcl_over_several_lines_is_not_mapped_as_one_line() {
        // fuzz/regressions/hcl_in_yaml/folded-multiline: the second attribute of a folded
        // value was mapped onto the first source line, past its end.
        let span_of = |outer: &str| {
            let doc = yaml::parse(outer).documents.remove(0);
            doc.root.path(&["data", "agent.hcl"]).unwrap().span
        };
        let outer = "data:\n  agent.hcl: >\n    a = 1\n    b = 2\nnext: x\n";
        assert!(!folded_one_line(outer, span_of(outer)));
        let one = "data:\n  agent.hcl: >\n    a = 1\nnext: x\n";
        assert!(folded_one_line(one, span_of(one)));
        let ends_like_header = "data:\n  agent.hcl: >\n    a = >\n    b = 2\n";
        assert!(!folded_one_line(
            ends_like_header,
            span_of(ends_like_header)
        ));
    }

    #[test]
    fn literal_block_maps_to_outer_lines() {
        let outer = "server:\n  config: |\n    ui = true\n    listener \"tcp\" {\n      tls_disable = 1\n    }\n";
        let doc = yaml::parse(outer).documents.remove(0);
        let node = doc.root.path(&["server", "config"]).unwrap();
        let inner = node.as_str().unwrap();
        let map = EmbeddedMap::new(outer, node, inner);
        let off = inner.find("tls_disable").unwrap();
        assert_eq!(map.pos(off), Pos::new(5, 7));
    }

    #[test]
    fn literal_block_blank_lines_and_end_stay_inside_the_block() {
        // A blank line without indentation, and the end of a value that ends with a newline.
        let outer = "data:\n  agent.hcl: |\n    a = 1\n\n    b\nnext: x\n";
        let doc = yaml::parse(outer).documents.remove(0);
        let node = doc.root.path(&["data", "agent.hcl"]).unwrap();
        let inner = node.as_str().unwrap();
        assert_eq!(inner, "a = 1\n\nb\n");
        let map = EmbeddedMap::new(outer, node, inner);
        assert_eq!(map.pos(inner.find("\n\n").unwrap() + 1), Pos::new(4, 1));
        assert_eq!(map.pos(inner.len()), Pos::new(5, 6));
    }

    #[test]
    fn lines_map_follows_known_line_starts() {
        let outer = "a\n  x = 1\n  y = 2\n";
        let inner = &outer[2..];
        let map = LinesMap::new(
            inner,
            LinesMap::line_starts_in(inner, 2, &FileMap::new(outer)),
        );
        assert_eq!(map.pos(inner.find('y').unwrap()), Pos::new(3, 3));
        let shifted = LinesMap::new("p = 1\nq = 2", vec![Pos::new(10, 5), Pos::new(11, 5)]);
        assert_eq!(shifted.pos(6), Pos::new(11, 5));
        assert_eq!(shifted.pos(4), Pos::new(10, 9));
    }

    #[test]
    fn quoted_single_line_shifts_columns() {
        let outer = "cfg: \"tls_disable = 1\"\n";
        let doc = yaml::parse(outer).documents.remove(0);
        let node = doc.root.get("cfg").unwrap();
        let inner = node.as_str().unwrap();
        let map = EmbeddedMap::new(outer, node, inner);
        assert_eq!(map.pos(inner.find('1').unwrap()), Pos::new(1, 21));
    }
}
