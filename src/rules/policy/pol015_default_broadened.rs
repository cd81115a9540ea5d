//! POL015 — `default` policy broadened: the policy named `default` (attached to every token
//! unless `no_default_policy`) grants a path outside the stock set (OpenBao 2.7.2's stock
//! `default`, read from a dev server, plus the paths Vault's stock policy adds).

use super::{caps_text, has_any, label, report_rule};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use std::sync::OnceLock;

pub struct DefaultBroadened;

/// Paths Vault's stock `default` policy has beyond OpenBao's.
const VAULT_EXTRAS: &[&str] = &[
    "sys/renew",
    "sys/wrapping/*",
    "sys/tools/hash*",
    "sys/control-group/request",
    "sys/mfa/challenge",
];

/// True for a path of the stock `default` policy: OpenBao's, parsed once from the same text
/// `sealant policy capabilities --policy default` uses, plus Vault's extras.
fn is_stock(path: &str) -> bool {
    static STOCK: OnceLock<Vec<String>> = OnceLock::new();
    let stock = STOCK.get_or_init(|| {
        crate::policy::parse_policy_text("default", "stock", crate::policy::cli::DEFAULT_POLICY)
            .map(|p| p.rules.into_iter().map(|r| r.raw_path).collect())
            .unwrap_or_default()
    });
    VAULT_EXTRAS.contains(&path) || stock.iter().any(|s| s == path)
}

impl Rule for DefaultBroadened {
    fn id(&self) -> &'static str {
        "POL015"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for sp in inv.policies().iter().filter(|p| p.name == "default") {
            for (ri, rule) in sp.rules().iter().enumerate() {
                let p = rule.raw_path.strip_prefix('/').unwrap_or(&rule.raw_path);
                if !has_any(rule.caps) || is_stock(p) {
                    continue;
                }
                report_rule(
                    sp,
                    ri,
                    format!(
                        "the `default` policy is attached to every token: {} ({}) is not part of the stock default policy; grant it through a dedicated policy",
                        label(rule),
                        caps_text(rule.caps)
                    ),
                    Severity::High,
                    out,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stock_set_comes_from_the_shipped_default_policy() {
        assert!(super::is_stock("auth/token/lookup-self"));
        assert!(super::is_stock("cubbyhole/*"));
        assert!(super::is_stock("sys/mfa/challenge"));
        assert!(!super::is_stock("secret/*"));
    }
}
