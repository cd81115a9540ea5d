//! ROL007 — Static / root / orphan / periodic token creation in code: `vault token create`
//! (`-policy=root`, `-period` without `-explicit-max-ttl`, `-ttl` above the threshold or
//! unset — which resolves through the `auth/token` mount tune and the server's
//! `default_lease_ttl` to 768h —, `-orphan`), `vault write auth/token/create[-orphan]`, and
//! Terraform `vault_token` (which also stores the token in state). One finding per token, at
//! the most severe reason: critical for `root`, high for periodic or long-lived, medium for
//! orphans. `vault operator generate-root` in a script is high. Tokens created from a role
//! (`-role`) take the role's lifetimes, which ROL003 judges. Option: `ROL007: { ttl: [4h] }`.

use super::{report_invalid, threshold};
use crate::duration::Duration;
use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::vault_roles::DurValue;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct TokenCreationInCode;

impl Rule for TokenCreationInCode {
    fn id(&self) -> &'static str {
        "ROL007"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let thr = threshold(cx, "ROL007", "ttl", Duration::from_hours(4));
        let set = inv.vault_roles();
        for t in &set.tokens {
            let mut why: Vec<(Severity, Span, String)> = Vec::new();
            if let Some(root) = t.policies.iter().find(|p| p.text == "root") {
                why.push((
                    Severity::Critical,
                    root.span,
                    "the root policy (unlimited access to everything)".into(),
                ));
            }
            let explicit = match t.explicit_max_ttl.as_ref().map(|f| (f, f.duration())) {
                Some((_, DurValue::Set(d))) => Some(d),
                Some((f, DurValue::Invalid(e))) => {
                    invalid_token_duration(t, f, &e, out);
                    None
                }
                _ => None,
            };
            let periodic = match t.period.as_ref().map(|f| (f, f.duration())) {
                Some((f, DurValue::Set(p))) if explicit.is_none() => {
                    why.push((
                        Severity::High,
                        f.span,
                        format!("a period of {p} without an explicit max TTL (renewable forever)"),
                    ));
                    true
                }
                Some((f, DurValue::Invalid(e))) => {
                    invalid_token_duration(t, f, &e, out);
                    false
                }
                _ => false,
            };
            if !periodic && t.role.is_none() {
                let ttl = match t.ttl.as_ref().map(|f| (f, f.duration())) {
                    Some((f, DurValue::Set(d))) => Some((d, f.span, format!("{}={d}", f.key))),
                    Some((f, DurValue::Invalid(e))) => {
                        invalid_token_duration(t, f, &e, out);
                        None
                    }
                    Some((_, DurValue::Unknown)) => None,
                    other => {
                        let what = if other.is_some() {
                            "ttl=0 (inherit)"
                        } else {
                            "ttl unset"
                        };
                        let def = set.mount_ceiling(true, "token", false);
                        let max = set.mount_ceiling(true, "token", true);
                        let (v, chain) = if max.value < def.value {
                            (
                                max.value,
                                format!("{what} → {} capped by {}", def.chain, max.chain),
                            )
                        } else {
                            (def.value, format!("{what} → {}", def.chain))
                        };
                        let span = t.ttl.as_ref().map_or(t.anchor, |f| f.span);
                        Some((v, span, chain))
                    }
                };
                if let Some((mut v, span, mut chain)) = ttl {
                    if let Some(x) = explicit.filter(|x| *x < v) {
                        v = x;
                        chain = format!("{chain}, capped by explicit max {x}");
                    }
                    if v > thr {
                        why.push((
                            Severity::High,
                            span,
                            format!("a TTL of {v} ({chain}), above the {thr} threshold"),
                        ));
                    }
                }
            }
            if let Some(o) = t.orphan {
                why.push((
                    Severity::Medium,
                    o,
                    "no parent (an orphan survives revocation of the token that created it)".into(),
                ));
            }
            let Some(top) = why.iter().max_by_key(|w| w.0) else {
                continue;
            };
            let (sev, span) = (top.0, top.1);
            let reasons: Vec<&str> = why.iter().map(|w| w.2.as_str()).collect();
            let tf = if t.source == crate::model::vault_roles::Source::Terraform {
                "; Terraform also keeps the token in its state"
            } else {
                ""
            };
            out.report(
                Location::new(t.path.clone(), span),
                format!("a token is created in code with {}{tf}: prefer an auth-method login with short TTLs", reasons.join(", ")),
            )
            .severity(sev)
            .identity(t.identity.clone());
        }
        for g in &set.generate_root {
            out.report(
                Location::new(g.path.clone(), g.span),
                "`vault operator generate-root` runs from a script: root tokens belong in an audited break-glass procedure, never in automation",
            )
            .severity(Severity::High)
            .identity(format!("{}#generate-root", g.path));
        }
    }
}

/// Reports a duration on a token that Vault would reject, keyed by the token and field.
fn invalid_token_duration(
    t: &crate::model::vault_roles::TokenCreate,
    f: &crate::model::vault_roles::Field,
    e: &crate::duration::DurationError,
    out: &mut Emitter,
) {
    report_invalid(
        &t.path,
        "token",
        f,
        e,
        format!("{}.{}.invalid", t.identity, f.key),
        out,
    );
}
