//! Inputs: files, globs, `-` for stdin, gzip recognised by its magic bytes. Each input is read
//! in large blocks cut at line ends on a reader thread; a second thread parses each block's
//! lines in parallel chunks (rayon, order kept) and hands the events on in file order, so the
//! result is the same whatever the number of threads or the block size.

use crate::audit::event::{self, Event, Skip};
use crate::audit::record;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

/// How many malformed line numbers a report lists per input.
pub const MALFORMED_SAMPLE: usize = 5;

/// One input as named on the command line (after glob expansion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The name findings and diagnostics use.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "stdin".into(),
            Input::File(p) => p.to_string_lossy().replace('\\', "/"),
        }
    }
}

/// Expands the arguments: `-` is stdin, an existing path is itself, a pattern with glob
/// characters matches files (sorted); a pattern matching nothing is an error.
pub fn expand(args: &[String]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let p = Path::new(a);
        if p.exists() || !a.contains(['*', '?', '[']) {
            out.push(Input::File(p.to_path_buf()));
            continue;
        }
        let matches = glob(a)?;
        if matches.is_empty() {
            return Err(format!("{a}: no file matches"));
        }
        out.extend(matches.into_iter().map(Input::File));
    }
    Ok(out)
}

fn glob(pattern: &str) -> Result<Vec<PathBuf>, String> {
    // Walk from the longest directory prefix without glob characters.
    let parts: Vec<&str> = pattern.split('/').collect();
    let literal = parts
        .iter()
        .take_while(|c| !c.contains(['*', '?', '[']))
        .count();
    let base = if literal == 0 {
        ".".to_owned()
    } else if parts[..literal].join("/").is_empty() {
        "/".to_owned()
    } else {
        parts[..literal].join("/")
    };
    let matcher = globset::GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
        .map_err(|e| format!("{pattern}: {e}"))?
        .compile_matcher();
    let depth = if pattern.contains("**") {
        None
    } else {
        Some(parts.len() - literal)
    };
    let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(&base)
        .standard_filters(false)
        .max_depth(depth)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| {
            let s = p.to_string_lossy();
            matcher.is_match(s.trim_start_matches("./"))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Opens an input, decompressing gzip transparently.
pub fn open(input: &Input) -> io::Result<Box<dyn Read + Send>> {
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin => Box::new(io::stdin()),
        Input::File(p) => Box::new(std::fs::File::open(p)?),
    };
    let mut raw = io::BufReader::with_capacity(1 << 16, raw);
    let head = io::BufRead::fill_buf(&mut raw)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(raw)))
    } else {
        Ok(Box::new(raw))
    }
}

/// Counters of one parsed piece (block or chunk), summed per input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub bytes: u64,
    pub lines: u64,
    pub requests: u64,
    pub responses: u64,
    pub other_types: u64,
    /// Lines that are not a JSON object in the audit shape.
    pub malformed: u64,
    /// The first few malformed line numbers, with the parser's message for the first.
    pub malformed_lines: Vec<u64>,
    pub first_error: Option<String>,
    /// Response entries whose `time` is missing or unparseable.
    pub bad_time: u64,
    pub bad_time_lines: Vec<u64>,
}

impl Stats {
    pub fn add(&mut self, o: &Stats) {
        self.bytes += o.bytes;
        self.lines += o.lines;
        self.requests += o.requests;
        self.responses += o.responses;
        self.other_types += o.other_types;
        self.malformed += o.malformed;
        self.bad_time += o.bad_time;
        for (mine, theirs) in [
            (&mut self.malformed_lines, &o.malformed_lines),
            (&mut self.bad_time_lines, &o.bad_time_lines),
        ] {
            let room = MALFORMED_SAMPLE.saturating_sub(mine.len());
            mine.extend(theirs.iter().take(room));
        }
        if self.first_error.is_none() {
            self.first_error.clone_from(&o.first_error);
        }
    }
}

/// The events of one block, in line order, with its counters.
pub struct Parsed {
    pub events: Vec<Event>,
    pub stats: Stats,
}

/// An error reading an input (after whatever was read before it).
#[derive(Debug, Clone)]
pub struct ReadError(pub String);

