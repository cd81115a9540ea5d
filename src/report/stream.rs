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
                    pretty_at(&item(x), depth + 1, &mut out);
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
