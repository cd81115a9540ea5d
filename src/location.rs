//! Positions in source files: 1-based line and column (columns count Unicode code points,
//! which is what SARIF's `unicodeCodePoints` column kind means and what editors show).

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A 1-based line and column (column in Unicode code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, col: 1 };
    pub fn new(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }
}

/// A range in one file: `start` inclusive, `end` exclusive (the column just after the last
/// character, as SARIF's `endColumn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn new(start: Pos, end: Pos) -> Span {
        Span { start, end }
    }
    /// A zero-width span at the start of a file, for facts no line holds.
    pub fn file_start() -> Span {
        Span::new(Pos::START, Pos::START)
    }
    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.start.line, self.start.col)
    }
}

/// A place a finding points at: a file and a span in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Path as given or discovered (relative to the scan root where possible), `/`-separated.
    pub path: Arc<str>,
    pub span: Span,
}

impl Location {
    pub fn new(path: Arc<str>, span: Span) -> Location {
        Location { path, span }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.span)
    }
}

/// Byte offset where the 1-based `line` of `text` starts, or the text's length past its last
/// line. For one lookup without building a [`LineIndex`].
pub fn line_start_in(text: &str, line: usize) -> usize {
    match line.saturating_sub(1) {
        0 => 0,
        skip => memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(skip - 1)
            .map_or(text.len(), |i| i + 1),
    }
}

/// Maps byte offsets of a text to line/column positions. Built once per file in O(n);
/// each lookup finds the line (the last one found or the next, else a binary search) and
/// scans it.
#[derive(Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
    /// The line (from 0) of the last lookup. Positions are mostly asked for in text order
    /// (an HCL tree's spans, start then end), so the next one is usually on it or the next
    /// line. Only a hint, checked before use: atomic so the index stays shareable.
    last_line: AtomicUsize,
}

impl Clone for LineIndex {
    fn clone(&self) -> LineIndex {
        LineIndex {
            line_starts: self.line_starts.clone(),
            last_line: AtomicUsize::new(self.last_line.load(Ordering::Relaxed)),
        }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            last_line: AtomicUsize::new(0),
        }
    }

    /// The line (from 0) holding a byte offset no greater than the text's length.
    fn line_of(&self, offset: usize) -> usize {
        let starts = &self.line_starts;
        let holds = |line: usize| {
            starts.get(line).is_some_and(|&s| s <= offset)
                && starts.get(line + 1).is_none_or(|&next| offset < next)
        };
        let hint = self.last_line.load(Ordering::Relaxed);
        let line = if holds(hint) {
            hint
        } else if holds(hint + 1) {
            hint + 1
        } else {
            starts.partition_point(|&s| s <= offset) - 1
        };
        self.last_line.store(line, Ordering::Relaxed);
        line
    }

    /// The line (from 0) holding a byte offset (clamped to the text's length `len`).
    pub fn line_at(&self, offset: usize, len: usize) -> usize {
        self.line_of(offset.min(len))
    }

    /// Position of a byte offset (clamped to the text; a non-boundary offset counts the
    /// characters before it).
    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = text.get(start..offset).map_or_else(
            || {
                text.as_bytes()[start..offset]
                    .iter()
                    .filter(|b| (**b & 0xC0) != 0x80)
                    .count()
            },
            |s| s.chars().count(),
        );
        Pos::new(line as u32 + 1, col as u32 + 1)
    }

    /// Span of a byte range.
    pub fn span(&self, text: &str, range: std::ops::Range<usize>) -> Span {
        Span::new(self.pos(text, range.start), self.pos(text, range.end))
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)? as usize).copied()
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based `n`th line of `text` (the text this index was built from), exactly as
    /// `text.lines().nth(n)` yields it (`\n` and one `\r` before it stripped, no line after a
    /// final newline) without walking the lines before it.
    pub fn line<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.line_starts.get(n)?;
        if start >= text.len() {
            return None;
        }
        let end = self.line_starts.get(n + 1).map_or(text.len(), |&e| e);
        let line = &text[start..end];
        let Some(line) = line.strip_suffix('\n') else {
            return Some(line);
        };
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The lines of `text` from the 0-based `n`th on, as `text.lines().skip(n)` yields them.
    pub fn lines_from<'t>(&self, text: &'t str, n: usize) -> std::str::Lines<'t> {
        let start = self
            .line_starts
            .get(n)
            .map_or(text.len(), |&s| s.min(text.len()));
        text[start..].lines()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every offset maps to the position a count from the text's start gives, whatever the
    /// order of lookups (in text order the remembered line answers; otherwise the search).
    #[test]
    fn positions_do_not_depend_on_lookup_order() {
        let text = "ab\n\nçd: x\n\n\nlast 日本\n";
        let naive = |offset: usize| {
            let before = &text.as_bytes()[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let col = before[start..]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count() as u32;
            Pos::new(line, col + 1)
        };
        let idx = LineIndex::new(text);
        let forward: Vec<usize> = (0..=text.len()).collect();
        let backward: Vec<usize> = forward.iter().rev().copied().collect();
        let scattered: Vec<usize> = (0..=text.len())
            .map(|i| (i * 7) % (text.len() + 1))
            .collect();
        for order in [forward, backward, scattered] {
            for offset in order {
                assert_eq!(idx.pos(text, offset), naive(offset), "offset {offset}");
            }
        }
        assert_eq!(idx.pos(text, text.len() + 5), naive(text.len()));
    }

    /// The offset `line_start_in` finds is where the index says that line starts, and the
    /// text's end for every line past the last.
    #[test]
    fn line_start_in_agrees_with_the_index() {
        let text = "ab\n\nçd: x\nlast";
        let idx = LineIndex::new(text);
        for line in 1..=4 {
            assert_eq!(
                Some(line_start_in(text, line)),
                idx.line_start(line as u32),
                "line {line}"
            );
        }
        assert_eq!(line_start_in(text, 0), 0);
        assert_eq!(line_start_in(text, 5), text.len());
        assert_eq!(line_start_in("a\n", 2), 2);
        assert_eq!(line_start_in("a\n", 3), 2);
    }

    /// Every line `line` and `lines_from` give is what walking `str::lines` from the top gives,
    /// at every index and past the end, whatever the line endings (CRLF, a lone `\r`, a BOM,
    /// blank lines, a last line with or without its newline, an empty text).
    #[test]
    fn line_lookups_match_str_lines() {
        let texts = [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\n",
            "a\r",
            "\u{feff}first\r\nsecond\r\n\r\nfourth\r",
            "x\n\n\ny: 日本\r\n  z\rw\nlast",
            "\r\n\r\n",
            "tail\n\n",
        ];
        for text in texts {
            let idx = LineIndex::new(text);
            let count = text.lines().count();
            for n in 0..count + 3 {
                assert_eq!(idx.line(text, n), text.lines().nth(n), "{text:?} line {n}");
                assert!(
                    idx.lines_from(text, n).eq(text.lines().skip(n)),
                    "{text:?} from {n}"
                );
            }
        }
    }

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let text = "ab\nçd: x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.pos(text, 0), Pos::new(1, 1));
        assert_eq!(idx.pos(text, 3), Pos::new(2, 1));
        // 'ç' is two bytes: the ':' after "çd" is at byte 6, column 3.
        assert_eq!(idx.pos(text, 6), Pos::new(2, 3));
        assert_eq!(idx.pos(text, 999), Pos::new(3, 1));
    }
}
