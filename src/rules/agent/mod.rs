//! Vault Agent / Vault Proxy config rules (RULES-SPEC §1(d)), on agent HCL files, JSON
//! configs, and agent configs embedded in ConfigMaps (reported at the inner span).

mod agt001_agent_tls_skip_verify;
mod agt002_agent_plaintext_addr;
mod agt003_auto_auth_token_on_network;
mod agt004_token_sink_readable;
mod agt005_sink_outside_auto_auth;
mod agt006_template_world_readable;
mod agt007_approle_secret_id_kept;
mod agt008_static_token_auto_auth;
mod agt009_plaintext_listener;

use crate::rules::Rule;
use crate::semantics::{is_loopback_bind, BoolReading};
use crate::syntax::hcl::{Attr, Block, Body, Expr};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(agt001_agent_tls_skip_verify::AgentTlsSkipVerify),
        Box::new(agt002_agent_plaintext_addr::AgentPlaintextAddr),
        Box::new(agt003_auto_auth_token_on_network::AutoAuthTokenOnNetwork),
        Box::new(agt004_token_sink_readable::TokenSinkReadable),
        Box::new(agt005_sink_outside_auto_auth::SinkOutsideAutoAuth),
        Box::new(agt006_template_world_readable::TemplateWorldReadable),
        Box::new(agt007_approle_secret_id_kept::ApproleSecretIdKept),
        Box::new(agt008_static_token_auto_auth::StaticTokenAutoAuth),
        Box::new(agt009_plaintext_listener::PlaintextListener),
    ]
}

/// The attribute that makes the agent answer listener requests with its auto-auth token, as
/// the OpenBao agent decides it: `api_proxy.use_auto_auth_token` when an `api_proxy` stanza
/// exists — a `cache` stanza's setting is then ignored (only its `force` is copied, which
/// without the token sink sends requests with no token) — else the legacy
/// `cache.use_auto_auth_token`. ParseBool-true or `"force"` (any case) turn it on; without
/// `auto_auth` the agent refuses to start, so nothing is exposed.
pub(crate) fn auto_auth_token(body: &Body) -> Option<&Attr> {
    if !body.has("auto_auth") {
        return None;
    }
    let stanza = if body.has("api_proxy") {
        "api_proxy"
    } else {
        "cache"
    };
    let a = body.nested(stanza, "use_auto_auth_token")?;
    let on = a.value.weak_bool() == BoolReading::True
        || matches!(&a.value, Expr::Str(s) if s.eq_ignore_ascii_case("force"));
    on.then_some(a)
}

/// `listener "tcp"` blocks that proxy to Vault (not OpenBao's `role = "metrics_only"`) and
/// bind beyond loopback (the default address is `127.0.0.1:8200`), with their address.
pub(crate) fn network_listeners(body: &Body) -> impl Iterator<Item = (usize, &Block, &str)> {
    body.blocks("listener").enumerate().filter_map(|(i, b)| {
        if b.labels.first().map(String::as_str) != Some("tcp")
            || b.body.attr("role").and_then(|a| a.value.as_str()) == Some("metrics_only")
        {
            return None;
        }
        let addr = b
            .body
            .attr("address")
            .and_then(|a| a.value.as_text())
            .unwrap_or("127.0.0.1:8200");
        (!is_loopback_bind(addr)).then_some((i, b, addr))
    })
}

/// True when a listener has `tls_disable` weak-bool true.
pub(crate) fn listener_tls_off(b: &Block) -> bool {
    b.body
        .attr("tls_disable")
        .is_some_and(|a| a.value.weak_bool() == BoolReading::True)
}

/// A file mode as the agent decodes it. HCL1 reads an integer literal with a leading `0` as
/// octal (`0400` is 256) and JSON gives decimal integers; `as_string_octal` is for consul
/// template's `perms`, whose string form is parsed base 8. `None` when not an integer.
pub(crate) fn file_mode(value: &Expr, as_string_octal: bool) -> Option<u32> {
    match value {
        Expr::Number { raw, .. } => {
            let r = raw.trim();
            if let Some(hex) = r.strip_prefix("0x").or_else(|| r.strip_prefix("0X")) {
                u32::from_str_radix(hex, 16).ok()
            } else if r.len() > 1 && r.starts_with('0') {
                u32::from_str_radix(&r[1..], 8).ok()
            } else {
                r.parse().ok()
            }
        }
        Expr::Str(s) if as_string_octal => u32::from_str_radix(s.trim(), 8).ok(),
        _ => None,
    }
}

/// The type of an auto-auth method or sink: its `type` attribute, else its label, lowercased
/// (the agent's `parseMethod`/`parseSinks`).
pub(crate) fn stanza_type(b: &Block) -> String {
    b.body
        .attr("type")
        .and_then(|a| a.value.as_str())
        .or(b.labels.first().map(String::as_str))
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Where a stanza's type is written (the `type` value, else the label, else the identifier).
pub(crate) fn type_span(b: &Block) -> crate::location::Span {
    b.body
        .attr("type")
        .map(|a| a.value_span)
        .or(b.label_spans.first().copied())
        .unwrap_or(b.ident_span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(raw: &str) -> Expr {
        Expr::Number {
            value: raw.parse().unwrap_or(0.0),
            raw: raw.into(),
        }
    }

    #[test]
    fn modes_decode_like_the_agent() {
        assert_eq!(file_mode(&num("0400"), false), Some(0o400));
        assert_eq!(file_mode(&num("0640"), false), Some(0o640));
        assert_eq!(file_mode(&num("384"), false), Some(0o600));
        assert_eq!(file_mode(&num("0"), false), Some(0));
        assert_eq!(file_mode(&Expr::Str("0400".into()), false), None);
        assert_eq!(file_mode(&Expr::Str("0600".into()), true), Some(0o600));
        assert_eq!(file_mode(&Expr::Str("644".into()), true), Some(0o644));
    }
}
