//! ACL policies that are not files of their own (RULES-SPEC §1(c)): Terraform `vault_policy`
//! heredocs and `vault_policy_document` data sources, and `vault|bao policy write NAME -
//! <<EOF` heredocs in scripts. Each becomes an [`HclDoc`] of kind `Policy` whose spans are
//! the outer file's exact lines and columns, with the resource or command as its container.
//!
//! Policies referenced by file (`policy = file("x.hcl")`, `vault policy write NAME x.hcl`) are
//! recorded as [`PolicyFileRef`]s; the inventory gives the referenced file's policy its name
//! and the reference as container when that file is in the scan set.

use crate::diagnostic::{Diagnostic, Level};
use crate::location::{LineIndex, Location, Pos, Span};
use crate::model::script::ScriptFacts;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::model::vault_roles::vault_args;
use crate::syntax::hcl::{self, Attr, Block, Body, Expr};
use crate::syntax::mapping::{FileMap, LinesMap};
use std::sync::Arc;

/// A policy written under a name from a file the scan set may hold.
#[derive(Debug, Clone)]
pub struct PolicyFileRef {
    /// Where the reference is (the `file(...)` call, the script's file argument).
    pub at: Location,
    /// The referenced path, relative to the scan root as the scan displays paths
    /// (resolved against the referencing file's directory).
    pub file: String,
    /// The policy name it is written under, when literal.
    pub name: Option<String>,
    /// `vault_policy "app"`, `vault policy write app`.
    pub origin: String,
}

