//! Simple commands from shell tokens: leading assignments, `export`/`declare -x`, wrappers
//! (`sudo`, `env`, `exec`…), container `-e NAME=value`, `echo NAME=value >> .env`, heredoc
//! bodies written to env files, and one level of nested `sh -c '…'`.

use super::lex::{Lexer, Tok, Word};
use super::{is_env_file, is_name, Arg, Command, Remap, ScriptFacts, SetBy, Setting, Shifted};
use crate::syntax::mapping::SpanMap;
use std::ops::Range;

/// Nesting levels followed: the script itself (0) and one nested shell string (1).
const MAX_DEPTH: u8 = 1;

/// A simple command as tokens: words, redirection targets and heredoc ids.
#[derive(Default)]
struct RawCmd {
    words: Vec<Word>,
    /// Output redirection targets (`> .env`, `>> .env`).
    outputs: Vec<Word>,
    heredocs: Vec<usize>,
}

/// Reads shell text; `depth` counts how deep in nested `sh -c` strings this text is.
pub fn read_shell(text: &str, map: &dyn SpanMap, depth: u8, facts: &mut ScriptFacts) {
    let mut lx = Lexer::new(text);
    let mut cmds: Vec<RawCmd> = Vec::new();
    let mut bodies: Vec<(usize, Range<usize>)> = Vec::new();
    let mut cur = RawCmd::default();
    // Some(true): the next word is an output target; Some(false): an input (ignored).
    let mut target: Option<bool> = None;
    loop {
        match lx.next_tok() {
            Ok(None) => break,
            Ok(Some(Tok::Word(w))) => match target.take() {
                Some(true) => cur.outputs.push(w),
                Some(false) => {}
                None => cur.words.push(w),
            },
            Ok(Some(Tok::Sep)) => {
                target = None;
                cmds.push(std::mem::take(&mut cur));
            }
            Ok(Some(Tok::Redirect { output })) => target = Some(output),
            Ok(Some(Tok::HereDoc(id))) => cur.heredocs.push(id),
            Ok(Some(Tok::Body(id, range))) => bodies.push((id, range)),
            Err(g) => {
                // An unterminated quote: drop this command, resume on the next line.
                cur = RawCmd::default();
                target = None;
                lx.recover(g.at);
            }
        }
    }
    cmds.push(cur);
    // The lexer numbers heredocs as it meets them and emits their bodies in the same order:
    // `command` finds each body by binary search (a script of thousands of heredocs).
    debug_assert!(bodies.is_sorted_by_key(|(id, _)| *id));
    for cmd in cmds.into_iter().filter(|c| !c.words.is_empty()) {
        command(text, map, depth, &cmd, &bodies, facts);
    }
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time",
];

/// `NAME=value` in a word whose name and `=` are unquoted: the index of `=`.
fn assignment(w: &Word) -> Option<usize> {
    let eq = w.text.find('=')?;
    (eq < w.unquoted_len() && is_name(&w.text[..eq])).then_some(eq)
}

/// A setting from a word holding `NAME=value` from byte `from` on (after `--env=`…).
fn setting_at(w: &Word, from: usize, by: SetBy, map: &dyn SpanMap) -> Option<Setting> {
    let rest = w.text.get(from..)?;
    let eq = from + rest.find('=')?;
    let name = &w.text[from..eq];
    if !is_name(name) {
        return None;
    }
    Some(Setting {
        name: name.to_owned(),
        value: w.text[eq + 1..].to_owned(),
        name_span: map.span(w.src_at(from)..w.src_at(eq)),
        // The value as written: from just after `=` to the end of the word (quotes included).
        value_span: map.span(w.src_at(eq) + 1..w.end),
        by,
    })
}

fn base(w: &Word) -> &str {
    w.text.rsplit('/').next().unwrap_or(&w.text)
}

fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "dash" | "zsh" | "ash" | "ksh")
}

