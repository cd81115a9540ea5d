//! INJ005 — Rendered secret files readable by other users: for each secret the injector
//! renders (`agent-inject-secret-<n>`, `-template-<n>`, `-template-file-<n>`),
//! `agent-inject-perms-<n>` grants group/other bits (`mode & 0o077 != 0`) or is absent —
//! Vault Agent then creates the file `0644`. Downgraded to info when the pod has a single
//! container and the agent runs as the same user (`agent-run-as-same-user`).

use super::injection_enabled;
use crate::model::consumers::{rendered_secret_names, ANN};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{weak_parse_bool_str, BoolReading};

pub struct RenderedFilesReadable;

/// consul-template reads `perms` as an octal file mode (`0400`, `400`, `0o400`).
fn parse_mode(v: &str) -> Option<u32> {
    let t = v.trim();
    let t = t.strip_prefix("0o").unwrap_or(t);
    u32::from_str_radix(t, 8).ok().filter(|m| *m <= 0o7777)
}

impl Rule for RenderedFilesReadable {
    fn id(&self) -> &'static str {
        "INJ005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for w in inv.workloads().filter(injection_enabled) {
            let same_user = w
                .annotation("vault.hashicorp.com/agent-run-as-same-user")
                .and_then(|e| e.value.as_str())
                .is_some_and(|v| weak_parse_bool_str(v) == BoolReading::True);
            let single = w
                .pod_spec
                .get("containers")
                .is_some_and(|c| c.items().len() == 1);
            for (name, key_span) in rendered_secret_names(&w) {
                let perms = w.annotation_joined(&[ANN, "agent-inject-perms-", &name]);
                // The mode read, or `None` when no annotation sets one.
                let (span, mode) = match perms.and_then(|e| Some((e, e.value.as_str()?))) {
                    Some((e, v)) => match parse_mode(v) {
                        Some(m) if m & 0o077 == 0 => continue,
                        Some(m) => (e.value.span, Some(m)),
                        None => {
                            out.not_evaluated(
                                w.object.location(e.value.span),
                                format!(
                                    "agent-inject-perms-{name} `{v}` is not an octal file mode"
                                ),
                            );
                            continue;
                        }
                    },
                    None => (key_span, None),
                };
                let who = w.object.display();
                let message = match mode {
                    Some(m) => format!("{who}: rendered secret `{name}`: agent-inject-perms-{name} is {m:04o}: group/other can read it"),
                    None => format!("{who}: rendered secret `{name}`: no agent-inject-perms-{name}: Vault Agent creates the file 0644, readable by every user in the pod"),
                };
                let f = out.report(w.object.location(span), message);
                f.identity(format!("{}/annotations/perms-{name}", w.object.identity()));
                if same_user && single {
                    f.severity(Severity::Info);
                }
            }
        }
    }
}
