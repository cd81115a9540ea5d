//! A span-keeping YAML tree built from saphyr-parser events.
//!
//! We build our own tree instead of using saphyr's `MarkedYaml` because the linter needs what
//! no loader gives together: spans on every key and value, the scalar style (YAML 1.1 booleans
//! such as `yes` are booleans only when plain — Kubernetes and Helm read YAML 1.1), merge keys
//! (`<<`) expanded, duplicate keys kept (last wins, like go-yaml v2) and reported instead of
//! aborting the document, an alias-expansion budget against alias bombs, a nesting limit, and
//! recovery at the next `---` after a syntax error so one broken document does not hide the
//! rest of the stream.

use crate::location::{Pos, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use std::collections::HashMap;

/// Nodes one file may create through aliases before expansion stops (alias bombs).
pub const ALIAS_BUDGET: usize = 100_000;
/// Deepest nesting accepted (the tree is built iteratively, but rules walk it recursively).
pub const MAX_DEPTH: usize = 256;

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A YAML node with the span of its text in the file.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub struct Scalar {
    /// The scalar's value (boxed, not a `String`: every tree is kept until the rules have
    /// run, and a capacity word per scalar adds up over millions of nodes).
    pub text: Box<str>,
    pub style: Style,
    /// An explicit tag such as `!!str`, if any. Behind one thin pointer: tags are rare, and
    /// a wide one would widen every node.
    pub tag: Option<Box<String>>,
}

/// One mapping entry. `merged` entries came from a `<<` merge key.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
    pub merged: bool,
}

// Every tree is kept until the cross-file rules have run (millions of nodes on a large
// scan): a wider node is paid for in memory and page faults.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Node>() == 48 && std::mem::size_of::<Entry>() == 104);

/// A problem found while building the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlIssue {
    pub span: Span,
    pub message: String,
    /// Errors lose content (a document or part of it); warnings do not.
    pub is_error: bool,
}

/// One `---` document.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Node,
    /// Index of the document within the stream, from 0.
    pub index: usize,
}

/// The result of parsing a YAML stream: every document that could be read, and every issue.
#[derive(Debug, Default)]
pub struct Stream {
    pub documents: Vec<Document>,
    pub issues: Vec<YamlIssue>,
}

/// The typed reading of a plain scalar under the YAML 1.1 rules Kubernetes and Helm use.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }
    /// The scalar text, whatever its type (`true`, `8200` and `"x"` all give their text).
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| &*s.text)
    }
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }
    /// The entry for `key` (the last one when the key is duplicated, as go-yaml v2 keeps it).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.get(self.entry_index(key)?)
    }
    /// The position among this mapping's entries of the one [`Node::entry`] finds, for
    /// callers that remember where a key sits instead of searching for it again.
    pub fn entry_index(&self, key: &str) -> Option<usize> {
        self.as_map()?
            .iter()
            .rposition(|e| e.key.as_str() == Some(key))
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }
    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |n, k| n.get(k))
    }
    /// Mapping entries whose keys are scalars, as (key text, entry).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.as_map()
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| Some((e.key.as_str()?, e)))
    }
    /// Sequence items (empty for anything else).
    pub fn items(&self) -> &[Node] {
        self.as_seq().unwrap_or(&[])
    }
    /// True for a null scalar (`~`, `null`, empty plain) — a key with no value.
    pub fn is_null(&self) -> bool {
        matches!(self.typed(), Some(Typed::Null))
    }
    /// The YAML 1.1 typed reading of a scalar (quoted scalars are always strings).
    pub fn typed(&self) -> Option<Typed<'_>> {
        self.as_scalar().map(Scalar::typed)
    }
}

impl Scalar {
    /// YAML 1.1 typing as go-yaml v2 (kubectl, Helm) applies it to plain scalars.
    pub fn typed(&self) -> Typed<'_> {
        if self.style != Style::Plain || self.tag.as_deref().is_some_and(|t| t.ends_with("str")) {
            return Typed::Str(&self.text);
        }
        let t = self.text.as_ref();
        match t {
            "" | "~" | "null" | "Null" | "NULL" => Typed::Null,
            "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
                Typed::Bool(true)
            }
            "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off"
            | "OFF" => Typed::Bool(false),
            _ => {
                let digits = t.replace('_', "");
                if let Ok(i) = digits.parse::<i64>() {
                    Typed::Int(i)
                } else if let Some(h) = digits
                    .strip_prefix("0x")
                    .and_then(|h| i64::from_str_radix(h, 16).ok())
                {
                    Typed::Int(h)
                } else if looks_like_float(&digits) {
                    digits.parse::<f64>().map_or(Typed::Str(t), Typed::Float)
                } else {
                    Typed::Str(t)
                }
            }
        }
    }
}

