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
            Some(Style::Literal) => block_layout(outer, start.line, inner),
            // A folded scalar joins its source lines with spaces, so inner columns past the
            // first source line's end belong to later lines: exact only for one source line.
            Some(Style::Folded)
                if !inner.trim_end().contains('\n') && folded_one_line(outer, start.line) =>
            {
                block_layout(outer, start.line, inner)
            }
            Some(Style::SingleQuoted | Style::DoubleQuoted)
                if node.span.start.line == node.span.end.line && no_escapes(inner, outer, node) =>
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
fn no_escapes(inner: &str, _outer: &str, node: &Node) -> bool {
    (node.span.end.col - node.span.start.col) as usize == inner.chars().count() + 2
}

/// True when the folded block scalar whose span starts on `start_line` (its `>` header or
/// first content line) has at most one non-blank content line, found by fuzz/hcl_in_yaml.
fn folded_one_line(outer: &str, start_line: u32) -> bool {
    let mut lines = lines_from(outer, start_line);
    let Some(first) = lines.next() else {
        return true;
    };
    let code = first.split(" #").next().unwrap_or("").trim_end();
    let on_header = code
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
        .ends_with('>');
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut content = lines.filter(|l| !l.trim().is_empty());
    let Some(body) = (if on_header {
        content.next()
    } else {
        Some(first)
    }) else {
        return true;
    };
    let body_indent = indent(body);
    // A second content line at the block's indentation (or deeper) is part of the value.
    content.next().is_none_or(|l| indent(l) < body_indent)
}

fn block_layout(outer: &str, start_line: u32, inner: &str) -> Layout {
    // The scalar's span may start on the `|`/`>` header line or on the first content line,
    // depending on the parser; the content starts after the header either way.
    let from_start = lines_from(outer, start_line);
    let line = from_start.clone().next().unwrap_or("");
    let code = line.split(" #").next().unwrap_or("").trim_end();
    let header = code
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
        .ends_with(['|', '>']);
    let (first_line, content) = if header {
        let mut rest = from_start;
        rest.next();
        (start_line + 1, rest)
    } else {
        (start_line, from_start)
    };
    let indent = content
        .clone()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.chars().take_while(|c| *c == ' ').count()) as u32;
    let widths = content
        .take(inner.lines().count().max(1))
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

    #[test]
    fn folded_hcl_over_several_lines_is_not_mapped_as_one_line() {
        // fuzz/regressions/hcl_in_yaml/folded-multiline: the second attribute of a folded
        // value was mapped onto the first source line, past its end.
        let outer = "data:\n  agent.hcl: >\n    a = 1\n    b = 2\nnext: x\n";
        assert!(!folded_one_line(outer, 2));
        let one = "data:\n  agent.hcl: >\n    a = 1\nnext: x\n";
        assert!(folded_one_line(one, 2));
        assert!(folded_one_line(one, 3));
    }
    use crate::syntax::yaml;

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