/// Parses complete lines (`bytes` ends at a line end or the end of input), numbering them from
/// `first_line`. Sequential; `parse_block` splits a block across threads with it.
pub fn parse_lines(bytes: &[u8], first_line: u64, src: u32) -> Parsed {
    let mut stats = Stats {
        bytes: bytes.len() as u64,
        ..Stats::default()
    };
    let mut events = Vec::new();
    // Accessors whose identity this chunk already attached.
    let mut seen: HashSet<Arc<str>> = HashSet::new();
    let mut line_no = first_line;
    let mut start = 0;
    let mut handle = |line: &[u8], line_no: u64, stats: &mut Stats| {
        stats.lines += 1;
        match record::parse_line(line) {
            Ok(None) => {}
            Ok(Some(r)) => {
                if r.is_request() {
                    stats.requests += 1;
                } else if r.is_response() {
                    stats.responses += 1;
                } else {
                    stats.other_types += 1;
                }
                let mut want = false;
                match event::from_record(&r, src, line_no, |acc| {
                    want = !seen.contains(acc);
                    want
                }) {
                    Ok(ev) => {
                        if want {
                            seen.insert(ev.accessor.clone());
                        }
                        events.push(ev);
                    }
                    Err(Skip::NotResponse) => {}
                    Err(Skip::BadTime) => {
                        stats.bad_time += 1;
                        if stats.bad_time_lines.len() < MALFORMED_SAMPLE {
                            stats.bad_time_lines.push(line_no);
                        }
                    }
                }
            }
            Err(e) => {
                stats.malformed += 1;
                if stats.malformed_lines.len() < MALFORMED_SAMPLE {
                    stats.malformed_lines.push(line_no);
                }
                if stats.first_error.is_none() {
                    stats.first_error = Some(format!("line {line_no}: {e}"));
                }
            }
        }
    };
    for nl in memchr::memchr_iter(b'\n', bytes) {
        handle(&bytes[start..nl], line_no, &mut stats);
        line_no += 1;
        start = nl + 1;
    }
    if start < bytes.len() {
        handle(&bytes[start..], line_no, &mut stats);
    }
    Parsed { events, stats }
}

/// Parses a block on the rayon pool in `pieces` line-aligned chunks; the result is exactly
/// `parse_lines` of the whole block (event order, counters, sample line numbers).
pub fn parse_block(bytes: &[u8], first_line: u64, src: u32, pieces: usize) -> Parsed {
    let pieces = pieces.max(1);
    if pieces == 1 || bytes.len() < 64 * 1024 {
        return parse_lines(bytes, first_line, src);
    }
    let mut bounds = vec![0usize];
    let step = bytes.len() / pieces;
    for k in 1..pieces {
        let from = (k * step).max(*bounds.last().expect("non-empty"));
        match memchr::memchr(b'\n', &bytes[from..]) {
            Some(i) if from + i + 1 < bytes.len() => bounds.push(from + i + 1),
            _ => break,
        }
    }
    bounds.push(bytes.len());
    bounds.dedup();
    let mut firsts = Vec::with_capacity(bounds.len());
    let mut line = first_line;
    for w in bounds.windows(2) {
        firsts.push(line);
        line += memchr::memchr_iter(b'\n', &bytes[w[0]..w[1]]).count() as u64;
    }
    let parts: Vec<Parsed> = bounds
        .windows(2)
        .zip(firsts)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(w, first)| parse_lines(&bytes[w[0]..w[1]], first, src))
        .collect();
    let mut out = Parsed {
        events: Vec::with_capacity(parts.iter().map(|p| p.events.len()).sum()),
        stats: Stats::default(),
    };
    for p in parts {
        out.stats.add(&p.stats);
        out.events.extend(p.events);
    }
    out
}

/// What a source thread sends: parsed blocks, then at most one read error.
pub enum Message {
    Block(Parsed),
    Error(ReadError),
}