fn looks_like_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    s.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && s.chars().any(|c| c.is_ascii_digit())
}

/// Parses a YAML stream. Never fails: unreadable parts become issues.
pub fn parse(text: &str) -> Stream {
    let mut stream = Stream::default();
    let mut offset = Offset::default();
    let mut rest = text;
    loop {
        let at = Positions::new(rest, offset);
        match parse_from(rest, &at, &mut stream) {
            Ok(()) => break,
            Err(err) => {
                // An error at the end of input can be marked past the last line (found by
                // fuzz/yaml_classify): report it at the text's last character instead.
                let err_pos = at.pos(*err.marker());
                let at = clamp_to_text(text, err_pos);
                stream.issues.push(YamlIssue {
                    span: Span::new(at, at),
                    message: format!("YAML syntax error: {}", err.info()),
                    is_error: true,
                });
                // Resume at the next document marker after the error, if any.
                let err_line_in_rest = (err_pos.line - offset.line) as usize;
                match next_document_start(rest, err_line_in_rest) {
                    Some((byte, lines_skipped)) => {
                        offset.line += lines_skipped as u32;
                        rest = &rest[byte..];
                    }
                    None => break,
                }
            }
        }
    }
    stream
}

/// `pos`, or the position just after the text's last character when `pos` lies beyond it.
fn clamp_to_text(text: &str, pos: Pos) -> Pos {
    let lines = text.split('\n').count() as u32;
    let last_width = |line: u32| {
        text.split('\n')
            .nth(line as usize - 1)
            .map_or(0, |l| l.chars().count() as u32)
    };
    if pos.line > lines {
        return Pos::new(lines, last_width(lines) + 1);
    }
    if pos.line >= 1 && pos.col > last_width(pos.line) + 1 {
        return Pos::new(pos.line, last_width(pos.line) + 1);
    }
    pos
}

/// Byte offset and line count (0-based lines skipped) of the first `---` line after `line`.
fn next_document_start(text: &str, line: usize) -> Option<(usize, usize)> {
    let mut byte = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i > 0
            && i + 1 >= line
            && (l.starts_with("---") && l[3..].starts_with([' ', '\t', '\n', '\r'])
                || l.trim_end() == "---")
        {
            return Some((byte, i));
        }
        byte += l.len();
    }
    None
}

/// The (1-based line, 0-based column) just after the closing quote of a quoted scalar that
/// starts at `start` (1-based line, 0-based column), or `None` when the text there is not a
/// quote.
fn quoted_end(
    text: &str,
    line_starts: &[usize],
    start: (usize, usize),
    double: bool,
) -> Option<(usize, usize)> {
    let line_start = *line_starts.get(start.0.checked_sub(1)?)?;
    let from = line_start
        + text
            .get(line_start..)?
            .char_indices()
            .nth(start.1)
            .map(|(i, _)| i)?;
    let quote = if double { '"' } else { '\'' };
    let mut chars = text.get(from..)?.chars().peekable();
    if chars.next()? != quote {
        return None;
    }
    let (mut line, mut col) = (start.0, start.1 + 1);
    while let Some(c) = chars.next() {
        col += 1;
        match c {
            '\n' => {
                line += 1;
                col = 0;
            }
            '\\' if double => {
                if chars.next()? == '\n' {
                    line += 1;
                    col = 0;
                } else {
                    col += 1;
                }
            }
            '\'' if !double && chars.peek() == Some(&'\'') => {
                chars.next();
                col += 1;
            }
            c if c == quote => return Some((line, col)),
            _ => {}
        }
    }
    None
}

/// Where a re-parsed slice starts in the file (lines before it).
#[derive(Debug, Default, Clone, Copy)]
struct Offset {
    line: u32,
}

