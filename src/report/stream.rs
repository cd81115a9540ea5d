//! Pretty-printed JSON documents written piece by piece: the small parts through serde_json
//! whole, the long arrays (findings, SARIF results) rendered on all cores in batches and
//! spliced in at their indentation. The bytes are those `serde_json::to_string_pretty` gives
//! for the whole document, without holding the whole document (tens of MB) or a `Value` tree
//! per finding at once.

use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

/// Pretty JSON of `value`, as it would appear nested `depth` levels deep (two spaces a level):
/// every line after the first is indented. Strings never hold a raw newline (JSON escapes it).
pub fn pretty_at<T: Serialize>(value: &T, depth: usize, out: &mut String) {
    let text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    let indent = "  ".repeat(depth);
    let mut lines = text.split('\n');
    out.push_str(lines.next().unwrap_or(""));
    for line in lines {
        out.push('\n');
        out.push_str(&indent);
        out.push_str(line);
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

/// Items rendered per parallel batch: bounds the text held at once (1–2 KB an item) while
/// keeping every core busy.
const BATCH: usize = 8192;

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
        let chunks: Vec<String> = batch
            .par_chunks(256)
            .map(|chunk| {
                let mut out = String::with_capacity(chunk.len() * 1536);
                for x in chunk {
                    out.push_str(&separator);
                    pretty_at(&item(x), depth + 1, &mut out);
                }
                out
            })
            .collect();
        for chunk in &chunks {
            // The first element follows `[` directly, without the separating comma.
            let text = if first { &chunk[1..] } else { chunk.as_str() };
            first = false;
            w.write_all(text.as_bytes())?;
        }
    }
    write!(w, "\n{}]", "  ".repeat(depth))
}
