//! SRV006 — Long server-wide lease TTLs: `default_lease_ttl` above the `default_lease_ttl`
//! threshold (default 24h) or `max_lease_ttl` above the `max_lease_ttl` threshold (default
//! 168h), read with Vault's `ParseDurationSecond` (`7d12h` makes Vault refuse to start: a low
//! finding). When no server config of the scan set sets a key, the effective value is the
//! 768h default: one info finding at the first server config. Options:
//! `SRV006: { default_lease_ttl: [24h], max_lease_ttl: [168h] }`.

use crate::duration::{parse_vault, Duration};
use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::syntax::hcl::Expr;

pub struct LongServerLeaseTtls;

impl Rule for LongServerLeaseTtls {
    fn id(&self) -> &'static str {
        "SRV006"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let thr = |name: &str, h: i64| {
            cx.config
                .option("SRV006", name)
                .and_then(|v| v.first())
                .and_then(|s| parse_vault(s).ok().flatten())
                .unwrap_or(Duration::from_hours(h))
        };
        let keys = [
            ("default_lease_ttl", thr("default_lease_ttl", 24)),
            ("max_lease_ttl", thr("max_lease_ttl", 168)),
        ];
        let mut unset: Vec<&str> = keys.iter().map(|k| k.0).collect();
        let mut first = None;
        for doc in inv.hcl_docs(HclKind::Server) {
            first.get_or_insert(doc);
            for (key, limit) in keys {
                let Some(a) = doc.body.attr(key) else {
                    continue;
                };
                unset.retain(|k| *k != key);
                let text = match &a.value {
                    Expr::Str(s) => s.clone(),
                    Expr::Number { raw, .. } => raw.clone(),
                    _ => continue,
                };
                let at = Location::new(doc.path.clone(), a.value_span);
                let id = format!("{}#{key}", doc.path);
                match parse_vault(&text) {
                    Ok(Some(d)) if d > limit => {
                        out.report(at, format!("server {key} is {d}, above the {limit} threshold: every lease and token that does not set its own TTL lives that long"))
                            .identity(id);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        out.report(at, format!("server {key} `{text}` is not a duration Vault accepts ({e}): the server refuses to start"))
                            .severity(Severity::Low)
                            .identity(id);
                    }
                }
            }
        }
        if let (Some(doc), false) = (first, unset.is_empty()) {
            let at = doc
                .container
                .clone()
                .unwrap_or_else(|| Location::new(doc.path.clone(), Span::file_start()));
            out.report(at, format!("{} unset in every server config of the scan: the effective default is 768h (32 days) for leases and tokens that set no TTL", unset.join(" and ")))
                .severity(Severity::Info)
                .identity(format!("{}#lease-ttl-defaults", doc.path));
        }
    }
}
