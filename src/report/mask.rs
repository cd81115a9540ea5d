//! Output never contains a secret's value. Source excerpts (human output, SARIF snippets) are
//! masked: values of token/password/secret/key-named fields, Kubernetes Secret data, and Vault
//! tokens anywhere become `*` of the same width — the key, the underline and the length stay,
//! the characters do not.

use crate::location::Span;
use regex::Regex;
use std::sync::OnceLock;

fn token_shape() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b(?:hvs|hvb|hvr|s|b|r)\.[A-Za-z0-9_-]{20,}").expect("valid regex")
    })
}

/// Secrets recognisable by shape alone, whatever they are assigned to: the password of a URL's
/// user info (`postgres://app:PASSWORD@db`) and AWS access key ids.
fn secret_shapes() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:(?P<pw>[^@\s/]+)@|\b(?P<akid>(?:AKIA|ASIA)[A-Z0-9]{16})\b")
            .expect("valid regex")
    })
}

fn secret_assignment() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // `KEY: value`, `KEY = value`, `KEY=value`, `"key": "value"` with a secret-like key.
    R.get_or_init(|| {
        Regex::new(r#"(?i)(?:^|[\s{,"'-])[A-Za-z0-9_.-]*(?:token|passw(?:or)?d|secret|secret_?(?:access_?)?key|api_?key|private_?key|access_?key|credentials?)\\?["']?\s*[:=]\s*"#)
            .expect("valid regex")
    })
}

/// True for names whose values are secrets (env names, config keys).
pub fn is_secret_name(name: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)(token|passw(or)?d|secret|api_?key|private_?key|access_?key|credentials?)")
            .expect("valid regex")
    })
    .is_match(name)
        && !name.to_ascii_uppercase().ends_with("_PATH")
        && !name.to_ascii_uppercase().ends_with("_FILE")
}

/// One pass that says whether a line could need masking at all: the union of the three
/// patterns below. Almost every line of a real file fails it, and then [`mask_line`] returns
/// the line as it is instead of running each pattern and rebuilding the line char by char.
fn maybe_secret() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let parts = [
            token_shape().as_str(),
            secret_shapes().as_str(),
            secret_assignment().as_str(),
        ];
        Regex::new(&format!(
            "(?:{})|(?:{})|(?:{})",
            parts[0], parts[1], parts[2]
        ))
        .expect("valid regex")
    })
}

/// Masks one line.
pub fn mask_line(line: &str) -> String {
    if !maybe_secret().is_match(line) {
        return line.to_owned();
    }
    let mut out: Vec<char> = line.chars().collect();
    let char_index = |byte: usize| line[..byte].chars().count();
    for m in token_shape().find_iter(line) {
        star(&mut out, char_index(m.start()), char_index(m.end()));
    }
    for c in secret_shapes().captures_iter(line) {
        if let Some(m) = c.name("pw").or_else(|| c.name("akid")) {
            star(&mut out, char_index(m.start()), char_index(m.end()));
        }
    }
    if let Some(m) = secret_assignment().find(line) {
        // Mask the rest of the value (up to a closing quote or comment), keeping quotes.
        let start = char_index(m.end());
        let rest: Vec<char> = out[start..].to_vec();
        let (mut a, mut b) = (0, rest.len());
        if let Some(q) = rest.first().filter(|c| **c == '"' || **c == '\'') {
            a = 1;
            b = rest[1..]
                .iter()
                .position(|c| c == q)
                .map_or(rest.len(), |p| p + 1);
        } else if let Some(p) = rest.windows(2).position(|w| w[0] == ' ' && w[1] == '#') {
            b = p;
        }
        let value: String = rest[a..b].iter().collect();
        let v = value.trim();
        let placeholder = v.is_empty()
            || v == "|"
            || v == ">"
            || v.starts_with("${")
            || v.starts_with("{{")
            || v.starts_with('[')
            || v.starts_with('{');
        if !placeholder {
            star(&mut out, start + a, start + b);
        }
    }
    out.into_iter().collect()
}

fn star(chars: &mut [char], from: usize, to: usize) {
    let to = to.min(chars.len());
    for c in chars.iter_mut().take(to).skip(from) {
        if !c.is_whitespace() {
            *c = '*';
        }
    }
}

