//! Reading an ACL policy (HCL or JSON) into path rules, as OpenBao's `parsePaths` does
//! (RULES-SPEC §2.1, §1(c)).

use super::{Capability, Caps};
use crate::location::Span;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::syntax::hcl::{self, Attr, Body, Expr};
use crate::syntax::mapping::FileMap;
use crate::syntax::yaml;
use std::sync::Arc;

/// A parsed policy: its name (the file stem on the CLI), where it came from, and its rules
/// in source order.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub source: Arc<str>,
    pub rules: Vec<PathRule>,
}

/// How a rule's stored key is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// No glob, no `+` segment: matches only the identical path.
    Exact,
    /// Trailing `*` without `+` segments: a plain string prefix (not segment-bounded).
    Prefix,
    /// Has `+` segment wildcards; `is_prefix` when it also ends in `*` (kept in the key).
    Segment { is_prefix: bool },
}

/// One `path "…" { … }` block.
#[derive(Debug, Clone)]
pub struct PathRule {
    /// The key as written.
    pub raw_path: String,
    /// The stored key: one leading `/` stripped; for `Prefix` rules the trailing `*` removed.
    /// For `Segment` rules a trailing `*` is kept, as OpenBao keeps it.
    pub path: String,
    pub path_span: Span,
    pub kind: RuleKind,
    /// `capabilities` entries as written, with their spans.
    pub capabilities: Vec<(Capability, Span)>,
    /// Legacy `policy = "read"|"write"|"sudo"|"deny"`, with its span.
    pub legacy_policy: Option<(String, Span)>,
    /// The bitmap Vault evaluates: `deny` anywhere makes it deny-only.
    pub caps: Caps,
    /// Kept for other rules; not evaluated by the ACL (requests carry no data offline).
    pub allowed_parameters: Option<Vec<Attr>>,
    pub denied_parameters: Option<Vec<Attr>>,
    pub required_parameters: Vec<String>,
    /// The key holds an identity template (`{{identity.entity.id}}`): it cannot be resolved
    /// offline, so the ACL leaves the rule out (Vault drops rules it cannot template).
    pub templated: bool,
}

/// Why a policy was rejected (OpenBao rejects the whole policy in these cases).
#[derive(Debug, Clone)]
pub struct PolicyError {
    pub span: Span,
    pub message: String,
}

const PATH_KEYS: &[&str] = &[
    "comment",
    "policy",
    "capabilities",
    "allowed_parameters",
    "denied_parameters",
    "required_parameters",
    "min_wrapping_ttl",
    "max_wrapping_ttl",
    "mfa_methods",
    "pagination_limit",
    "expiration",
    "list_scan_response_keys_filter_path",
    "control_group",
];

/// Parses policy text: JSON when it starts with `{`, HCL otherwise.
pub fn parse_policy_text(name: &str, source: &str, text: &str) -> Result<Policy, PolicyError> {
    let body = if text.trim_start().starts_with('{') {
        let stream = yaml::parse(text);
        if let Some(issue) = stream.issues.iter().find(|i| i.is_error) {
            return Err(PolicyError {
                span: issue.span,
                message: format!("JSON syntax error: {}", issue.message),
            });
        }
        match stream.documents.first() {
            Some(doc) => hcl::from_json(&doc.root),
            None => Body::default(),
        }
    } else {
        hcl::parse(text, &FileMap::new(text)).map_err(|e| PolicyError {
            span: e.span,
            message: e.message,
        })?
    };
    parse_policy_body(name, Arc::from(source), &body)
}

/// The policy in a scanned HCL document (`None` unless the scan classified it as a policy),
/// named as written (`vault_policy.name`, `vault policy write NAME`) or else after its file,
/// as `vault policy write <name> <file>` is usually run.
pub fn from_hcl_doc(doc: &HclDoc) -> Option<Result<Policy, PolicyError>> {
    if doc.kind != HclKind::Policy {
        return None;
    }
    let name = doc.name.clone().unwrap_or_else(|| {
        std::path::Path::new(&*doc.path).file_stem().map_or_else(
            || doc.path.to_string(),
            |s| s.to_string_lossy().into_owned(),
        )
    });
    Some(parse_policy_body(&name, doc.path.clone(), &doc.body))
}

fn err<T>(span: Span, message: String) -> Result<T, PolicyError> {
    Err(PolicyError { span, message })
}

/// Reads the `path` blocks of a policy body.
pub fn parse_policy_body(name: &str, source: Arc<str>, body: &Body) -> Result<Policy, PolicyError> {
    for a in &body.attrs {
        if a.key != "name" {
            return err(
                a.key_span,
                format!("invalid key {:?} at the top level of a policy", a.key),
            );
        }
    }
    // Policies are kept for the whole scan: sized once, not grown by doubling.
    let mut rules = Vec::with_capacity(body.blocks.len());
    for b in &body.blocks {
        if b.ident != "path" {
            return err(
                b.ident_span,
                format!("invalid key {:?} at the top level of a policy", b.ident),
            );
        }
        rules.push(parse_rule(b)?);
    }
    Ok(Policy {
        name: name.to_owned(),
        source,
        rules,
    })
}