impl Offset {
    fn apply(self, line: usize, col0: usize) -> Pos {
        Pos::new(line as u32 + self.line, col0 as u32 + 1)
    }
}

/// Turns saphyr's markers into sealant positions, kept inside the text.
///
/// Three ways saphyr's markers can disagree with sealant's lines, each found by fuzzing:
/// - saphyr counts a lone `\r` as a line break (YAML 1.2 §5.4), but sealant numbers lines by
///   `\n` alone everywhere (the file's line index, HCL spans, SARIF regions), so in a text with
///   a lone `\r` every position after it would be a line too far — past the end of the file at
///   worst (fuzz/hcl_in_yaml).
/// - saphyr-parser 0.3.4 advances its marker by *bytes* over a directive's name and parameters
///   (`StrInput::fetch_while_is_yaml_non_space` returns a byte count), so on a `%` line with
///   non-ASCII characters a column runs past the line's end and every later character index
///   is off by the surplus (fuzz/yaml_classify). Positions therefore come from the marker's
///   line and column, never its index: the line count is right and the column restarts at
///   each break.
/// - saphyr places the empty node of a document that ends in a comment without a final newline
///   on the line after the last one (fuzz/yaml_classify).
///
/// Texts with a lone `\r` or a non-ASCII directive line are rare, so only they pay for a table
/// of saphyr's lines and sealant's line widths, against which every position is mapped and
/// clamped. Other texts need only the last line's bounds.
struct Positions {
    offset: Offset,
    /// The table for the rare texts described above.
    lines: Option<LineTable>,
    /// The text's last line (1-based, by `\n`, before the offset) and its width in chars.
    last_line: usize,
    last_width: usize,
}

/// Where saphyr's lines sit among sealant's, and how wide sealant's lines are.
struct LineTable {
    /// For each saphyr line (breaks at `\r\n`, `\n` and a lone `\r`): the 1-based `\n` line
    /// it lies on and the character column it starts at there.
    saphyr_lines: Vec<(usize, usize)>,
    /// Width in characters of each `\n` line, without its `\n`.
    widths: Vec<usize>,
}

impl LineTable {
    fn new(text: &str) -> LineTable {
        let mut saphyr_lines = vec![(1, 0)];
        let mut widths = Vec::new();
        let (mut line, mut col) = (1, 0);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => {
                    widths.push(col);
                    line += 1;
                    col = 0;
                    saphyr_lines.push((line, 0));
                }
                '\r' if chars.peek() != Some(&'\n') => {
                    col += 1;
                    saphyr_lines.push((line, col));
                }
                _ => col += 1,
            }
        }
        widths.push(col);
        LineTable {
            saphyr_lines,
            widths,
        }
    }

    /// The (1-based `\n` line, 0-based column) of saphyr's 1-based `line` and `col`, clamped
    /// to the text.
    fn map(&self, line: usize, col: usize) -> (usize, usize) {
        let Some(&(line, start)) = self.saphyr_lines.get(line.max(1) - 1) else {
            return (self.widths.len(), self.widths[self.widths.len() - 1]);
        };
        (line, (start + col).min(self.widths[line - 1]))
    }
}

impl Positions {
    fn new(text: &str, offset: Offset) -> Positions {
        let bytes = text.as_bytes();
        let lone_cr = text.contains('\r')
            && bytes
                .iter()
                .enumerate()
                .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        let wide_directive = (text.starts_with('%')
            || memchr::memmem::find(bytes, b"\n%").is_some())
            && !text.is_ascii();
        let tail = text.rfind('\n').map_or(text, |i| &text[i + 1..]);
        Positions {
            offset,
            lines: (lone_cr || wide_directive).then(|| LineTable::new(text)),
            last_line: memchr::memchr_iter(b'\n', bytes).count() + 1,
            last_width: tail.chars().count(),
        }
    }

    fn pos(&self, m: saphyr_parser::Marker) -> Pos {
        let (line, col0) = match &self.lines {
            None => (m.line(), m.col()),
            Some(table) => table.map(m.line(), m.col()),
        };
        let (line, col0) = match line.cmp(&self.last_line) {
            std::cmp::Ordering::Greater => (self.last_line, self.last_width),
            std::cmp::Ordering::Equal => (line, col0.min(self.last_width)),
            std::cmp::Ordering::Less => (line, col0),
        };
        self.offset.apply(line, col0)
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        Span::new(self.pos(s.start), self.pos(s.end))
    }
}

