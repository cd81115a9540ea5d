//! Pretty-printed JSON documents written piece by piece: the small parts through serde_json
//! whole, the long arrays (findings, SARIF results) rendered on all cores in batches and
//! spliced in at their indentation. The bytes are those `serde_json::to_string_pretty` gives
//! for the whole document, without holding the whole document (tens of MB) or a `Value` tree
//! per finding at once.

use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

/// Pretty JSON of `value`, as it would appear nested `depth` levels deep (two spaces a level):
/// every line after the first is indented.
fn pretty_at<T: Serialize>(value: &T, depth: usize, out: &mut Vec<u8>) {
    let mut ser = serde_json::Serializer::with_formatter(out, NestedPretty::at(depth));
    value.serialize(&mut ser).expect("JSON values serialize");
}

/// serde_json's `PrettyFormatter` (two-space indent) starting `depth` levels deep, so an
/// element is written in place instead of rendered alone and re-indented line by line.
struct NestedPretty {
    indent: usize,
    has_value: bool,
}

impl NestedPretty {
    fn at(depth: usize) -> NestedPretty {
        NestedPretty {
            indent: depth,
            has_value: false,
        }
    }

    fn newline_and_indent<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        w.write_all(b"\n")?;
        let mut left = self.indent * 2;
        while left > 0 {
            let n = left.min(SPACES.len());
            w.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }

    /// `[` or `{`: one level deeper, nothing written inside yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`: on its own line when something was written inside (`[]`, `{}` otherwise).
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            self.newline_and_indent(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an array element or an object key: a comma after the first, then a new line.
    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline_and_indent(w)
    }
}

impl serde_json::ser::Formatter for NestedPretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The members of a pretty-printed top-level object: its text between `{\n` and `\n}`.
pub fn members<T: Serialize>(value: &T) -> String {
    let text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.strip_prefix("{\n")
        .and_then(|t| t.strip_suffix("\n}"))
        .unwrap_or_default()
        .to_owned()
}

/// Items rendered per parallel batch, and per task within it: bounds the text held at once
/// (1–2 KB an item, ~3 MB a batch; it was 12 MB, a tenth of a 10k-file scan's heap peak)
/// while keeping every core busy.
const BATCH: usize = 2048;
const PER_TASK: usize = 128;

/// Writes a JSON array that stands `depth` levels deep (its `[` already placed by the
/// caller's text, its elements one level deeper), each element serialized from what `item`
/// makes of it, in parallel chunks, batch by batch.
pub fn write_array<'a, T, S, F>(
    items: &'a [T],
    depth: usize,
    item: F,
    w: &mut dyn Write,
) -> std::io::Result<()>
where
    T: Sync,
    S: Serialize,
    F: Fn(&'a T) -> S + Sync,
{
    write_rendered_array(
        items,
        depth,
        |x, depth, out| pretty_at(&item(x), depth, out),
        w,
    )
}

/// [`write_array`] with each element written by `render` (given the element's depth and the
/// text to append to) instead of serialized.
pub fn write_rendered_array<'a, T, F>(
    items: &'a [T],
    depth: usize,
    render: F,
    w: &mut dyn Write,
) -> std::io::Result<()>
where
    T: Sync,
    F: Fn(&'a T, usize, &mut Vec<u8>) + Sync,
{
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    let separator = format!(",\n{}", "  ".repeat(depth + 1));
    w.write_all(b"[")?;
    let mut first = true;
    for batch in items.chunks(BATCH) {
        let chunks: Vec<Vec<u8>> = batch
            .par_chunks(PER_TASK)
            .map(|chunk| {
                let mut out = Vec::with_capacity(chunk.len() * 1536);
                for x in chunk {
                    out.extend_from_slice(separator.as_bytes());
                    render(x, depth + 1, &mut out);
                }
                out
            })
            .collect();
        for chunk in &chunks {
            // The first element follows `[` directly, without the separating comma.
            w.write_all(if first { &chunk[1..] } else { chunk })?;
            first = false;
        }
    }
    write!(w, "\n{}]", "  ".repeat(depth))
}

/// Pretty JSON written member by member, in the layout of `serde_json`'s pretty printer
/// (two-space indent, `"key": value`), starting `depth` levels deep. For the findings array,
/// the bulk of a finding-dense report: serde's string escaping goes byte by byte, and most
/// of a report's bytes are strings with nothing to escape.
pub struct PrettyText<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    /// Nothing written yet in the innermost open object or array.
    first: bool,
}