/// Starts reading and parsing one input on its own threads; blocks arrive in file order.
pub fn spawn(
    input: Input,
    src: u32,
    block_size: usize,
    pieces: usize,
    pool: Arc<rayon::ThreadPool>,
) -> Receiver<Message> {
    let (raw_tx, raw_rx) = sync_channel::<Result<(Vec<u8>, usize, u64), ReadError>>(2);
    let (tx, rx) = sync_channel::<Message>(2);
    // Parsed blocks' buffers go back to the reader: a fresh multi-megabyte buffer per block
    // made the kernel zero new pages for every block, a third of the whole run's CPU (perf).
    let (free_tx, free_rx) = sync_channel::<Vec<u8>>(4);
    std::thread::spawn(move || {
        let mut reader = match open(&input) {
            Ok(r) => r,
            Err(e) => {
                let _ = raw_tx.send(Err(ReadError(format!("cannot read: {e}"))));
                return;
            }
        };
        // `buf[..pending]` is the partial last line of the previous block.
        let mut buf: Vec<u8> = Vec::new();
        let mut pending = 0;
        let mut tail: Vec<u8> = Vec::new();
        let mut line = 1u64;
        loop {
            let want = pending + block_size;
            if buf.len() < want {
                // Only growth is zeroed; a recycled buffer's old bytes are overwritten by reads.
                buf.resize(want, 0);
            }
            let mut filled = pending;
            let mut eof = false;
            while filled < want {
                match reader.read(&mut buf[filled..want]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let _ = raw_tx.send(Ok((buf, filled, line)));
                        let _ = raw_tx.send(Err(ReadError(format!("read error: {e}"))));
                        return;
                    }
                }
            }
            let end = if eof {
                filled
            } else {
                match memchr::memrchr(b'\n', &buf[..filled]) {
                    Some(i) => i + 1,
                    None => {
                        // One line longer than the buffer: read on into a larger one.
                        pending = filled;
                        continue;
                    }
                }
            };
            let lines = memchr::memchr_iter(b'\n', &buf[..end]).count() as u64;
            // The next buffer starts with this one's partial last line. It is taken from the
            // recycled ones after the send, which waits for the parser: by then it has
            // usually handed a buffer back.
            tail.clear();
            tail.extend_from_slice(&buf[end..filled]);
            pending = tail.len();
            if end > 0 {
                if raw_tx.send(Ok((buf, end, line))).is_err() {
                    return;
                }
                buf = free_rx.try_recv().unwrap_or_default();
            }
            if buf.len() < pending {
                buf.resize(pending, 0);
            }
            buf[..pending].copy_from_slice(&tail);
            line += lines;
            if eof {
                return;
            }
        }
    });
    std::thread::spawn(move || {
        for msg in raw_rx {
            let out = match msg {
                Ok((buf, len, first)) => {
                    let parsed = pool.install(|| parse_block(&buf[..len], first, src, pieces));
                    // The reader may have ended; then the buffer is simply dropped.
                    let _ = free_tx.try_send(buf);
                    Message::Block(parsed)
                }
                Err(e) => Message::Error(e),
            };
            if tx.send(out).is_err() {
                return;
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(n: usize) -> Vec<u8> {
        let mut s = String::new();
        for i in 0..n {
            if i % 97 == 5 {
                s.push_str("{broken\n");
            } else if i % 89 == 3 {
                s.push('\n');
            } else {
                s.push_str(&format!(
                    "{{\"time\":\"2024-03-01T00:00:{:02}Z\",\"type\":\"response\",\"auth\":{{\"accessor\":\"a{}\"}},\"request\":{{\"id\":\"{i}\",\"operation\":\"read\",\"path\":\"secret/data/{i}\"}}}}\n",
                    i % 60,
                    i % 7
                ));
            }
        }
        s.into_bytes()
    }

    #[test]
    fn parallel_chunks_equal_a_sequential_parse() {
        let text = log(5000);
        let seq = parse_lines(&text, 1, 0);
        for pieces in [2, 3, 8, 64] {
            let par = parse_block(&text, 1, 0, pieces);
            assert_eq!(par.stats.lines, seq.stats.lines);
            assert_eq!(par.stats.malformed, seq.stats.malformed);
            assert_eq!(par.stats.malformed_lines, seq.stats.malformed_lines);
            let key = |p: &Parsed| -> Vec<(u64, String)> {
                p.events
                    .iter()
                    .map(|e| (e.line, e.path.to_string()))
                    .collect()
            };
            assert_eq!(key(&par), key(&seq));
        }
        assert_eq!(seq.stats.malformed_lines, [6, 103, 200, 297, 394]);
    }
}
