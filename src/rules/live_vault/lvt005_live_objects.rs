//! LVT005 — Policy, role and mount evaluation on live objects. The evaluation itself is done
//! by the POL*, ROL* and ROL009/XSR005 rules: every ACL policy (`LIST sys/policies/acl`, all
//! but `root`) is a `vault://…/sys/policies/acl/<name>` file, every role of a
//! kubernetes/approle/jwt/oidc auth mount joins the role model, and `sys/mounts` joins the KV
//! mount model. What only the live store can show is reported here: KV v2 secrets whose
//! current version is older than the rotation threshold (`<mount>/metadata/<key>`
//! `versions[current].created_time`; option `LVT005: { stale_after: [2160h] }`, 90 days as in
//! the brief's `vault_audit.py`). Destroyed current versions are skipped (nothing to rotate).

use crate::duration::Duration;
use crate::model::inventory::Inventory;
use crate::model::live_vault::{at, root};
use crate::rules::roles::threshold;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct LiveObjects;

/// Days since 1970-01-01 of a `YYYY-MM-DD…` timestamp (H. Hinnant's `days_from_civil`).
fn days(ts: &str) -> Option<i64> {
    let mut it = ts.get(..10)?.split('-');
    let (y, m, d): (i64, i64, i64) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

impl Rule for LiveObjects {
    fn id(&self) -> &'static str {
        "LVT005"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let limit = threshold(cx, "LVT005", "stale_after", Duration::from_hours(2160));
        let Some(today) = days(&crate::engine::suppress::today()) else {
            return;
        };
        for state in &inv.live.vault {
            for s in state.kv_secrets.iter().filter(|s| !s.destroyed) {
                let Some(written) = days(&s.created_time) else {
                    continue;
                };
                let age = Duration::from_hours((today - written) * 24);
                if age <= limit {
                    continue;
                }
                let path = format!("{}/metadata/{}", s.mount, s.key);
                let node = root(inv, state, &path).and_then(|r| {
                    r.path(&["versions", &s.current_version.to_string(), "created_time"])
                });
                out.report(
                    at(state, &path, node),
                    format!("{}: KV v2 secret `{}/{}` was last written {} days ago (version {}, {}), above the {limit} rotation threshold", state.base, s.mount, s.key, today - written, s.current_version, s.created_time.get(..10).unwrap_or("")),
                )
                .severity(Severity::Low)
                .identity(format!("{}#kv:{}/{}.stale", state.base, s.mount, s.key));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_days() {
        assert_eq!(super::days("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(super::days("2000-03-01"), Some(11_017));
        assert_eq!(super::days("2026-06-01T10:00:00.123Z"), Some(20_605));
        assert_eq!(super::days("garbage"), None);
    }
}