impl<'o> PrettyText<'o> {
    pub fn new(out: &'o mut Vec<u8>, depth: usize) -> PrettyText<'o> {
        PrettyText {
            out,
            depth,
            first: true,
        }
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        self.out.extend(std::iter::repeat_n(b' ', self.depth * 2));
    }

    /// Before a member or element: a comma after the first, then a new line.
    fn next(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.newline();
    }

    /// `{` or `[`; callers write at least one member or element before [`PrettyText::close`]
    /// (an empty one is written whole, with [`PrettyText::raw`]).
    pub fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    pub fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        self.newline();
        self.out.push(bracket);
        self.first = false;
    }

    /// An object key (a plain name: nothing in it to escape).
    pub fn key(&mut self, name: &str) {
        debug_assert!(!name.bytes().any(needs_escape));
        self.next();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// Before an array element.
    pub fn element(&mut self) {
        self.next();
    }

    pub fn str(&mut self, s: &str) {
        write_json_string(s, self.out);
    }

    pub fn u32(&mut self, n: u32) {
        // By hand: every finding writes four of these, and `write!` costs more than the digits.
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        let mut rest = n;
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[at..]);
    }

    /// Text that already is JSON (`null`, `[]`, a pre-escaped string).
    pub fn raw(&mut self, json: &str) {
        self.out.extend_from_slice(json.as_bytes());
    }

    /// Any value, through serde, at this depth.
    pub fn value<T: Serialize>(&mut self, value: &T) {
        pretty_at(value, self.depth, self.out);
    }
}

/// Bytes a JSON string must escape: `"`, `\` and control characters.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// `s` as a JSON string, escaped exactly as `serde_json` escapes it (`\n`-style escapes where
/// JSON has them, `\u00XX` in lower-case hex for other control characters, everything else
/// as is). Runs of 16 bytes with nothing to escape are copied whole.
pub fn write_json_string(s: &str, out: &mut Vec<u8>) {
    const CHUNK: usize = 16;
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + CHUNK) {
            // No early exit inside the chunk: the test compiles to a few vector compares.
            if !chunk.iter().fold(false, |any, &b| any | needs_escape(b)) {
                i += CHUNK;
                continue;
            }
        }
        let b = bytes[i];
        if needs_escape(b) {
            out.extend_from_slice(&bytes[start..i]);
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0C => out.extend_from_slice(b"\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 0xF)]);
                }
            }
            start = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte serde escapes, around and inside 16-byte runs, comes out as serde writes it.
    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        let mut samples: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "a".repeat(16),
            "a".repeat(33),
            "quote \" and back\\slash".into(),
            "line\nfeed\r\ttab\u{8}\u{c}\u{0}\u{1f}\u{7f} é 日本 🙂".into(),
        ];
        for b in 0u8..0x80 {
            let c = char::from(b);
            samples.push(format!("{c}"));
            samples.push(format!("{}{c}{}", "x".repeat(15), "y".repeat(17)));
            samples.push(format!("{}{c}", "z".repeat(16)));
        }
        for s in &samples {
            let mut ours = Vec::new();
            write_json_string(s, &mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
    }

    /// Numbers are written as their decimal digits, from 0 to `u32::MAX`.
    #[test]
    fn u32_writes_decimal_digits() {
        for n in [0, 7, 9, 10, 99, 100, 1_000_001, 4_294_967_294, u32::MAX] {
            let mut out = Vec::new();
            PrettyText::new(&mut out, 0).u32(n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    /// Hand-written members lay out as serde's pretty printer lays out the same value.
    #[test]
    fn pretty_text_matches_serde_layout() {
        let value = serde_json::json!({
            "a": "x\ny",
            "n": 7,
            "inner": {"k": [1, 2], "e": []},
            "list": [{"m": null}],
        });
        let mut ours = Vec::new();
        let mut w = PrettyText::new(&mut ours, 1);
        w.open(b'{');
        w.key("a");
        w.str("x\ny");
        w.key("n");
        w.u32(7);
        w.key("inner");
        w.open(b'{');
        w.key("k");
        w.value(&[1, 2]);
        w.key("e");
        w.raw("[]");
        w.close(b'}');
        w.key("list");
        w.open(b'[');
        w.element();
        w.open(b'{');
        w.key("m");
        w.raw("null");
        w.close(b'}');
        w.close(b']');
        w.close(b'}');
        let mut theirs = Vec::new();
        pretty_at(&value, 1, &mut theirs);
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }
}