fn command(
    text: &str,
    map: &dyn SpanMap,
    depth: u8,
    cmd: &RawCmd,
    bodies: &[(usize, Range<usize>)],
    facts: &mut ScriptFacts,
) {
    let words = &cmd.words;
    if depth < MAX_DEPTH {
        // `TOKEN=$(vault login -tls-skip-verify …)`: the commands inside substitutions.
        for w in words.iter().chain(&cmd.outputs) {
            for r in &w.substitutions {
                let inner = Remap {
                    src: &w.src[r.start..],
                    outer: map,
                };
                read_shell(&w.text[r.clone()], &inner, depth + 1, facts);
            }
        }
    }
    let mut i = 0;
    while words
        .get(i)
        .is_some_and(|w| w.literal_prefix.is_none() && KEYWORDS.contains(&w.text.as_str()))
    {
        i += 1;
    }
    let first_assign = i;
    while words.get(i).is_some_and(|w| assignment(w).is_some()) {
        i += 1;
    }
    let by = if i < words.len() {
        SetBy::Prefix
    } else {
        SetBy::Assign
    };
    for w in &words[first_assign..i] {
        facts.settings.extend(setting_at(w, 0, by, map));
    }
    // Wrappers that run the rest of the line as the command.
    loop {
        let Some(w) = words.get(i) else { return };
        match base(w) {
            "sudo" => {
                i += 1;
                while let Some(o) = words.get(i).filter(|o| o.text.starts_with('-')) {
                    i += if matches!(o.text.as_str(), "-u" | "-g" | "-h" | "-p" | "-C") {
                        2
                    } else {
                        1
                    };
                }
            }
            "env" => {
                i += 1;
                while let Some(o) = words.get(i) {
                    if o.text.starts_with('-') {
                        i += if matches!(o.text.as_str(), "-u" | "-C") {
                            2
                        } else {
                            1
                        };
                    } else if assignment(o).is_some() {
                        facts.settings.extend(setting_at(o, 0, SetBy::Prefix, map));
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "exec" | "command" | "nohup" | "builtin" | "time" => {
                i += 1;
                while words.get(i).is_some_and(|o| o.text.starts_with('-')) {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    let argv = &words[i..];
    let program = base(&argv[0]);
    let writes_env_file = cmd.outputs.iter().any(|t| is_env_file(&t.text))
        || (program == "tee" && argv[1..].iter().any(|a| is_env_file(&a.text)));
    match program {
        "export" | "declare" | "typeset" | "local" | "readonly" => {
            let exported = program == "export"
                || argv[1..].iter().any(|a| {
                    a.text.starts_with('-') && !a.text.starts_with("--") && a.text.contains('x')
                });
            let by = if exported {
                SetBy::Export
            } else {
                SetBy::Assign
            };
            for a in &argv[1..] {
                if assignment(a).is_some() {
                    facts.settings.extend(setting_at(a, 0, by, map));
                }
            }
        }
        "echo" | "printf" if writes_env_file => {
            for a in &argv[1..] {
                facts.settings.extend(setting_at(a, 0, SetBy::EnvFile, map));
            }
        }
        "docker" | "podman" | "nerdctl" => container_env(argv, map, facts),
        _ => {}
    }
    let mut heredocs = Vec::new();
    for id in &cmd.heredocs {
        let Ok(at) = bodies.binary_search_by_key(id, |(b, _)| *b) else {
            continue;
        };
        let range = &bodies[at].1;
        let body = &text[range.clone()];
        heredocs.push(super::Heredoc {
            text: body.to_owned(),
            line_starts: crate::syntax::mapping::LinesMap::line_starts_in(body, range.start, map),
        });
        let shifted = Shifted {
            base: range.start,
            outer: map,
        };
        if writes_env_file {
            super::read_dotenv(body, &shifted, SetBy::EnvFile, facts);
        } else if is_shell(program) && depth < MAX_DEPTH && !argv.iter().any(|a| a.text == "-c") {
            read_shell(body, &shifted, depth + 1, facts);
        }
    }
    if depth < MAX_DEPTH {
        if let Some(script) = nested_script(argv) {
            let inner = Remap {
                src: &script.src,
                outer: map,
            };
            read_shell(&script.text, &inner, depth + 1, facts);
        }
    }
    facts.commands.push(Command {
        argv: argv
            .iter()
            .map(|w| Arg {
                text: w.text.clone(),
                span: map.span(w.start..w.end),
            })
            .collect(),
        heredocs,
    });
}

/// `-e NAME=value`, `--env NAME=value`, `--env=NAME=value`, `-eNAME=value` of
/// `docker|podman|nerdctl [container] run|exec|create`.
fn container_env(argv: &[Word], map: &dyn SpanMap, facts: &mut ScriptFacts) {
    let sub = argv[1..]
        .iter()
        .map(|w| w.text.as_str())
        .find(|t| !t.starts_with('-') && *t != "container");
    if !matches!(sub, Some("run" | "exec" | "create")) {
        return;
    }
    let mut k = 1;
    while k < argv.len() {
        let t = argv[k].text.as_str();
        if t == "-e" || t == "--env" {
            if let Some(v) = argv.get(k + 1) {
                facts
                    .settings
                    .extend(setting_at(v, 0, SetBy::ContainerEnv, map));
            }
            k += 2;
            continue;
        }
        if let Some(from) = t
            .strip_prefix("--env=")
            .map(|_| 6)
            .or_else(|| (t.starts_with("-e") && t.len() > 2 && !t.starts_with("--")).then_some(2))
        {
            facts
                .settings
                .extend(setting_at(&argv[k], from, SetBy::ContainerEnv, map));
        }
        k += 1;
    }
}

/// The script string of `sh -c '…'` anywhere in a command line (`docker exec c sh -c '…'`,
/// `kubectl exec p -- bash -c "…"`).
fn nested_script(argv: &[Word]) -> Option<&Word> {
    let texts: Vec<&str> = argv.iter().map(|w| w.text.as_str()).collect();
    nested_script_at(&texts).and_then(|j| argv.get(j))
}

/// Index of the script argument of a shell's `-c` in an argument vector.
pub fn nested_script_at(argv: &[&str]) -> Option<usize> {
    let at = argv
        .iter()
        .position(|w| is_shell(w.rsplit('/').next().unwrap_or(w)))?;
    let mut j = at + 1;
    let mut has_c = false;
    while let Some(t) = argv.get(j) {
        if *t == "--" {
            j += 1;
            break;
        }
        if t.starts_with("--") {
            // `--login`, `--norc`…
            j += 1;
            continue;
        }
        if t.len() < 2 || !(t.starts_with('-') || t.starts_with('+')) {
            break;
        }
        has_c |= t.starts_with('-') && t.contains('c');
        j += if *t == "-o" || *t == "+o" { 2 } else { 1 };
    }
    (has_c && j < argv.len()).then_some(j)
}
