//! A small, span-keeping view of HCL (Vault policies and configs, Terraform) and of JSON
//! configs, so that rules read one shape whatever the syntax was.
//!
//! HCL is parsed with hcl-edit (byte spans on every key, label and expression). Vault reads
//! HCL1; the two HCL1-only forms hcl-edit rejects (quoted attribute names, several attributes
//! on one line) are reported as a clear diagnostic rather than guessed at. JSON configs are
//! read through the YAML parser (JSON is YAML) so their keys carry spans too, then shaped
//! into blocks by the label counts Vault's HCL1 decoder implies.

use crate::location::Span;
use crate::syntax::mapping::SpanMap;
use crate::syntax::yaml;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{BlockLabel, Structure};
use hcl_edit::Span as _;

/// A body: attributes and blocks in source order.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

/// `key = value`.
#[derive(Debug, Clone)]
pub struct Attr {
    pub key: String,
    pub key_span: Span,
    pub value: Expr,
    pub value_span: Span,
}

/// `ident "label" … { body }`.
#[derive(Debug, Clone)]
pub struct Block {
    pub ident: String,
    pub labels: Vec<String>,
    /// Span of each label (same length as `labels`), e.g. the `"secret/*"` of a policy's
    /// `path "secret/*" { … }`, so findings about a path rule point at the path itself.
    pub label_spans: Vec<Span>,
    /// Span of the block's identifier.
    pub ident_span: Span,
    /// Span of the whole block.
    pub span: Span,
    pub body: Body,
}

/// The value of an attribute, as far as it is literal.
#[derive(Debug, Clone)]
pub enum Expr {
    Null,
    Bool(bool),
    /// A number with its source text (HCL1 reads a leading `0` as octal: keep the raw form).
    Number {
        value: f64,
        raw: String,
    },
    Str(String),
    /// A string with interpolations (`"https://${host}:8200"`) or a heredoc: its raw text.
    Template(String),
    Array(Vec<(Expr, Span)>),
    Object(Vec<Attr>),
    /// A variable, function call or other expression that is not evaluated.
    Other(String),
}

/// A parse failure, located.
#[derive(Debug, Clone)]
pub struct HclError {
    pub span: Span,
    pub message: String,
}

impl Body {
    /// The last attribute named `key` (HCL1 lets a later one win).
    pub fn attr(&self, key: &str) -> Option<&Attr> {
        self.attrs.iter().rev().find(|a| a.key == key)
    }
    pub fn blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident == ident)
    }
    pub fn has(&self, key: &str) -> bool {
        self.attr(key).is_some() || self.blocks(key).next().is_some()
    }
    /// A setting of a nested stanza, however it is written: `stanza { key = … }` (the last
    /// such block that sets it) or `stanza = { key = … }` (HCL1 and JSON decode both alike).
    pub fn nested(&self, stanza: &str, key: &str) -> Option<&Attr> {
        let from_blocks = self
            .blocks
            .iter()
            .rev()
            .filter(|b| b.ident == stanza)
            .find_map(|b| b.body.attr(key));
        from_blocks.or_else(|| {
            self.attr(stanza)?
                .value
                .object()?
                .iter()
                .rev()
                .find(|a| a.key == key)
        })
    }
}

impl Expr {
    /// The literal string, if the value is a plain string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }
    /// Text of a string or template, for address checks that only need the literal scheme.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Expr::Str(s) | Expr::Template(s) => Some(s),
            _ => None,
        }
    }
    /// `parseutil.ParseBool` (mapstructure weak decode, RULES-SPEC §0.1 (2)).
    pub fn weak_bool(&self) -> crate::semantics::BoolReading {
        use crate::semantics::*;
        match self {
            Expr::Bool(true) => BoolReading::True,
            Expr::Bool(false) => BoolReading::False,
            Expr::Number { value, .. } => weak_parse_bool_num(*value),
            Expr::Str(s) => weak_parse_bool_str(s),
            Expr::Null => BoolReading::Unset,
            Expr::Template(_) | Expr::Other(_) => BoolReading::Unknown,
            Expr::Array(_) | Expr::Object(_) => BoolReading::Invalid,
        }
    }
    pub fn object(&self) -> Option<&[Attr]> {
        match self {
            Expr::Object(o) => Some(o),
            _ => None,
        }
    }
}