/// An open sequence or mapping. Its finished items wait on the shared `open_items` and
/// `open_entries` stacks from index `first` on, so that each collection is allocated once,
/// at its size, when it closes: growing a vector per collection and shrinking it to fit
/// (every tree is kept until the rules run) reallocated and copied most of them.
enum Frame {
    Seq {
        first: usize,
        start: Span,
        anchor: usize,
    },
    Map {
        first: usize,
        pending_key: Option<Node>,
        start: Span,
        anchor: usize,
    },
}

fn parse_from(text: &str, at: &Positions, stream: &mut Stream) -> Result<(), ScanError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut open_items: Vec<Node> = Vec::new();
    let mut open_entries: Vec<Entry> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut budget = ALIAS_BUDGET;
    let mut alias_exhausted = false;
    let mut too_deep = false;
    let mut line_starts: Option<Vec<usize>> = None;
    for event in Parser::new_from_str(text) {
        let (event, raw_span) = event?;
        let mut span = at.span(raw_span);
        if let Event::Scalar(
            _,
            style @ (ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted),
            ..,
        ) = &event
        {
            // saphyr ends a quoted scalar followed by a comment at the end of the comment;
            // the scalar ends at its closing quote.
            let starts = line_starts.get_or_insert_with(|| {
                std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect()
            });
            let start = (
                (span.start.line - at.offset.line) as usize,
                span.start.col as usize - 1,
            );
            if let Some((line, col)) =
                quoted_end(text, starts, start, *style == ScalarStyle::DoubleQuoted)
            {
                span.end = at.offset.apply(line, col);
            }
        }
        let node = match event {
            Event::DocumentStart(_) => {
                anchors.clear();
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                // The scanner grows scalar buffers generously; every tree is kept until the
                // rules have run, so spare capacity would be most of the scan's peak memory.
                let text: Box<str> = text.into();
                let node = Node {
                    value: Value::Scalar(Scalar {
                        text,
                        style: match style {
                            ScalarStyle::Plain => Style::Plain,
                            ScalarStyle::SingleQuoted => Style::SingleQuoted,
                            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                            ScalarStyle::Literal => Style::Literal,
                            ScalarStyle::Folded => Style::Folded,
                        },
                        tag: tag.map(|t| Box::new(format!("{}{}", t.handle, t.suffix))),
                    }),
                    span,
                };
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    if !too_deep {
                        stream.issues.push(YamlIssue {
                            span,
                            message: format!("YAML nested deeper than {MAX_DEPTH} levels; the document is not read"),
                            is_error: true,
                        });
                    }
                    too_deep = true;
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        first: open_items.len(),
                        start: span,
                        anchor,
                    }
                } else {
                    Frame::Map {
                        first: open_entries.len(),
                        pending_key: None,
                        start: span,
                        anchor,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match stack.pop() {
                    Some(Frame::Seq {
                        first,
                        start,
                        anchor,
                    }) => {
                        let items: Vec<Node> = open_items.drain(first..).collect();
                        let end = items.last().map_or(span.end, |n| n.span.end.max(start.end));
                        (
                            Node {
                                value: Value::Seq(items),
                                span: Span::new(start.start, end),
                            },
                            anchor,
                        )
                    }
                    Some(Frame::Map {
                        first,
                        start,
                        anchor,
                        ..
                    }) => {
                        let entries: Vec<Entry> = open_entries.drain(first..).collect();
                        let end = entries
                            .last()
                            .map_or(span.end, |e| e.value.span.end.max(start.end));
                        let entries = expand_merges(entries, &mut stream.issues);
                        (
                            Node {
                                value: Value::Map(entries),
                                span: Span::new(start.start, end),
                            },
                            anchor,
                        )
                    }
                    None => continue,
                };
                let (node, anchor) = node;
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(target) if !alias_exhausted => {
                    let cost = count_nodes(target);
                    if cost > budget {
                        stream.issues.push(YamlIssue {
                            span,
                            message: format!("YAML aliases expand to more than {ALIAS_BUDGET} nodes (alias bomb?); further aliases are not expanded"),
                            is_error: true,
                        });
                        alias_exhausted = true;
                        null_at(span)
                    } else {
                        budget -= cost;
                        let mut copy = target.clone();
                        copy.span = span;
                        copy
                    }
                }
                _ => null_at(span),
            },
            Event::DocumentEnd => continue,
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
        };
        // Attach the finished node to its parent, or close the document.
        match stack.last_mut() {
            Some(Frame::Seq { .. }) => open_items.push(node),
            Some(Frame::Map { pending_key, .. }) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => open_entries.push(Entry {
                    key,
                    value: node,
                    merged: false,
                }),
            },
            None => {
                if !std::mem::take(&mut too_deep) {
                    let index = stream.documents.len();
                    stream.documents.push(Document { root: node, index });
                }
            }
        }
    }
    Ok(())
}

