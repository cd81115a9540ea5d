//! Shell tokens: words with quote removal and a source offset for every byte, operators, and
//! heredoc bodies. Linear in the input; a quote that never closes (or runs past
//! [`MAX_QUOTED`]) makes the lexer give up on that line rather than swallow the file.

use std::collections::VecDeque;
use std::ops::Range;

/// Longest quoted string or substitution read before giving up on it (bytes).
pub const MAX_QUOTED: usize = 256 * 1024;

/// A word after quote removal. `src[i]` is the source offset of `text`'s byte `i`;
/// `src[text.len()]` is the word's end.
#[derive(Debug, Clone, Default)]
pub struct Word {
    pub text: String,
    pub src: Vec<usize>,
    pub start: usize,
    pub end: usize,
    /// Bytes of `text` before the first quote or escape (an assignment's name and `=` must
    /// be in it).
    pub literal_prefix: Option<usize>,
    /// Text ranges of the commands inside `$(…)` substitutions (not `$((…))` arithmetic).
    pub substitutions: Vec<Range<usize>>,
}

impl Word {
    fn new(start: usize) -> Word {
        Word {
            start,
            end: start,
            ..Default::default()
        }
    }
    fn push_str(&mut self, s: &str, at: usize) {
        self.text.push_str(s);
        self.src.extend(at..at + s.len());
    }
    /// Appends a `$(…)`-like chunk of source, remembering a command substitution's inside.
    fn push_substitution(&mut self, s: &str, at: usize) {
        if s.starts_with("$(") && !s.starts_with("$((") && s.ends_with(')') {
            let base = self.text.len();
            self.substitutions.push(base + 2..base + s.len() - 1);
        }
        self.push_str(s, at);
    }
    fn quoted(&mut self) {
        if self.literal_prefix.is_none() {
            self.literal_prefix = Some(self.text.len());
        }
    }
    /// Bytes of text before any quoting.
    pub fn unquoted_len(&self) -> usize {
        self.literal_prefix.unwrap_or(self.text.len())
    }
    /// Source offset of text byte `i` (the end for `i == text.len()`).
    pub fn src_at(&self, i: usize) -> usize {
        self.src.get(i).copied().unwrap_or(self.end)
    }
}

#[derive(Debug)]
pub enum Tok {
    Word(Word),
    /// `;`, `&`, `&&`, `|`, `||`, `(`, `)` or a newline: ends a simple command.
    Sep,
    /// `>`, `>>`, `&>`, `<`, `<<<`: the next word is the target (`dup` `>&2` has none).
    Redirect {
        output: bool,
    },
    /// `<<DELIM`: its body arrives later as [`Tok::Body`] with the same id.
    HereDoc(usize),
    /// A heredoc body: its id and source range.
    Body(usize, Range<usize>),
}

/// The lexer could not read a word starting at `at` (unterminated quote or substitution).
#[derive(Debug)]
pub struct GiveUp {
    pub at: usize,
}