/// Parses HCL text. `map` turns byte offsets of `text` into file positions. HCL1-only forms
/// Vault accepts are rewritten in place first when the text does not parse as is.
pub fn parse(text: &str, map: &dyn SpanMap) -> Result<Body, HclError> {
    let first = match hcl_edit::parser::parse_body(text) {
        Ok(body) => return Ok(convert_body(&body, text, map, &[])),
        Err(e) => e,
    };
    if let Some((rewritten, mangled)) = crate::syntax::hcl1::to_hcl2(text) {
        if let Ok(body) = hcl_edit::parser::parse_body(&rewritten) {
            // Offsets are identical, so raw slices come from the original text.
            return Ok(convert_body(&body, text, map, &mangled));
        }
    }
    let loc = first.location();
    let offset = map.offset_of_line_col(text, loc.line(), loc.column());
    let at = map.span(offset..offset);
    let hint = hcl1_hint(text, loc.line());
    Err(HclError {
        span: at,
        message: format!("HCL syntax error: {}{hint}", first.message()),
    })
}

/// Explains the HCL1-only forms Vault accepts but HCL2 parsers do not.
fn hcl1_hint(text: &str, line: usize) -> &'static str {
    let l = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim();
    if l.starts_with('"') && l.contains("\" =") {
        " (a quoted attribute name is HCL1-only syntax; write it unquoted)"
    } else if l.matches(" = ").count() > 1 {
        " (several attributes on one line is HCL1-only syntax; put each on its own line)"
    } else {
        ""
    }
}

fn convert_body(
    body: &hcl_edit::structure::Body,
    text: &str,
    map: &dyn SpanMap,
    mangled: &[usize],
) -> Body {
    // Trees are kept for the whole scan: each list is allocated once at its size, not grown
    // and shrunk to fit (a reallocation and copy each).
    let attrs = body.iter().filter(|s| s.is_attribute()).count();
    let mut out = Body {
        attrs: Vec::with_capacity(attrs),
        blocks: Vec::with_capacity(body.len() - attrs),
    };
    for structure in body.iter() {
        match structure {
            Structure::Attribute(a) => out.attrs.push(Attr {
                key: restore_key(a.key.as_str(), a.key.span(), mangled),
                key_span: span_of(a.key.span(), map),
                value: convert_expr(&a.value, text, map),
                value_span: span_of(a.value.span(), map),
            }),
            Structure::Block(b) => out.blocks.push(Block {
                ident: b.ident.as_str().to_owned(),
                labels: b
                    .labels
                    .iter()
                    .map(|l| match l {
                        BlockLabel::Ident(i) => i.as_str().to_owned(),
                        BlockLabel::String(s) => s.value().clone(),
                    })
                    .collect(),
                label_spans: b.labels.iter().map(|l| span_of(l.span(), map)).collect(),
                ident_span: span_of(b.ident.span(), map),
                span: span_of(b.span(), map),
                body: convert_body(&b.body, text, map, mangled),
            }),
        }
    }
    out
}

/// Undoes the `"key"` → `_key_` rewrite of [`crate::syntax::hcl1`].
fn restore_key(key: &str, span: Option<std::ops::Range<usize>>, mangled: &[usize]) -> String {
    match span {
        Some(r) if mangled.contains(&r.start) && key.len() >= 2 => key[1..key.len() - 1].to_owned(),
        _ => key.to_owned(),
    }
}

fn span_of(range: Option<std::ops::Range<usize>>, map: &dyn SpanMap) -> Span {
    range.map_or_else(Span::file_start, |r| map.span(r))
}

fn raw(text: &str, range: Option<std::ops::Range<usize>>) -> &str {
    range.and_then(|r| text.get(r)).unwrap_or("")
}

