//! LVT004 — Mount/auth TTL ceilings too high. For every secrets mount (`sys/mounts`) and auth
//! mount (`sys/auth`) that issues leases or tokens, the effective `max_lease_ttl` — the tune
//! endpoint's value (effective: it already includes the server default), else the listing's
//! `config.max_lease_ttl` (0 = the system default, 768h unless the server config says
//! otherwise) — above the threshold (default 24h; option `LVT004: { max_ttl: [24h] }`).
//! Mounts that issue no leases (`system`, `cubbyhole`, `identity`) and KV mounts (their lease
//! is only a refresh hint) are skipped. The same effective values feed ROL003/ROL004 through
//! the role model.

use crate::duration::Duration;
use crate::model::inventory::Inventory;
use crate::model::live_vault::{at, root};
use crate::model::vault_roles::SYSTEM_DEFAULT_HOURS;
use crate::rules::roles::threshold;
use crate::rules::{Context, Emitter, Rule};

pub struct MountTtlCeiling;

const NO_LEASES: &[&str] = &[
    "system",
    "cubbyhole",
    "identity",
    "ns_system",
    "ns_cubbyhole",
    "ns_identity",
    "kv",
    "kv-v1",
    "kv-v2",
];

impl Rule for MountTtlCeiling {
    fn id(&self) -> &'static str {
        "LVT004"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let limit = threshold(cx, "LVT004", "max_ttl", Duration::from_hours(24));
        for state in &inv.live.vault {
            for (prefix, what, mounts) in [
                ("sys/mounts", "secrets mount", &state.secret_mounts),
                ("sys/auth", "auth mount", &state.auth_mounts),
            ] {
                for m in mounts.iter().flatten() {
                    if NO_LEASES.contains(&m.mount_type.as_str()) {
                        continue;
                    }
                    let tune_path = format!("{prefix}/{}/tune", m.path);
                    let (secs, how, file, node) = match m.tune {
                        Some((_, max)) if max > 0 => (
                            max,
                            "tune max_lease_ttl".to_owned(),
                            tune_path.as_str(),
                            root(inv, state, &tune_path).and_then(|r| r.get("max_lease_ttl")),
                        ),
                        _ => {
                            let node = root(inv, state, prefix)
                                .and_then(|r| r.get(&format!("{}/", m.path)))
                                .and_then(|e| e.path(&["config", "max_lease_ttl"]));
                            if m.max_lease_ttl > 0 {
                                (
                                    m.max_lease_ttl,
                                    "config.max_lease_ttl".to_owned(),
                                    prefix,
                                    node,
                                )
                            } else {
                                (
                                    SYSTEM_DEFAULT_HOURS * 3600,
                                    format!("config.max_lease_ttl=0 → system default {SYSTEM_DEFAULT_HOURS}h"),
                                    prefix,
                                    node,
                                )
                            }
                        }
                    };
                    let d = Duration::from_secs(secs);
                    if d > limit {
                        let shown = if prefix == "sys/auth" {
                            format!("auth/{}", m.path)
                        } else {
                            m.path.clone()
                        };
                        out.report(
                            at(state, file, node),
                            format!("{}: {what} `{shown}/` ({}) lets leases and tokens live up to {d} ({how}), above the {limit} threshold: a leaked credential stays valid that long", state.base, m.mount_type),
                        )
                        .identity(format!("{}#{prefix}:{}.max_lease_ttl", state.base, m.path));
                    }
                }
            }
        }
    }
}