fn null_at(span: Span) -> Node {
    Node {
        value: Value::Scalar(Scalar {
            text: Box::default(),
            style: Style::Plain,
            tag: None,
        }),
        span,
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Scalar(_) => 0,
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| count_nodes(&e.key) + count_nodes(&e.value))
            .sum(),
    }
}

/// Applies `<<` merge keys (YAML 1.1 merge, as go-yaml does): keys written in the mapping win
/// over merged ones; among several merge sources the first wins. Also reports duplicate keys.
fn expand_merges(entries: Vec<Entry>, issues: &mut Vec<YamlIssue>) -> Vec<Entry> {
    fn is_merge(e: &Entry) -> bool {
        e.key
            .as_scalar()
            .is_some_and(|s| &*s.text == "<<" && s.style == Style::Plain)
    }
    fn key(e: &Entry) -> Option<&str> {
        e.key.as_str().filter(|_| !is_merge(e))
    }
    let mut report = |k: &str, at: Span, first: Span| {
        issues.push(YamlIssue {
            span: at,
            message: format!(
                "duplicate key `{k}` (first at line {}); the last value is used",
                first.start.line
            ),
            is_error: false,
        });
    };
    // Nearly every mapping has a handful of keys: comparing each with those before it beats
    // building a hash map per mapping. Either way a duplicate is reported against the
    // nearest earlier occurrence.
    if entries.len() <= SMALL_MAPPING {
        for (i, e) in entries.iter().enumerate() {
            if let Some(k) = key(e) {
                if let Some(first) = entries[..i].iter().rev().find(|p| key(p) == Some(k)) {
                    report(k, e.key.span, first.key.span);
                }
            }
        }
    } else {
        let mut seen: HashMap<&str, Span> = HashMap::with_capacity(entries.len());
        for e in &entries {
            if let Some(k) = key(e) {
                if let Some(first) = seen.insert(k, e.key.span) {
                    report(k, e.key.span, first);
                }
            }
        }
    }
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let mut own = Vec::with_capacity(entries.len());
    let mut sources = Vec::new();
    for e in entries {
        if is_merge(&e) {
            match e.value.value {
                Value::Map(m) => sources.push(m),
                Value::Seq(items) => {
                    sources.extend(items.into_iter().filter_map(|n| match n.value {
                        Value::Map(m) => Some(m),
                        _ => None,
                    }))
                }
                Value::Scalar(_) => {}
            }
        } else {
            own.push(e);
        }
    }
    let mut present: std::collections::HashSet<String> = own
        .iter()
        .filter_map(|e| e.key.as_str().map(str::to_owned))
        .collect();
    let mut merged = Vec::new();
    for source in sources {
        for mut e in source {
            if let Some(k) = e.key.as_str() {
                if present.insert(k.to_owned()) {
                    e.merged = true;
                    merged.push(e);
                }
            }
        }
    }
    // Merged entries first so that `entry()` (last wins) still prefers the mapping's own keys.
    merged.extend(own);
    merged.shrink_to_fit();
    merged
}