fn convert_expr(e: &Expression, text: &str, map: &dyn SpanMap) -> Expr {
    match e {
        Expression::Null(_) => Expr::Null,
        Expression::Bool(b) => Expr::Bool(*b.value()),
        Expression::Number(n) => Expr::Number {
            value: n.value().as_f64().unwrap_or(f64::NAN),
            raw: raw(text, n.span()).trim().to_owned(),
        },
        Expression::String(s) => Expr::Str(s.value().clone()),
        Expression::StringTemplate(t) => {
            let r = raw(text, t.span()).trim();
            Expr::Template(
                r.strip_prefix('"')
                    .and_then(|r| r.strip_suffix('"'))
                    .unwrap_or(r)
                    .to_owned(),
            )
        }
        Expression::HeredocTemplate(h) => Expr::Template(h.template.to_string()),
        Expression::Array(a) => Expr::Array(
            a.iter()
                .map(|x| (convert_expr(x, text, map), span_of(x.span(), map)))
                .collect(),
        ),
        Expression::Object(o) => Expr::Object(
            o.iter()
                .map(|(k, v)| {
                    let (key, key_span) = match k {
                        ObjectKey::Ident(i) => (i.as_str().to_owned(), i.span()),
                        ObjectKey::Expression(Expression::String(s)) => {
                            (s.value().clone(), s.span())
                        }
                        ObjectKey::Expression(x) => (raw(text, x.span()).to_owned(), x.span()),
                    };
                    Attr {
                        key,
                        key_span: span_of(key_span, map),
                        value: convert_expr(v.expr(), text, map),
                        value_span: span_of(v.expr().span(), map),
                    }
                })
                .collect(),
        ),
        Expression::Parenthesis(p) => convert_expr(p.inner(), text, map),
        other => Expr::Other(raw(text, other.span()).to_owned()),
    }
}

/// How many labels a JSON object key stands for, when a JSON config is read as HCL
/// (`{"listener": {"tcp": {...}}}` is `listener "tcp" {...}`).
fn json_label_count(ident: &str) -> Option<usize> {
    Some(match ident {
        "listener"
        | "storage"
        | "ha_storage"
        | "seal"
        | "service_registration"
        | "method"
        | "sink"
        | "path"
        | "provider"
        | "variable"
        | "output"
        | "module" => 1,
        // OpenBao's declarative `audit "<type>" "<path>"`.
        "resource" | "data" | "audit" => 2,
        "telemetry"
        | "vault"
        | "auto_auth"
        | "template"
        | "cache"
        | "api_proxy"
        | "retry_join"
        | "config"
        | "template_config"
        | "profiling"
        | "inflight_requests_logging"
        | "custom_response_headers"
        | "persist"
        | "retry"
        | "exec"
        | "env_template"
        | "listener_config" => 0,
        _ => return None,
    })
}

/// Shapes a JSON document (already parsed with spans) into an HCL body.
pub fn from_json(root: &yaml::Node) -> Body {
    let mut out = Body::default();
    for (key, entry) in root.entries() {
        match json_label_count(key) {
            Some(n) if entry.value.as_map().is_some() || entry.value.as_seq().is_some() => {
                let items: Vec<&yaml::Node> = match &entry.value.value {
                    yaml::Value::Seq(items) => items.iter().collect(),
                    _ => vec![&entry.value],
                };
                for item in items {
                    push_json_blocks(&mut out, key, entry.key.span, item, n, Vec::new());
                }
            }
            _ => out.attrs.push(Attr {
                key: key.to_owned(),
                key_span: entry.key.span,
                value: json_expr(&entry.value),
                value_span: entry.value.span,
            }),
        }
    }
    out
}

