//! Renders a JSON object as block YAML for the static pipeline. Every string is written
//! double-quoted with JSON escapes, so no value can change type under the YAML 1.1 rules
//! Kubernetes tooling uses (`"on"`, `"yes"`, `"0755"` stay strings), and every scalar sits on
//! its own line, so the same object always renders to the same lines (snapshot files reuse
//! the spans of the in-memory text).

use serde_json::Value;

/// The YAML text of `v` (a mapping at the top), ending in a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(m, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    if plain {
        k.to_owned()
    } else {
        quoted(k)
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quoted(s),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        _ => unreachable!("collections are written as blocks"),
    }
}

/// A double-quoted scalar: JSON escapes, plus `\uXXXX` for what YAML does not allow
/// unescaped (DEL, C1 controls, surrogates never occur in Rust strings).
fn quoted(s: &str) -> String {
    let json = Value::String(s.to_owned()).to_string();
    let unprintable =
        |c: char| c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{feff}';
    if !json.chars().any(unprintable) {
        return json;
    }
    json.chars()
        .map(|c| {
            if unprintable(c) {
                format!("\\u{:04x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => false,
    }
}

fn indent(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(m: &serde_json::Map<String, Value>, ind: usize, out: &mut String) {
    let mut first = true;
    for (k, v) in m {
        // The first key of a map that is a sequence item shares the `- ` line.
        if !first || ind == 0 || !out.ends_with("- ") {
            indent(ind, out);
        }
        first = false;
        out.push_str(&key(k));
        out.push(':');
        write_value(v, ind, out);
    }
}

/// Writes the value after `key:` (the key is already on the line).
fn write_value(v: &Value, ind: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(m, ind + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(a, ind, out);
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

fn write_seq(a: &[Value], ind: usize, out: &mut String) {
    for item in a {
        indent(ind, out);
        out.push_str("- ");
        match item {
            Value::Object(m) if is_block(item) => write_map(m, ind + 2, out),
            Value::Array(inner) if is_block(item) => {
                out.pop();
                out.push('\n');
                write_seq(inner, ind + 2, out);
            }
            _ => {
                out.push_str(&scalar(item));
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_parseable_yaml_that_keeps_types() {
        let v = serde_json::json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": { "name": "x", "annotations": { "vault.hashicorp.com/agent-inject": "true" } },
            "data": { "del": "a\u{7f}b", "on": "yes", "mode": "0755", "multi": "a\nb", "empty": "", "weird key": "v" },
            "spec": { "containers": [ { "name": "a", "env": [ { "name": "N", "value": "1" } ],
                                        "ports": [ 80, 443 ] }, { "name": "b" } ],
                      "list": [], "map": {}, "n": 3, "b": false, "nested": [[1, 2], []] }
        });
        let text = to_yaml(&v);
        let stream = crate::syntax::yaml::parse(&text);
        assert!(stream.issues.is_empty(), "{text}\n{:?}", stream.issues);
        let root = &stream.documents[0].root;
        let data = root.get("data").unwrap();
        let on = data.get("on").unwrap();
        assert_eq!(on.as_str(), Some("yes"));
        assert_ne!(
            on.as_scalar().unwrap().style,
            crate::syntax::yaml::Style::Plain
        );
        assert_eq!(data.get("multi").unwrap().as_str(), Some("a\nb"));
        assert_eq!(data.get("weird key").unwrap().as_str(), Some("v"));
        assert_eq!(data.get("del").unwrap().as_str(), Some("a\u{7f}b"));
        let c = root.path(&["spec", "containers"]).unwrap().items();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].get("name").unwrap().as_str(), Some("a"));
        assert_eq!(
            c[0].get("env").unwrap().items()[0]
                .get("value")
                .unwrap()
                .as_str(),
            Some("1")
        );
        assert_eq!(c[1].get("name").unwrap().as_str(), Some("b"));
        assert!(text.contains("\n  - name: \"a\"\n"), "{text}");
        assert!(!text.contains(" \n"), "no trailing spaces: {text}");
    }
}