fn parse_rule(b: &hcl::Block) -> Result<PathRule, PolicyError> {
    let (raw_path, path_span) = match (b.labels.first(), b.label_spans.first()) {
        // OpenBao reads `path "x" "y" { … }` as a rule for `x` (checked on 2.7.2): the first
        // label is the path, further ones are ignored.
        (Some(l), Some(s)) => (l.clone(), *s),
        _ => {
            return err(
                b.ident_span,
                "a path block needs a label: path \"<path>\" { … }".into(),
            )
        }
    };
    for a in &b.body.attrs {
        if !PATH_KEYS.contains(&a.key.as_str()) {
            return err(
                a.key_span,
                format!("path {raw_path:?}: invalid key {:?}", a.key),
            );
        }
    }
    for blk in &b.body.blocks {
        if !PATH_KEYS.contains(&blk.ident.as_str()) {
            return err(
                blk.ident_span,
                format!("path {raw_path:?}: invalid key {:?}", blk.ident),
            );
        }
    }
    let templated = raw_path.contains("{{");
    // §2.1 (1): strip exactly one leading `/` (root namespace: nothing is prepended).
    let mut path = raw_path.strip_prefix('/').unwrap_or(&raw_path).to_owned();
    // §2.1 (2): `+*` is rejected outright.
    if path.contains("+*") {
        return err(
            path_span,
            format!("path {path:?}: invalid use of wildcards ('+*' is forbidden)"),
        );
    }
    // §2.1 (3): OpenBao tests for the *substring* `/+`, so `a/+b` also counts as having
    // segment wildcards (its `+b` is still literal at match time, but the rule lives in the
    // segment store and keeps its trailing `*`).
    let segment = path == "+" || path.contains("/+") || path.starts_with("+/");
    let kind = match (segment, path.ends_with('*')) {
        (true, is_prefix) => RuleKind::Segment { is_prefix },
        (false, true) => {
            path.pop();
            RuleKind::Prefix
        }
        (false, false) => RuleKind::Exact,
    };

    // Names borrow the document's strings (or the legacy expansions below): a policy of n
    // rules allocated a `String` per capability only to compare it.
    let mut names: Vec<(&str, Span)> = Vec::new();
    if let Some(a) = b.body.attr("capabilities") {
        match &a.value {
            Expr::Array(items) => {
                for (item, span) in items {
                    match item.as_str() {
                        Some(s) => names.push((s, *span)),
                        None => {
                            return err(
                                *span,
                                format!("path {raw_path:?}: capabilities must be strings"),
                            )
                        }
                    }
                }
            }
            Expr::Null => {}
            _ => {
                return err(
                    a.value_span,
                    format!("path {raw_path:?}: capabilities must be a list of strings"),
                )
            }
        }
    }
    // Legacy `policy = …` (§1(c)): `deny` replaces the list; the others append.
    let mut legacy_policy = None;
    if let Some(a) = b.body.attr("policy") {
        let Some(v) = a.value.as_str() else {
            return err(
                a.value_span,
                format!("path {raw_path:?}: policy must be a string"),
            );
        };
        let extra: &[&str] = match v {
            "deny" => {
                names.clear();
                &["deny"]
            }
            "read" => &["read", "list"],
            "write" => &["create", "read", "update", "delete", "list"],
            "sudo" => &["create", "read", "update", "delete", "list", "sudo"],
            _ => {
                return err(
                    a.value_span,
                    format!("path {raw_path:?}: invalid policy {v:?}"),
                )
            }
        };
        names.extend(extra.iter().map(|n| (*n, a.value_span)));
        legacy_policy = Some((v.to_owned(), a.value_span));
    }
    // §2.1 (6): capabilities in order; `deny` makes the bitmap deny-only and stops reading
    // (so an invalid name after `deny` is not an error, as in OpenBao).
    let mut caps = Caps::NONE;
    // Sized for every name, so the common case (no `deny` cutting the list short) needs no
    // shrinking below.
    let mut capabilities = Vec::with_capacity(names.len());
    for (n, span) in &names {
        match Capability::parse(n) {
            Some(Capability::Deny) => {
                caps = Caps::DENY;
                capabilities.push((Capability::Deny, *span));
                break;
            }
            Some(c) => {
                caps = caps.with(c);
                capabilities.push((c, *span));
            }
            None => {
                return err(
                    *span,
                    format!("path {raw_path:?}: invalid capability {n:?}"),
                )
            }
        }
    }
    capabilities.shrink_to_fit();
    let params = |key: &str| {
        b.body
            .attr(key)
            .and_then(|a| a.value.object().map(<[Attr]>::to_vec))
    };
    let required_parameters = b
        .body
        .attr("required_parameters")
        .and_then(|a| match &a.value {
            Expr::Array(items) => Some(
                items
                    .iter()
                    .filter_map(|(e, _)| e.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    Ok(PathRule {
        raw_path,
        path,
        path_span,
        kind,
        capabilities,
        legacy_policy,
        caps,
        allowed_parameters: params("allowed_parameters"),
        denied_parameters: params("denied_parameters"),
        required_parameters,
        templated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Pos;

    fn one(text: &str) -> PathRule {
        parse_policy_text("p", "p.hcl", text)
            .unwrap()
            .rules
            .remove(0)
    }

    #[test]
    fn kinds_and_stored_keys() {
        let r = one("path \"/secret/*\" { capabilities = [\"read\"] }");
        assert_eq!((r.path.as_str(), r.kind), ("secret/", RuleKind::Prefix));
        let r = one("path \"secret/+/x*\" { capabilities = [\"read\"] }");
        assert_eq!(
            (r.path.as_str(), r.kind),
            ("secret/+/x*", RuleKind::Segment { is_prefix: true })
        );
        let r = one("path \"secret/*/config\" { capabilities = [\"read\"] }");
        assert_eq!(
            (r.path.as_str(), r.kind),
            ("secret/*/config", RuleKind::Exact)
        );
        let r = one("path \"a/b+c\" { capabilities = [\"read\"] }");
        assert_eq!(r.kind, RuleKind::Exact);
        let r = one("path \"a/+b*\" { capabilities = [\"read\"] }");
        assert_eq!(r.kind, RuleKind::Segment { is_prefix: true });
        let r = one("path \"+\" { capabilities = [\"read\"] }");
        assert_eq!(r.kind, RuleKind::Segment { is_prefix: false });
    }

    #[test]
    fn path_span_points_at_the_label() {
        let r = one("\npath \"secret/x\" {\n  capabilities = [\"read\"]\n}\n");
        assert_eq!(r.path_span.start, Pos::new(2, 6));
        assert_eq!(r.capabilities[0].1.start, Pos::new(3, 19));
    }

    #[test]
    fn deny_wins_within_a_block_and_legacy_forms_map() {
        let r = one("path \"x\" { capabilities = [\"read\", \"deny\", \"bogus\"] }");
        assert_eq!(r.caps, Caps::DENY);
        let r = one("path \"x\" { policy = \"write\" }");
        assert_eq!(
            r.caps.names(),
            ["create", "delete", "list", "read", "update"]
        );
        let r = one("path \"x\" {\n  capabilities = [\"patch\"]\n  policy = \"read\"\n}");
        assert_eq!(r.caps.names(), ["list", "patch", "read"]);
        let r = one("path \"x\" {\n  capabilities = [\"read\"]\n  policy = \"deny\"\n}");
        assert_eq!(r.caps, Caps::DENY);
        let r = one("path \"x\" { policy = \"sudo\" }");
        assert!(r.caps.contains(Capability::Sudo));
    }

    #[test]
    fn extra_labels_are_ignored_as_openbao_does() {
        let r = one("path \"x\" \"y\" { capabilities = [\"read\"] }");
        assert_eq!((r.path.as_str(), r.caps.names()), ("x", vec!["read"]));
    }

    #[test]
    fn rejected_policies() {
        for bad in [
            "path \"x/+*\" { capabilities = [\"read\"] }",
            "path \"x\" { capabilities = [\"reed\"] }",
            "path \"x\" { policy = \"admin\" }",
            "path \"x\" { capabilities = [\"read\"]\n bogus = 1 }",
            "path \"x\" { capabilities = \"read\" }",
            "path \"x\" { capabilities = [\"read\"] }\nfoo = 1",
            "paths \"x\" { capabilities = [\"read\"] }",
        ] {
            assert!(parse_policy_text("p", "p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn json_policies_read_like_hcl() {
        let p = parse_policy_text(
            "p",
            "p.json",
            r#"{"path": {"secret/*": {"capabilities": ["read", "list"]}, "a/b": {"policy": "deny"}}}"#,
        )
        .unwrap();
        assert_eq!(p.rules.len(), 2);
        assert_eq!(p.rules[0].path, "secret/");
        assert_eq!(p.rules[0].path_span.start, Pos::new(1, 11));
        assert_eq!(p.rules[1].caps, Caps::DENY);
    }

    #[test]
    fn scanned_policy_documents_convert() {
        let text = "path \"secret/*\" { capabilities = [\"read\"] }";
        let body = hcl::parse(text, &FileMap::new(text)).unwrap();
        let doc = HclDoc {
            path: "policies/app.hcl".into(),
            kind: crate::model::vault_hcl::classify(&body),
            body,
            container: None,
            origin: None,
            name: None,
        };
        let p = from_hcl_doc(&doc).unwrap().unwrap();
        assert_eq!(
            (p.name.as_str(), p.rules[0].path.as_str()),
            ("app", "secret/")
        );
    }

    #[test]
    fn parameters_are_kept() {
        let r = one("path \"x\" {\n  capabilities = [\"update\"]\n  allowed_parameters = {\n    \"ttl\" = [\"1h\"]\n  }\n  required_parameters = [\"ttl\"]\n}");
        assert_eq!(r.allowed_parameters.unwrap()[0].key, "ttl");
        assert_eq!(r.required_parameters, ["ttl"]);
    }
}