/// Mappings up to this many entries look for duplicate keys without a hash map.
const SMALL_MAPPING: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_at_the_end_of_input_point_inside_the_text() {
        // fuzz/regressions/yaml_classify/eof-error-past-last-line: an unclosed flow mapping
        // at the end of a later document was reported one line past the end of the file.
        let text = "a: 1\n---\n# c\nb: 2\nc: {x: 1, y: 2";
        let stream = parse(text);
        let lines = text.split('\n').count() as u32;
        assert!(!stream.issues.is_empty());
        for i in &stream.issues {
            assert!(i.span.start.line <= lines, "{:?}", i.span);
            let width = text
                .split('\n')
                .nth(i.span.start.line as usize - 1)
                .unwrap()
                .len() as u32;
            assert!(i.span.start.col <= width + 1, "{:?}", i.span);
        }
        assert_eq!(clamp_to_text("ab\ncd", Pos::new(9, 1)), Pos::new(2, 3));
        assert_eq!(clamp_to_text("ab\ncd", Pos::new(1, 7)), Pos::new(1, 3));
        assert_eq!(clamp_to_text("ab\ncd", Pos::new(2, 2)), Pos::new(2, 2));
    }

    fn one(text: &str) -> Node {
        let s = parse(text);
        assert!(s.issues.is_empty(), "{:?}", s.issues);
        s.documents.into_iter().next().unwrap().root
    }

    #[test]
    fn keys_and_values_carry_exact_spans() {
        let n = one("a:\n  bb: \"x y\"\n");
        let e = n.get("a").unwrap().entry("bb").unwrap();
        assert_eq!(e.key.span, Span::new(Pos::new(2, 3), Pos::new(2, 5)));
        assert_eq!(e.value.span, Span::new(Pos::new(2, 7), Pos::new(2, 12)));
    }

    #[test]
    fn yaml11_booleans_only_when_plain() {
        let n = one("a: yes\nb: 'yes'\nc: off\nd: 0x1F\ne: ~\n");
        assert_eq!(n.get("a").unwrap().typed(), Some(Typed::Bool(true)));
        assert_eq!(n.get("b").unwrap().typed(), Some(Typed::Str("yes")));
        assert_eq!(n.get("c").unwrap().typed(), Some(Typed::Bool(false)));
        assert_eq!(n.get("d").unwrap().typed(), Some(Typed::Int(31)));
        assert!(n.get("e").unwrap().is_null());
    }

    #[test]
    fn merge_keys_expand_and_own_keys_win() {
        let n = one("base: &b\n  x: 1\n  y: 2\nm:\n  <<: *b\n  y: 3\n");
        let m = n.get("m").unwrap();
        assert_eq!(m.get("x").unwrap().as_str(), Some("1"));
        assert_eq!(m.get("y").unwrap().as_str(), Some("3"));
        assert!(m.entry("x").unwrap().merged);
    }

    #[test]
    fn duplicate_keys_warn_and_last_wins() {
        let s = parse("a: 1\na: 2\n");
        assert_eq!(s.documents[0].root.get("a").unwrap().as_str(), Some("2"));
        assert_eq!(s.issues.len(), 1);
        assert!(!s.issues[0].is_error);
        assert_eq!(s.issues[0].span.start, Pos::new(2, 1));
    }

    /// Small and large mappings (two ways of finding duplicates) report the same: each
    /// repeat against the nearest earlier occurrence, merge keys never.
    #[test]
    fn duplicate_keys_are_found_the_same_way_in_small_and_large_mappings() {
        for filler in [0, 2 * SMALL_MAPPING] {
            let mut text = String::from("a: 1\nb: 0\na: 2\n<<: {c: 1}\n<<: {d: 1}\n");
            for i in 0..filler {
                text.push_str(&format!("k{i}: {i}\n"));
            }
            text.push_str("a: 3\n");
            let s = parse(&text);
            let found: Vec<_> = s
                .issues
                .iter()
                .map(|i| (i.span.start.line, i.message.clone()))
                .collect();
            let last = 6 + filler as u32;
            assert_eq!(
                found,
                [
                    (
                        3,
                        "duplicate key `a` (first at line 1); the last value is used".to_owned()
                    ),
                    (
                        last,
                        "duplicate key `a` (first at line 3); the last value is used".to_owned()
                    ),
                ],
                "{filler} filler keys"
            );
        }
    }

    #[test]
    fn recovers_after_a_broken_document() {
        let s = parse("a: 1\n---\nb: [\n---\nc: 3\n");
        let keys: Vec<_> = s
            .documents
            .iter()
            .map(|d| d.root.as_map().unwrap()[0].key.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(keys, ["a", "c"]);
        assert_eq!(s.issues.len(), 1);
        assert!(s.issues[0].is_error);
        // The third document starts on line 5 of the file.
        assert_eq!(s.documents[1].root.span.start.line, 5);
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        let s = parse(&text);
        assert!(s.issues.iter().any(|i| i.message.contains("alias bomb")));
    }

    #[test]
    fn deep_nesting_is_an_issue_not_a_crash() {
        let text = "[".repeat(5000);
        let s = parse(&text);
        assert!(!s.issues.is_empty());
    }

    #[test]
    fn multi_document_positions() {
        let s = parse("a: 1\n---\nb: 2\n...\n---\nc: 3");
        let lines: Vec<_> = s
            .documents
            .iter()
            .map(|d| d.root.as_map().unwrap()[0].key.span.start.line)
            .collect();
        assert_eq!(lines, [1, 3, 6]);
    }
}

