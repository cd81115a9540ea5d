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

fn secret_assignment() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // `KEY: value`, `KEY = value`, `KEY=value`, `"key": "value"` with a secret-like key.
    R.get_or_init(|| {
        Regex::new(r#"(?i)(?:^|[\s{,"'-])[A-Za-z0-9_.-]*(?:token|passw(?:or)?d|secret|api_?key|private_?key|access_?key|credentials?)["']?\s*[:=]\s*"#)
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

/// Masks one line.
pub fn mask_line(line: &str) -> String {
    let mut out: Vec<char> = line.chars().collect();
    let char_index = |byte: usize| line[..byte].chars().count();
    for m in token_shape().find_iter(line) {
        star(&mut out, char_index(m.start()), char_index(m.end()));
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
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = i as u32 + 1;
        let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        let mut masked: Vec<char> = mask_line(body).chars().collect();
        for s in sensitive
            .iter()
            .filter(|s| s.start.line <= n && n <= s.end.line)
        {
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
    }

    #[test]
    fn masks_spans_keep_columns() {
        let t = "data:\n  k: c2VjcmV0\n";
        let m = mask_text(t, &[Span::new(Pos::new(2, 6), Pos::new(2, 14))]);
        assert_eq!(m, "data:\n  k: ********\n");
    }
}
