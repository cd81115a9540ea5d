//! LVT003 — Audit device leaks secrets or accessors: `options.log_raw` truthy (high: secret
//! values and tokens written in cleartext), `options.hmac_accessor` false (low: token
//! accessors in cleartext). Option values are strings read with Go `strconv.ParseBool`, as the
//! audit backends do; the defaults are `log_raw=false`, `hmac_accessor=true`.

use crate::model::inventory::Inventory;
use crate::model::live_vault::{at, root};
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{go_parse_bool, BoolReading};

pub struct AuditDeviceLeaks;

impl Rule for AuditDeviceLeaks {
    fn id(&self) -> &'static str {
        "LVT003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for state in &inv.live.vault {
            let listing = root(inv, state, "sys/audit");
            for d in state.audit.iter().flatten() {
                let value = |k: &str| {
                    listing
                        .and_then(|r| r.get(&d.path))
                        .and_then(|n| n.path(&["options", k]))
                };
                if d.option("log_raw").map(go_parse_bool) == Some(BoolReading::True) {
                    out.report(
                        at(state, "sys/audit", value("log_raw")),
                        format!("{}: audit device `{}` has log_raw={}: secret values and tokens are written to the log in cleartext", state.base, d.path, d.option("log_raw").unwrap_or("")),
                    )
                    .severity(Severity::High)
                    .identity(format!("{}#audit:{}.log_raw", state.base, d.path));
                }
                if d.option("hmac_accessor").map(go_parse_bool) == Some(BoolReading::False) {
                    out.report(
                        at(state, "sys/audit", value("hmac_accessor")),
                        format!("{}: audit device `{}` has hmac_accessor={}: token accessors are logged in cleartext, so anyone who reads the log can look up or revoke those tokens", state.base, d.path, d.option("hmac_accessor").unwrap_or("")),
                    )
                    .severity(Severity::Low)
                    .identity(format!("{}#audit:{}.hmac_accessor", state.base, d.path));
                }
            }
        }
    }
}