pub struct Lexer<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    queue: VecDeque<Tok>,
    /// Heredocs opened on the current line: (id, delimiter, strip leading tabs).
    pending: Vec<(usize, String, bool)>,
    next_id: usize,
    /// Bytes scanned in vain by give-ups; past a budget the rest of the text is dropped, so
    /// a file of unterminated quotes costs linear time.
    wasted: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(s: &'a str) -> Lexer<'a> {
        Lexer {
            s,
            b: s.as_bytes(),
            pos: 0,
            queue: VecDeque::new(),
            pending: Vec::new(),
            next_id: 0,
            wasted: 0,
        }
    }

    /// Skips to the line after the one holding `at` (after a [`GiveUp`]).
    pub fn recover(&mut self, at: usize) {
        self.pending.clear();
        self.queue.clear();
        self.wasted += (self.b.len().saturating_sub(at)).min(MAX_QUOTED);
        if self.wasted > 2 * self.b.len() + MAX_QUOTED {
            self.pos = self.b.len();
            return;
        }
        self.pos = match self
            .b
            .get(at..)
            .and_then(|r| r.iter().position(|&c| c == b'\n'))
        {
            Some(i) => at + i + 1,
            None => self.b.len(),
        };
    }

    pub fn next_tok(&mut self) -> Result<Option<Tok>, GiveUp> {
        if let Some(t) = self.queue.pop_front() {
            return Ok(Some(t));
        }
        let b = self.b;
        loop {
            while self.pos < b.len() {
                match b[self.pos] {
                    b' ' | b'\t' | b'\r' => self.pos += 1,
                    b'\\' if b.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
                    _ => break,
                }
            }
            let Some(&c) = b.get(self.pos) else {
                return Ok(None);
            };
            let next = b.get(self.pos + 1).copied();
            match c {
                b'#' => {
                    self.pos = self.line_end(self.pos);
                    continue;
                }
                b'\n' => {
                    self.pos += 1;
                    self.read_bodies();
                    self.queue.push_back(Tok::Sep);
                    return Ok(self.queue.pop_front());
                }
                b';' | b'(' | b')' => {
                    self.pos += 1;
                    return Ok(Some(Tok::Sep));
                }
                b'|' => {
                    self.pos += if matches!(next, Some(b'|' | b'&')) {
                        2
                    } else {
                        1
                    };
                    return Ok(Some(Tok::Sep));
                }
                b'&' if next == Some(b'>') => {
                    self.pos += 2;
                    if b.get(self.pos) == Some(&b'>') {
                        self.pos += 1;
                    }
                    return Ok(Some(Tok::Redirect { output: true }));
                }
                b'&' => {
                    self.pos += if next == Some(b'&') { 2 } else { 1 };
                    return Ok(Some(Tok::Sep));
                }
                b'>' => {
                    self.pos += 1;
                    if matches!(b.get(self.pos), Some(b'>' | b'|')) {
                        self.pos += 1;
                    }
                    if b.get(self.pos) == Some(&b'&') {
                        // `>&2`: a descriptor, not a file.
                        self.pos += 1;
                        while self
                            .b
                            .get(self.pos)
                            .is_some_and(|c| c.is_ascii_digit() || *c == b'-')
                        {
                            self.pos += 1;
                        }
                        continue;
                    }
                    return Ok(Some(Tok::Redirect { output: true }));
                }
                b'<' if next == Some(b'<') && b.get(self.pos + 2) != Some(&b'<') => {
                    self.pos += 2;
                    let strip = b.get(self.pos) == Some(&b'-');
                    if strip {
                        self.pos += 1;
                    }
                    while matches!(b.get(self.pos), Some(b' ' | b'\t')) {
                        self.pos += 1;
                    }
                    let delim = self.word()?;
                    let id = self.next_id;
                    self.next_id += 1;
                    self.pending.push((id, delim.text, strip));
                    return Ok(Some(Tok::HereDoc(id)));
                }
                b'<' => {
                    self.pos += 1;
                    while matches!(b.get(self.pos), Some(b'<' | b'&')) {
                        self.pos += 1;
                    }
                    return Ok(Some(Tok::Redirect { output: false }));
                }
                b'0'..=b'9' => {
                    // `2>file`, `2>&1`: a descriptor number before a redirection.
                    let mut j = self.pos;
                    while b.get(j).is_some_and(u8::is_ascii_digit) {
                        j += 1;
                    }
                    if matches!(b.get(j), Some(b'<' | b'>')) {
                        self.pos = j;
                        continue;
                    }
                    return self.word().map(|w| Some(Tok::Word(w)));
                }
                _ => return self.word().map(|w| Some(Tok::Word(w))),
            }
        }
    }

    fn line_end(&self, from: usize) -> usize {
        self.b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |i| from + i)
    }

    /// After a newline: the bodies of the heredocs opened on the line just ended.
    fn read_bodies(&mut self) {
        for (id, delim, strip) in std::mem::take(&mut self.pending) {
            let body_start = self.pos;
            loop {
                if self.pos >= self.b.len() {
                    self.queue
                        .push_back(Tok::Body(id, body_start..self.b.len()));
                    break;
                }
                let end = self.line_end(self.pos);
                let line = self.s[self.pos..end].trim_end_matches('\r');
                let line = if strip {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if line == delim {
                    self.queue.push_back(Tok::Body(id, body_start..self.pos));
                    self.pos = (end + 1).min(self.b.len());
                    break;
                }
                self.pos = (end + 1).min(self.b.len());
            }
        }
    }

    /// One word, with quotes removed and `$(…)`, `${…}`, `` `…` `` kept verbatim.
    fn word(&mut self) -> Result<Word, GiveUp> {
        let b = self.b;
        let start = self.pos;
        let mut w = Word::new(start);
        while let Some(&c) = b.get(self.pos) {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => {
                    break
                }
                b'\\' => {
                    w.quoted();
                    match self.s[self.pos + 1..].chars().next() {
                        Some('\n') => self.pos += 2,
                        Some(ch) => {
                            w.push_str(
                                &self.s[self.pos + 1..self.pos + 1 + ch.len_utf8()],
                                self.pos + 1,
                            );
                            self.pos += 1 + ch.len_utf8();
                        }
                        None => self.pos += 1,
                    }
                }
                b'\'' => {
                    w.quoted();
                    let close = self.find(self.pos + 1, b'\'', start)?;
                    w.push_str(&self.s[self.pos + 1..close], self.pos + 1);
                    self.pos = close + 1;
                }
                b'"' => {
                    w.quoted();
                    self.double_quoted(&mut w, start)?;
                }
                b'$' if b.get(self.pos + 1) == Some(&b'\'') => {
                    // ANSI-C quoting: kept verbatim (escapes are not interpreted).
                    w.quoted();
                    let mut j = self.pos + 2;
                    loop {
                        match b.get(j) {
                            None => return Err(GiveUp { at: start }),
                            Some(b'\\') => j += 2,
                            Some(b'\'') => break,
                            Some(_) => j += 1,
                        }
                        if j - self.pos > MAX_QUOTED {
                            return Err(GiveUp { at: start });
                        }
                    }
                    let j = j.min(b.len());
                    w.push_str(&self.s[self.pos + 2..j], self.pos + 2);
                    self.pos = j + 1;
                }
                b'$' | b'`' => self.take_substitution(&mut w, start)?,
                _ => self.take_char(&mut w),
            }
        }
        w.end = self.pos;
        // The end of the text maps just past its last byte (before a closing quote), so a
        // script nested in this word ends where its content does.
        let text_end = w.src.last().map_or(self.pos, |l| l + 1);
        w.src.push(text_end);
        Ok(w)
    }

    /// Appends the `$…`/`` `…` `` substitution at the cursor to the word, whole.
    fn take_substitution(&mut self, w: &mut Word, start: usize) -> Result<(), GiveUp> {
        let end = self.substitution(self.pos, start)?;
        w.push_substitution(&self.s[self.pos..end], self.pos);
        self.pos = end;
        Ok(())
    }

    /// Appends the character at the cursor to the word.
    fn take_char(&mut self, w: &mut Word) {
        let n = self.s[self.pos..].chars().next().map_or(1, char::len_utf8);
        w.push_str(&self.s[self.pos..self.pos + n], self.pos);
        self.pos += n;
    }

    /// Index of the next `c` from `from`, or give up.
    fn find(&self, from: usize, c: u8, start: usize) -> Result<usize, GiveUp> {
        let end = self.b.len().min(from.saturating_add(MAX_QUOTED));
        match self
            .b
            .get(from..end)
            .and_then(|r| r.iter().position(|&x| x == c))
        {
            Some(i) => Ok(from + i),
            _ => Err(GiveUp { at: start }),
        }
    }

    fn double_quoted(&mut self, w: &mut Word, start: usize) -> Result<(), GiveUp> {
        let b = self.b;
        let open = self.pos;
        self.pos += 1;
        loop {
            if self.pos - open > MAX_QUOTED {
                return Err(GiveUp { at: start });
            }
            let Some(&c) = b.get(self.pos) else {
                return Err(GiveUp { at: start });
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => match b.get(self.pos + 1) {
                    Some(b'\n') => self.pos += 2,
                    Some(b'$' | b'`' | b'"' | b'\\') => {
                        w.push_str(&self.s[self.pos + 1..self.pos + 2], self.pos + 1);
                        self.pos += 2;
                    }
                    _ => {
                        w.push_str("\\", self.pos);
                        self.pos += 1;
                    }
                },
                b'$' | b'`' => self.take_substitution(w, start)?,
                _ => self.take_char(w),
            }
        }
    }

    /// End of a `$(…)`, `$((…))`, `${…}`, `` `…` `` or plain `$` starting at `at`; quotes
    /// inside are skipped so their brackets do not count.
    fn substitution(&self, at: usize, start: usize) -> Result<usize, GiveUp> {
        let b = self.b;
        let (open, close, mut j) = match (b[at], b.get(at + 1)) {
            (b'`', _) => {
                let mut j = at + 1;
                loop {
                    match b.get(j) {
                        None => return Err(GiveUp { at: start }),
                        Some(b'\\') => j += 2,
                        Some(b'`') => return Ok(j + 1),
                        Some(_) => j += 1,
                    }
                    if j - at > MAX_QUOTED {
                        return Err(GiveUp { at: start });
                    }
                }
            }
            (_, Some(b'(')) => (b'(', b')', at + 2),
            (_, Some(b'{')) => (b'{', b'}', at + 2),
            _ => return Ok(at + 1),
        };
        let mut depth = 1usize;
        while depth > 0 {
            if j - at > MAX_QUOTED {
                return Err(GiveUp { at: start });
            }
            match b.get(j) {
                None => return Err(GiveUp { at: start }),
                Some(b'\\') => j += 2,
                Some(b'\'') => j = self.find(j + 1, b'\'', start)? + 1,
                Some(b'"') => {
                    j += 1;
                    loop {
                        if j - at > MAX_QUOTED {
                            return Err(GiveUp { at: start });
                        }
                        match b.get(j) {
                            None => return Err(GiveUp { at: start }),
                            Some(b'\\') => j += 2,
                            Some(b'"') => break,
                            Some(_) => j += 1,
                        }
                    }
                    j += 1;
                }
                Some(&c) if c == open => {
                    depth += 1;
                    j += 1;
                }
                Some(&c) if c == close => {
                    depth -= 1;
                    j += 1;
                }
                Some(_) => j += 1,
            }
        }
        Ok(j.min(b.len()))
    }
}