/// What the policy sources of one file produced.
#[derive(Debug, Default)]
pub struct Found {
    pub docs: Vec<HclDoc>,
    pub refs: Vec<PolicyFileRef>,
    pub diagnostics: Vec<Diagnostic>,
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `dir` + `rel`, with `.` and `..` folded (the way the scan displays paths).
pub fn join_path(dir: &str, rel: &str) -> String {
    let absolute = rel.starts_with('/') || (dir.starts_with('/') && !rel.starts_with('/'));
    let base = if rel.starts_with('/') { "" } else { dir };
    let mut parts: Vec<&str> = Vec::new();
    for seg in base.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Parses a policy text whose lines start at known positions; a text Vault would reject is
/// still a policy source, but one sealant cannot read: a note, never a guess.
fn policy_doc(
    path: &Arc<str>,
    text: &str,
    line_starts: Vec<Pos>,
    name: Option<String>,
    container: Location,
    origin: String,
    found: &mut Found,
) {
    let map = LinesMap::new(text, line_starts);
    match hcl::parse(text, &map) {
        Ok(body) => found.docs.push(HclDoc {
            path: path.clone(),
            kind: HclKind::Policy,
            body,
            container: Some(container),
            origin: Some(origin),
            name,
        }),
        Err(e) => found.diagnostics.push(Diagnostic::new(
            Level::Note,
            "not-evaluated",
            path.clone(),
            Some(e.span),
            format!(
                "policy in {origin} not evaluated: {} (interpolations are not resolved)",
                e.message
            ),
        )),
    }
}

/// Policy sources in a Terraform file's body.
pub fn from_terraform(path: &Arc<str>, text: &str, body: &Body) -> Found {
    let mut found = Found::default();
    // Only a heredoc policy needs lines; most Terraform files have none.
    let file_map = std::cell::LazyCell::new(|| FileMap::new(text));
    let label_span = |b: &Block| b.label_spans.last().copied().unwrap_or(b.ident_span);
    for b in body.blocks("resource").filter(|b| b.labels.len() == 2) {
        if b.labels[0] != "vault_policy" {
            continue;
        }
        let Some(policy) = b.body.attr("policy") else {
            continue;
        };
        let name = b
            .body
            .attr("name")
            .and_then(|a| a.value.as_str())
            .map(str::to_owned);
        let origin = format!("vault_policy \"{}\"", b.labels[1]);
        let container = Location::new(path.clone(), label_span(b));
        match &policy.value {
            Expr::Template(_) | Expr::Str(_) => {
                if let Some((start, end)) = heredoc_body(text, file_map.lines(), policy.value_span)
                {
                    let inner = &text[start..end];
                    let starts = LinesMap::line_starts_in(inner, start, &*file_map);
                    policy_doc(path, inner, starts, name, container, origin, &mut found);
                }
            }
            Expr::Other(call) => {
                if let Some(rel) = file_call(call) {
                    let dir = dir_of(path);
                    let rel = rel
                        .replace("${path.module}", ".")
                        .replace("${path.root}", ".");
                    found.refs.push(PolicyFileRef {
                        at: Location::new(path.clone(), policy.value_span),
                        file: join_path(dir, &rel),
                        name,
                        origin,
                    });
                }
            }
            _ => {}
        }
    }
    for b in body.blocks("data").filter(|b| b.labels.len() == 2) {
        if b.labels[0] != "vault_policy_document" {
            continue;
        }
        let mut doc = Body::default();
        for rule in b.body.blocks("rule") {
            let Some(p) = rule.body.attr("path") else {
                continue;
            };
            let Some(raw) = p.value.as_str() else {
                continue;
            };
            let attrs: Vec<Attr> = rule
                .body
                .attrs
                .iter()
                .filter(|a| matches!(a.key.as_str(), "capabilities" | "required_parameters"))
                .cloned()
                .collect();
            doc.blocks.push(Block {
                ident: "path".into(),
                labels: vec![raw.to_owned()],
                label_spans: vec![p.value_span],
                ident_span: p.key_span,
                span: rule.span,
                body: Body {
                    attrs,
                    blocks: Vec::new(),
                },
            });
        }
        found.docs.push(HclDoc {
            path: path.clone(),
            kind: HclKind::Policy,
            body: doc,
            container: Some(Location::new(path.clone(), label_span(b))),
            origin: Some(format!("data.vault_policy_document.{}", b.labels[1])),
            name: Some(b.labels[1].clone()),
        });
    }
    found
}

/// The byte range of a heredoc's body (`<<EOT` / `<<-EOT` … `EOT`) whose expression starts
/// at `span`: the lines after the opening line up to the closing delimiter.
fn heredoc_body(text: &str, index: &LineIndex, span: Span) -> Option<(usize, usize)> {
    let line_start = index.line_start(span.start.line)?;
    let opening = text[line_start..].lines().next()?;
    let at = opening.find("<<")?;
    let delim: String = opening[at + 2..]
        .trim_start_matches('-')
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if delim.is_empty() {
        return None;
    }
    let start = index.line_start(span.start.line + 1)?;
    let mut pos = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim() == delim {
            return Some((start, pos));
        }
        pos += line.len();
    }
    None
}

/// `file("policies/app.hcl")` → the literal path.
fn file_call(call: &str) -> Option<&str> {
    let inner = call.trim().strip_prefix("file(")?.strip_suffix(')')?.trim();
    let s = inner.strip_prefix('"')?.strip_suffix('"')?;
    (!s.contains("${") || s.starts_with("${path.")).then_some(s)
}

/// Policy sources in a file's scripts: `vault|bao policy write [flags] NAME -` with a heredoc,
/// and `vault|bao policy write NAME FILE`.
pub fn from_scripts(path: &Arc<str>, facts: &ScriptFacts) -> Found {
    let mut found = Found::default();
    for c in &facts.commands {
        let Some(args) = vault_args(c) else { continue };
        let positional: Vec<_> = args
            .iter()
            .filter(|a| !a.text.starts_with('-') || a.text == "-")
            .collect();
        let [sub, verb, name, source, ..] = positional.as_slice() else {
            continue;
        };
        if sub.text != "policy" || verb.text != "write" {
            continue;
        }
        let origin = format!("{} policy write {}", c.program(), name.text);
        let literal_name = (!name.text.contains('$')).then(|| name.text.clone());
        if source.text == "-" {
            if let Some(h) = c.heredocs.first() {
                let container = Location::new(path.clone(), name.span);
                policy_doc(
                    path,
                    &h.text,
                    h.line_starts.clone(),
                    literal_name,
                    container,
                    origin,
                    &mut found,
                );
            }
        } else if !source.text.contains('$') {
            found.refs.push(PolicyFileRef {
                at: Location::new(path.clone(), source.span),
                file: join_path(dir_of(path), &source.text),
                name: literal_name,
                origin,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::classify::ScriptKind;

    #[test]
    fn terraform_heredoc_policy_maps_to_outer_lines() {
        let text = "resource \"vault_policy\" \"app\" {\n  name   = \"app\"\n  policy = <<-EOT\n    path \"secret/app/*\" {\n      capabilities = [\"read\"]\n    }\n  EOT\n}\n";
        let body = hcl::parse(text, &FileMap::new(text)).unwrap();
        let f = from_terraform(&Arc::from("main.tf"), text, &body);
        assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
        let doc = &f.docs[0];
        assert_eq!(doc.name.as_deref(), Some("app"));
        let p = doc.body.blocks("path").next().unwrap();
        assert_eq!(p.label_spans[0].start, Pos::new(4, 10));
        let caps = p.body.attr("capabilities").unwrap();
        assert_eq!(caps.key_span.start, Pos::new(5, 7));
    }

    #[test]
    fn policy_documents_and_file_references() {
        let text = "data \"vault_policy_document\" \"d\" {\n  rule {\n    path = \"secret/data/x\"\n    capabilities = [\"read\"]\n  }\n}\nresource \"vault_policy\" \"f\" {\n  name = \"f\"\n  policy = file(\"${path.module}/../policies/f.hcl\")\n}\n";
        let body = hcl::parse(text, &FileMap::new(text)).unwrap();
        let f = from_terraform(&Arc::from("infra/tf/main.tf"), text, &body);
        let p = crate::policy::from_hcl_doc(&f.docs[0]).unwrap().unwrap();
        assert_eq!(p.name, "d");
        assert_eq!(p.rules[0].path, "secret/data/x");
        assert_eq!(p.rules[0].path_span.start, Pos::new(3, 12));
        assert_eq!(f.refs[0].file, "infra/policies/f.hcl");
        assert_eq!(f.refs[0].name.as_deref(), Some("f"));
    }

    #[test]
    fn shell_heredoc_policy_maps_to_outer_lines() {
        let text = "#!/bin/sh\nset -e\nvault policy write app - <<EOF\npath \"secret/*\" {\n  capabilities = [\"read\"]\n}\nEOF\nbao policy write ops ./ops.hcl\n";
        let facts = crate::model::script::read(text, ScriptKind::Shell, &FileMap::new(text));
        let f = from_scripts(&Arc::from("scripts/setup.sh"), &facts);
        assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
        let doc = &f.docs[0];
        assert_eq!(doc.name.as_deref(), Some("app"));
        let p = doc.body.blocks("path").next().unwrap();
        assert_eq!(p.label_spans[0].start, Pos::new(4, 6));
        assert_eq!(f.refs[0].file, "scripts/ops.hcl");
        assert_eq!(f.refs[0].origin, "bao policy write ops");
    }
}