#[cfg(test)]
mod quoted_span_tests {
    use super::*;

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        let n = parse("a: \"x\\\"y\" # c\nb: 'it''s' # c\n")
            .documents
            .remove(0)
            .root;
        assert_eq!(
            n.get("a").unwrap().span,
            Span::new(Pos::new(1, 4), Pos::new(1, 10))
        );
        assert_eq!(
            n.get("b").unwrap().span,
            Span::new(Pos::new(2, 4), Pos::new(2, 11))
        );
    }
}

#[cfg(test)]
mod position_tests {
    //! Positions kept on sealant's `\n` lines and inside the text, whatever saphyr reports.
    use super::*;

    /// YAML reads a lone `\r` as a line break; positions still count `\n` lines only, so
    /// nothing after it lands past the end of the file.
    #[test]
    fn lone_carriage_return_keeps_positions_on_newline_lines() {
        let text = "a: 1\rb: 'x' # c\nc: 3\n";
        let n = parse(text).documents.remove(0).root;
        assert_eq!(
            n.get("b").unwrap().as_str(),
            Some("x"),
            "\\r separates keys"
        );
        // `b` sits on line 1 (by `\n`), column 6; its quoted value ends at its closing quote.
        assert_eq!(
            n.get("b").unwrap().span,
            Span::new(Pos::new(1, 9), Pos::new(1, 12))
        );
        assert_eq!(n.get("c").unwrap().span.start, Pos::new(2, 4));
        assert!(n.span.end.line <= 3);
        // CRLF is one break either way.
        let crlf = parse("a: 1\r\nb: 2\r\n").documents.remove(0).root;
        assert_eq!(crlf.get("b").unwrap().span.start, Pos::new(2, 4));
    }

    /// saphyr puts the empty node of a comment-only last document on the line after the
    /// text; it stays at the end of the text instead.
    #[test]
    fn empty_document_after_a_final_comment_stays_inside_the_text() {
        let s = parse("a: 1\n---\n# only a comment");
        assert_eq!(
            s.documents[1].root.span,
            Span::new(Pos::new(3, 17), Pos::new(3, 17))
        );
        let s = parse("---\n# c\n");
        assert_eq!(s.documents[0].root.span.start, Pos::new(3, 1));
    }

    /// saphyr-parser counts a directive's non-ASCII characters in bytes; a position on that
    /// line still ends at the line's end, and positions after it stay on their lines.
    #[test]
    fn non_ascii_directive_keeps_positions_on_their_lines() {
        let s = parse("---\n%FOO ééééé\n");
        assert_eq!(
            s.documents[0].root.span,
            Span::new(Pos::new(2, 1), Pos::new(2, 11))
        );
        // With a lone `\r` as well: the directive shifts saphyr's character indices, which
        // positions no longer use.
        let s = parse("%FOO ééééé\n--- \ra: 1\nb: 2\n");
        let root = &s.documents[0].root;
        assert_eq!(
            root.get("b").unwrap().span,
            Span::new(Pos::new(3, 4), Pos::new(3, 5))
        );
    }
}
