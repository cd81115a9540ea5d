//! The non-shell script formats: `.env` files, Makefiles (variables and recipe lines) and
//! Dockerfiles (`ENV`, `ARG`, `RUN`/`CMD`/`ENTRYPOINT` in shell and exec form). Recipe and
//! `RUN` text is handed to the shell reader with its offsets, so spans stay exact.

use super::lex::{Lexer, Tok, Word};
use super::{is_name, read_shell, Arg, Command, ScriptFacts, SetBy, Setting, Shifted};
use crate::syntax::mapping::SpanMap;

/// Physical lines with their byte offsets (without the newline).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.strip_suffix('\n').unwrap_or(l))
    })
}

/// Logical lines of Makefiles and Dockerfiles: a line plus its backslash continuations, as
/// (start offset, first physical line, end offset).
fn logical_lines(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let all: Vec<(usize, &str)> = lines(text).collect();
    let mut k = 0;
    std::iter::from_fn(move || {
        let &(start, line) = all.get(k)?;
        let mut last = k;
        while all[last].1.trim_end_matches('\r').ends_with('\\') && last + 1 < all.len() {
            last += 1;
        }
        let end = all[last].0 + all[last].1.len();
        k = last + 1;
        Some((start, line, end))
    })
}

/// `.env` lines: `KEY=value`, optional `export `, single/double quotes, ` #` comments after
/// unquoted values. A line whose quote does not close on it is skipped.
pub fn read_dotenv(text: &str, map: &dyn SpanMap, by: SetBy, facts: &mut ScriptFacts) {
    for (start, line) in lines(text) {
        let line = line.trim_end_matches('\r');
        let lead = line.len() - line.trim_start().len();
        let mut rest = &line[lead..];
        let mut at = start + lead;
        if let Some(r) = rest.strip_prefix("export ") {
            let r2 = r.trim_start();
            at += rest.len() - r2.len();
            rest = r2;
        }
        let Some(eq) = rest.find('=') else { continue };
        let name = rest[..eq].trim_end();
        if !is_name(name) {
            continue;
        }
        let after = &rest[eq + 1..];
        let vlead = after.len() - after.trim_start().len();
        let raw = &after[vlead..];
        let vstart = at + eq + 1 + vlead;
        let (value, raw_len) = match raw.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let Some(close) = closing_quote(&raw[1..], q) else {
                    continue;
                };
                let inner = &raw[1..1 + close];
                let value = if q == '"' {
                    inner.replace("\\\"", "\"").replace("\\\\", "\\")
                } else {
                    inner.to_owned()
                };
                (value, close + 2)
            }
            _ => {
                let end = raw
                    .find(" #")
                    .or_else(|| raw.find("\t#"))
                    .unwrap_or(raw.len());
                let v = raw[..end].trim_end();
                (v.to_owned(), v.len())
            }
        };
        facts.settings.push(Setting {
            name: name.to_owned(),
            value,
            name_span: map.span(at..at + name.len()),
            value_span: map.span(vstart..vstart + raw_len),
            by,
        });
    }
}