fn push_json_blocks(
    out: &mut Body,
    ident: &str,
    ident_span: Span,
    node: &yaml::Node,
    labels_left: usize,
    labels: Vec<(String, Span)>,
) {
    if labels_left == 0 {
        let bodies: Vec<&yaml::Node> = match &node.value {
            yaml::Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        for b in bodies {
            out.blocks.push(Block {
                ident: ident.to_owned(),
                labels: labels.iter().map(|(l, _)| l.clone()).collect(),
                label_spans: labels.iter().map(|(_, s)| *s).collect(),
                ident_span,
                span: ident_span.join(b.span),
                body: from_json(b),
            });
        }
        return;
    }
    for (label, entry) in node.entries() {
        let mut l = labels.clone();
        l.push((label.to_owned(), entry.key.span));
        push_json_blocks(out, ident, entry.key.span, &entry.value, labels_left - 1, l);
    }
}

fn json_expr(node: &yaml::Node) -> Expr {
    match &node.value {
        yaml::Value::Scalar(s) => match (s.style, s.typed()) {
            (yaml::Style::Plain, yaml::Typed::Null) => Expr::Null,
            (yaml::Style::Plain, yaml::Typed::Bool(b)) => Expr::Bool(b),
            (yaml::Style::Plain, yaml::Typed::Int(i)) => Expr::Number {
                value: i as f64,
                raw: s.text.to_string(),
            },
            (yaml::Style::Plain, yaml::Typed::Float(f)) => Expr::Number {
                value: f,
                raw: s.text.to_string(),
            },
            _ => Expr::Str(s.text.to_string()),
        },
        yaml::Value::Seq(items) => {
            Expr::Array(items.iter().map(|i| (json_expr(i), i.span)).collect())
        }
        yaml::Value::Map(_) => Expr::Object(
            node.entries()
                .map(|(k, e)| Attr {
                    key: k.to_owned(),
                    key_span: e.key.span,
                    value: json_expr(&e.value),
                    value_span: e.value.span,
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Pos;
    use crate::syntax::mapping::FileMap;

    #[test]
    fn attributes_and_blocks_are_located() {
        let text =
            "ui = true\nlistener \"tcp\" {\n  address = \"[::]:8200\"\n  tls_disable = 1\n}\n";
        let map = FileMap::new(text);
        let body = parse(text, &map).unwrap();
        let l = body.blocks("listener").next().unwrap();
        assert_eq!(l.labels, ["tcp"]);
        let t = l.body.attr("tls_disable").unwrap();
        assert_eq!(t.key_span.start, Pos::new(4, 3));
        assert_eq!(t.value_span, Span::new(Pos::new(4, 17), Pos::new(4, 18)));
        assert_eq!(t.value.weak_bool(), crate::semantics::BoolReading::True);
    }

    #[test]
    fn hcl1_only_syntax_parses_with_exact_positions() {
        let text = "listener \"tcp\" { address = \"x\" tls_disable = 1 }\nseal \"pkcs11\" {\n  \"slot\" = \"0\"\n  mechanism = 0x1082\n}\n";
        let body = parse(text, &FileMap::new(text)).unwrap();
        let l = body.blocks("listener").next().unwrap();
        let t = l.body.attr("tls_disable").unwrap();
        assert_eq!(t.key_span.start, Pos::new(1, 32));
        assert_eq!(t.value_span.start, Pos::new(1, 46));
        let seal = body.blocks("seal").next().unwrap();
        assert_eq!(
            seal.body.attr("slot").unwrap().key_span.start,
            Pos::new(3, 3)
        );
        assert!(
            matches!(&seal.body.attr("mechanism").unwrap().value, Expr::Number { raw, .. } if raw == "0x1082")
        );
    }

    #[test]
    fn unparseable_hcl_is_located() {
        let text = "listener \"tcp\" {\n  address = \n}\n";
        let err = parse(text, &FileMap::new(text)).unwrap_err();
        assert!(
            err.message.starts_with("HCL syntax error"),
            "{}",
            err.message
        );
        assert!(err.span.start.line >= 2);
    }

    #[test]
    fn json_configs_become_blocks() {
        let text =
            "{\"listener\": {\"tcp\": {\"address\": \"0.0.0.0:8200\", \"tls_disable\": \"true\"}}}";
        let doc = &yaml::parse(text).documents[0];
        let body = from_json(&doc.root);
        let l = body.blocks("listener").next().unwrap();
        assert_eq!(l.labels, ["tcp"]);
        assert_eq!(
            l.body.attr("tls_disable").unwrap().value.as_str(),
            Some("true")
        );
    }

    #[test]
    fn json_audit_stanzas_have_type_and_path() {
        // OpenBao's documented JSON form of `audit "file" "to-stdout" { options { … } }`.
        let text = "{\"audit\": [{\"file\": {\"to-stdout\": {\"options\": {\"file_path\": \"stdout\"}}}}]}";
        let body = from_json(&yaml::parse(text).documents[0].root);
        let a = body.blocks("audit").next().unwrap();
        assert_eq!(a.labels, ["file", "to-stdout"]);
        assert_eq!(
            a.body
                .nested("options", "file_path")
                .and_then(|x| x.value.as_str()),
            Some("stdout")
        );
    }

    #[test]
    fn nested_settings_read_blocks_and_objects() {
        let text = "telemetry {\n  a = 1\n}\ntelemetry {\n  a = 2\n}\nprofiling = { b = true }\n";
        let body = parse(text, &crate::syntax::mapping::FileMap::new(text)).unwrap();
        let a = body.nested("telemetry", "a").unwrap();
        assert_eq!(a.key_span.start.line, 5);
        assert!(matches!(
            body.nested("profiling", "b").unwrap().value,
            Expr::Bool(true)
        ));
        assert!(body.nested("profiling", "c").is_none());
    }
}
