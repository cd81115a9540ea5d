//! POL014 — Policy that Vault will reject (`vault policy write` fails; the target is OpenBao,
//! whose parser `crate::policy::parse` follows): unknown keys, unknown capabilities, `+*`,
//! a bad legacy `policy` value (all reported from the parser's error), and — on policies that
//! parse — the name `root`, `min_wrapping_ttl` above `max_wrapping_ttl`, an
//! `allowed_parameters` `"*"` with a non-empty list, and identity templates outside the
//! parameter table.

use super::rules_with_blocks;
use crate::duration::{parse_vault, Duration};
use crate::location::Span;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::hcl::{Attr, Expr};

pub struct RejectedPolicy;

fn duration(a: &Attr) -> Option<Duration> {
    match &a.value {
        Expr::Str(s) => parse_vault(s).ok().flatten(),
        Expr::Number { raw, .. } => parse_vault(raw).ok().flatten(),
        _ => None,
    }
}

/// Whether `{{ … }}` names a parameter Vault's policy templating knows.
pub(crate) fn valid_template_param(p: &str) -> bool {
    let s: Vec<&str> = p.trim().split('.').collect();
    let named = |x: &str| !x.is_empty();
    match s.as_slice() {
        ["identity", "entity", "id" | "name"] => true,
        ["identity", "entity", "metadata", k] => named(k),
        ["identity", "entity", "aliases", acc, "id" | "name"] => named(acc),
        ["identity", "entity", "aliases", acc, "metadata" | "custom_metadata", k] => {
            named(acc) && named(k)
        }
        ["identity", "groups", "ids", id, "name"] => named(id),
        ["identity", "groups", "names", n, "id"] => named(n),
        ["identity", "groups", "ids" | "names", x, "metadata", k] => named(x) && named(k),
        _ => false,
    }
}

/// The template parameters of a path, or `Err` for an unclosed `{{`.
pub(crate) fn template_params(path: &str) -> Result<Vec<&str>, ()> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(i) = rest.find("{{") {
        let after = &rest[i + 2..];
        let j = after.find("}}").ok_or(())?;
        out.push(&after[..j]);
        rest = &after[j + 2..];
    }
    Ok(out)
}

impl Rule for RejectedPolicy {
    fn id(&self) -> &'static str {
        "POL014"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies() {
            let policy = match &sp.parsed {
                Ok(p) => p,
                Err(e) => {
                    out.report(
                        sp.location(e.span),
                        format!("Vault/OpenBao reject policy {:?}: {}", sp.name, e.message),
                    )
                    .identity(format!("policy {}: rejected", sp.name));
                    continue;
                }
            };
            let mut bad = |span: Span, what: String, key: &str| {
                out.report(
                    sp.location(span),
                    format!("Vault/OpenBao reject policy {:?}: {what}", sp.name),
                )
                .identity(format!("policy {}: {key}", sp.name));
            };
            if sp.name == "root" {
                let span = policy
                    .rules
                    .first()
                    .map_or(Span::file_start(), |r| r.path_span);
                bad(span, "a policy cannot be named `root`".into(), "root");
            }
            for (rule, block) in rules_with_blocks(inv, sp) {
                match template_params(&rule.raw_path) {
                    Err(()) => bad(
                        rule.path_span,
                        format!("path {:?} has an unclosed `{{{{`", rule.raw_path),
                        &rule.raw_path,
                    ),
                    Ok(params) => {
                        if let Some(p) = params.iter().find(|p| !valid_template_param(p)) {
                            bad(
                                rule.path_span,
                                format!(
                                    "path {:?}: `{{{{{}}}}}` is not a policy template parameter",
                                    rule.raw_path,
                                    p.trim()
                                ),
                                &rule.raw_path,
                            );
                        }
                    }
                }
                // Both TTLs take two attributes; most blocks hold only `capabilities`, and
                // looking them up compared every key.
                let (min, max) = match block.body.attrs.len() {
                    0 | 1 => (None, None),
                    _ => (
                        block.body.attr("min_wrapping_ttl"),
                        block.body.attr("max_wrapping_ttl"),
                    ),
                };
                if let (Some(a), Some(b)) = (min, max) {
                    if let (Some(lo), Some(hi)) = (duration(a), duration(b)) {
                        if lo > hi {
                            bad(
                                a.value_span,
                                format!(
                                    "path {:?}: min_wrapping_ttl ({lo}) is greater than max_wrapping_ttl ({hi})",
                                    rule.raw_path
                                ),
                                &format!("{}: wrapping", rule.raw_path),
                            );
                        }
                    }
                }
                for a in rule.allowed_parameters.iter().flatten() {
                    if a.key == "*" && matches!(&a.value, Expr::Array(v) if !v.is_empty()) {
                        bad(
                            a.value_span,
                            format!(
                                "path {:?}: allowed_parameters \"*\" must be an empty list",
                                rule.raw_path
                            ),
                            &format!("{}: allowed *", rule.raw_path),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parameters() {
        for ok in [
            "identity.entity.id",
            " identity.entity.name ",
            "identity.entity.metadata.team",
            "identity.entity.aliases.auth_kubernetes_1234.metadata.service_account_name",
            "identity.groups.ids.abc.name",
            "identity.groups.names.ops.metadata.team",
        ] {
            assert!(valid_template_param(ok), "{ok}");
        }
        for bad in [
            "identity.entity",
            "identity.entity.ip",
            "entity.id",
            "identity.groups.names.x",
        ] {
            assert!(!valid_template_param(bad), "{bad}");
        }
        assert_eq!(template_params("a/{{x}}/b/{{y}}").unwrap(), ["x", "y"]);
        assert!(template_params("a/{{x").is_err());
    }
}