/// Index of the closing quote in `s` (after the opening one); `\"` escapes in double quotes.
fn closing_quote(s: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if q == '"' && !escaped => escaped = true,
            c if c == q && !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// Makefiles: variable assignments (`VAR := v`, `export VAR = v`, `override VAR ?= v`) and
/// recipe lines (tab-indented, leading `@`/`-`/`+` stripped), each recipe line with its
/// backslash continuations read as one shell command line.
pub fn read_makefile(text: &str, map: &dyn SpanMap, facts: &mut ScriptFacts) {
    let mut in_define = false;
    for (start, line, end) in logical_lines(text) {
        let trimmed = line.trim_start();
        if in_define {
            in_define = !trimmed.starts_with("endef");
            continue;
        }
        if let Some(recipe) = line.strip_prefix('\t') {
            let skip = recipe.len() - recipe.trim_start_matches(['@', '-', '+', ' ']).len();
            let from = start + 1 + skip;
            let shifted = Shifted {
                base: from,
                outer: map,
            };
            read_shell(&text[from..end], &shifted, 0, facts);
            continue;
        }
        if trimmed.starts_with("define ") {
            in_define = true;
            continue;
        }
        make_assignment(text, start, end, map, facts);
    }
}

fn make_assignment(
    text: &str,
    start: usize,
    end: usize,
    map: &dyn SpanMap,
    facts: &mut ScriptFacts,
) {
    let line = &text[start..end];
    let code = line.split('#').next().unwrap_or("");
    let mut rest = code.trim_start();
    let mut at = start + (code.len() - rest.len());
    while let Some(r) = rest
        .strip_prefix("export ")
        .or_else(|| rest.strip_prefix("override "))
    {
        let r2 = r.trim_start();
        at += rest.len() - r2.len();
        rest = r2;
    }
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if !is_name(name) {
        return;
    }
    let after = &rest[name_len..];
    let op_lead = after.len() - after.trim_start().len();
    let ops = [":::=", "::=", ":=", "?=", "+=", "!=", "="];
    let Some(op) = ops.iter().find(|o| after[op_lead..].starts_with(**o)) else {
        return;
    };
    if *op == "!=" || *op == "+=" {
        return;
    }
    let value_part = &after[op_lead + op.len()..];
    let value = value_part.trim();
    let vstart =
        at + name_len + op_lead + op.len() + (value_part.len() - value_part.trim_start().len());
    facts.settings.push(Setting {
        name: name.to_owned(),
        value: value.to_owned(),
        name_span: map.span(at..at + name_len),
        value_span: map.span(vstart..vstart + value.len()),
        by: SetBy::Make,
    });
}

/// Dockerfiles: `ENV k=v …` / legacy `ENV k v`, `ARG k=v`, and `RUN`/`CMD`/`ENTRYPOINT` in
/// shell form (read as shell) or exec form (a JSON array of words).
pub fn read_dockerfile(text: &str, map: &dyn SpanMap, facts: &mut ScriptFacts) {
    for (start, line, end) in logical_lines(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - trimmed.len();
        let instr_len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let instr = trimmed[..instr_len].to_ascii_uppercase();
        let args_from = start + lead + instr_len;
        let args = &text[args_from..end];
        let skip = args.len() - args.trim_start().len();
        let from = args_from + skip;
        let body = &text[from..end];
        let shifted = Shifted {
            base: from,
            outer: map,
        };
        match instr.as_str() {
            "ENV" | "ARG" => {
                let by = if instr == "ENV" {
                    SetBy::DockerfileEnv
                } else {
                    SetBy::DockerfileArg
                };
                docker_env(body, &shifted, by, facts);
            }
            "RUN" | "CMD" | "ENTRYPOINT" => {
                if let Some(argv) = exec_form(body, &shifted) {
                    if !argv.is_empty() {
                        let texts: Vec<&str> = argv.iter().map(|a| a.text.as_str()).collect();
                        if let Some(j) = super::shell::nested_script_at(&texts) {
                            let words = words_of(body);
                            let w = &words[j];
                            let inner = super::Remap {
                                src: &w.src,
                                outer: &shifted,
                            };
                            read_shell(&w.text, &inner, 0, facts);
                        }
                        facts.commands.push(Command {
                            argv,
                            heredocs: Vec::new(),
                        });
                    }
                } else {
                    // `RUN --mount=… cmd`: build flags come before the command.
                    let mut b = body;
                    let mut off = 0;
                    while b.starts_with("--") {
                        let n = b.find(char::is_whitespace).unwrap_or(b.len());
                        let next = b[n..].trim_start();
                        off += b.len() - next.len();
                        b = next;
                    }
                    let shifted = Shifted {
                        base: from + off,
                        outer: map,
                    };
                    read_shell(b, &shifted, 0, facts);
                }
            }
            _ => {}
        }
    }
}

/// `ENV a=1 b="x y"` (pairs, shell quoting) or `ENV a 1 2` (legacy: the rest is the value).
fn docker_env(body: &str, map: &dyn SpanMap, by: SetBy, facts: &mut ScriptFacts) {
    let mut lx = Lexer::new(body);
    let mut words = Vec::new();
    while let Ok(Some(tok)) = lx.next_tok() {
        if let Tok::Word(w) = tok {
            words.push(w);
        } else {
            break;
        }
    }
    let Some(first) = words.first() else { return };
    if first.text.contains('=') {
        for w in &words {
            let Some(eq) = w.text.find('=') else { continue };
            let name = &w.text[..eq];
            if !is_name(name) {
                continue;
            }
            facts.settings.push(Setting {
                name: name.to_owned(),
                value: w.text[eq + 1..].to_owned(),
                name_span: map.span(w.src_at(0)..w.src_at(eq)),
                value_span: map.span(w.src_at(eq) + 1..w.end),
                by,
            });
        }
    } else if by == SetBy::DockerfileEnv && is_name(&first.text) {
        // The rest of the line is the value; a `#` comment (not Docker syntax, but common
        // in fixtures and harmless) ends it like the shell lexer does.
        let (Some(v0), Some(vn)) = (words.get(1), words.last()) else {
            return;
        };
        let (vstart, vend) = (v0.start, vn.end);
        let unquoted = words[1..]
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        facts.settings.push(Setting {
            name: first.text.clone(),
            value: unquoted,
            name_span: map.span(first.start..first.end),
            value_span: map.span(vstart..vend),
            by,
        });
    }
}

/// Exec form `["sh", "-c", "…"]`: its strings as words (with per-byte source offsets), or
/// `None` when the text is not a JSON array of strings (Docker then runs it as shell form).
fn words_of(body: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let b = body.as_bytes();
    let mut i = match body.find('[') {
        Some(i) => i + 1,
        None => return out,
    };
    loop {
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b',')
        {
            i += 1;
        }
        match b.get(i) {
            Some(b'"') => {}
            _ => return out,
        }
        let start = i;
        i += 1;
        let mut w = Word {
            start,
            ..Default::default()
        };
        loop {
            match b.get(i) {
                None => return Vec::new(),
                Some(b'"') => {
                    i += 1;
                    break;
                }
                Some(b'\\') => {
                    let (s, n) = match b.get(i + 1) {
                        Some(b'n') => ("\n", 2),
                        Some(b't') => ("\t", 2),
                        Some(b'"') => ("\"", 2),
                        Some(b'\\') => ("\\", 2),
                        Some(b'/') => ("/", 2),
                        _ => ("\\", 1),
                    };
                    w.text.push_str(s);
                    w.src.extend(std::iter::repeat_n(i, s.len()));
                    i += n;
                }
                Some(_) => {
                    let ch = body[i..].chars().next().unwrap_or('\u{FFFD}');
                    w.text.push(ch);
                    w.src.extend(i..i + ch.len_utf8());
                    i += ch.len_utf8();
                }
            }
        }
        w.end = i;
        w.src.push(w.src.last().map_or(i, |l| l + 1));
        out.push(w);
    }
}

fn exec_form(body: &str, map: &dyn SpanMap) -> Option<Vec<Arg>> {
    let t = body.trim_end();
    if !t.starts_with('[') || !t.ends_with(']') {
        return None;
    }
    let inner = t[1..t.len() - 1].trim();
    let words = words_of(body);
    if words.is_empty() && !inner.is_empty() {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| Arg {
                text: w.text.clone(),
                span: map.span(w.start..w.end),
            })
            .collect(),
    )
}