/// Masks a whole text: every line by [`mask_line`], plus the given value spans (Secret data,
/// secret-named env values) entirely. Characters per line are preserved, so line:column
/// positions stay valid on the masked text.
pub fn mask_text(text: &str, sensitive: &[Span]) -> String {
    let mut out = String::with_capacity(text.len());
    // Spans by first line, walked once alongside the lines (a Secret with thousands of keys
    // would make a per-line scan of every span quadratic).
    let mut pending: Vec<&Span> = sensitive.iter().collect();
    pending.sort_by_key(|s| std::cmp::Reverse(s.start.line));
    let mut active: Vec<&Span> = Vec::new();
    // Inside a PEM private key block every line is key material, whatever holds it.
    let mut in_private_key = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = i as u32 + 1;
        let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        active.retain(|s| s.end.line >= n);
        while pending.last().is_some_and(|s| s.start.line <= n) {
            active.extend(pending.pop().filter(|s| s.end.line >= n));
        }
        let pem_marker = body.contains("-----") && body.contains("PRIVATE KEY-----");
        if !pem_marker && !in_private_key && active.is_empty() {
            out.push_str(&mask_line(body));
            out.push_str(nl);
            continue;
        }
        let mut masked: Vec<char> = mask_line(body).chars().collect();
        if pem_marker && body.contains("-----BEGIN") {
            in_private_key = true;
        } else if pem_marker && body.contains("-----END") {
            in_private_key = false;
        } else if in_private_key {
            let len = masked.len();
            star(&mut masked, 0, len);
        }
        for s in &active {
            let from = if s.start.line == n {
                s.start.col as usize - 1
            } else {
                0
            };
            let to = if s.end.line == n {
                s.end.col as usize - 1
            } else {
                masked.len()
            };
            star(&mut masked, from, to);
        }
        out.extend(masked);
        out.push_str(nl);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Pos;

    #[test]
    fn masks_named_values_and_token_shapes() {
        assert_eq!(
            mask_line("  VAULT_TOKEN: hvs.CAESIabcdefghijklmnopqrstu"),
            "  VAULT_TOKEN: ******************************"
        );
        assert_eq!(
            mask_line("password = \"hunter2\" # x"),
            "password = \"*******\" # x"
        );
        assert_eq!(
            mask_line("echo s.abcdefghijklmnopqrstuvwx"),
            "echo **************************"
        );
        assert_eq!(mask_line("name: VAULT_ADDR"), "name: VAULT_ADDR");
        assert_eq!(mask_line("token_path: ${X}"), "token_path: ${X}");
        assert_eq!(mask_line("secret_key = \"abc\""), "secret_key = \"***\"");
        // JSON inside a quoted string (Terraform `data_json`): escaped quotes around the key.
        assert_eq!(
            mask_line(r#"d = "{\"password\": \"pw1\"}""#),
            r#"d = "{\"password\": *********"#
        );
        assert_eq!(
            mask_line("url: postgres://app:hunter2@db:5432/x"),
            "url: postgres://app:*******@db:5432/x"
        );
        assert_eq!(
            mask_line("id: AKIAABCDEFGHIJKLMNOP"),
            "id: ********************"
        );
        assert_eq!(
            mask_line("see https://example.com/a:b@c"),
            "see https://example.com/a:b@c"
        );
    }

    #[test]
    fn masks_private_key_blocks_whatever_holds_them() {
        let t = "k: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEabc\n  def==\n  -----END RSA PRIVATE KEY-----\nafter: MIIE\n";
        assert_eq!(
            mask_text(t, &[]),
            "k: |\n  -----BEGIN RSA PRIVATE KEY-----\n  *******\n  *****\n  -----END RSA PRIVATE KEY-----\nafter: MIIE\n"
        );
    }

    #[test]
    fn masks_spans_keep_columns() {
        let t = "data:\n  k: c2VjcmV0\n";
        let m = mask_text(t, &[Span::new(Pos::new(2, 6), Pos::new(2, 14))]);
        assert_eq!(m, "data:\n  k: ********\n");
    }

    #[test]
    fn masks_unsorted_and_multiline_spans() {
        let t = "a: x1\nb: |\n  l1\n  l2\nc: x3\nd: ok\n";
        let m = mask_text(
            t,
            &[
                Span::new(Pos::new(5, 4), Pos::new(5, 6)),
                Span::new(Pos::new(2, 4), Pos::new(4, 5)),
                Span::new(Pos::new(1, 4), Pos::new(1, 6)),
            ],
        );
        assert_eq!(m, "a: **\nb: *\n  **\n  **\nc: **\nd: ok\n");
    }
}
