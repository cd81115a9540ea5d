//! AGT004 — Token sink readable by group/others: an `auto_auth { sink "file" { config = {
//! path, mode } } }` whose `mode` (an integer; HCL1 reads `0640` as octal) has any of the
//! `0o077` bits, or no `mode` — the file sink then creates the token file `0640`,
//! group-readable. `mode = 0` creates it with no permission bits. A quoted mode is a startup
//! error ("could not parse 'mode' as integer"), not judged here. A response-wrapped
//! (`wrap_ttl`) or encrypted (`dh_type`) sink holds no usable token: info.

use super::{file_mode, stanza_type};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct TokenSinkReadable;

impl Rule for TokenSinkReadable {
    fn id(&self) -> &'static str {
        "AGT004"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Agent) {
            let sinks = doc
                .body
                .blocks("auto_auth")
                .flat_map(|a| a.body.blocks("sink"))
                .enumerate();
            for (i, sink) in sinks {
                if stanza_type(sink) != "file" {
                    continue;
                }
                let path = sink
                    .body
                    .nested("config", "path")
                    .and_then(|a| a.value.as_text())
                    .unwrap_or("the sink file");
                let (span, mode) = match sink.body.nested("config", "mode") {
                    Some(a) => match file_mode(&a.value, false) {
                        Some(m) => (a.value_span, Some(m)),
                        None => continue,
                    },
                    None => (
                        sink.label_spans.first().copied().unwrap_or(sink.ident_span),
                        None,
                    ),
                };
                let eff = mode.unwrap_or(0o640);
                if eff & 0o077 == 0 {
                    continue;
                }
                let how = match mode {
                    Some(m) => format!("mode {m:#o}"),
                    None => "no mode, so the default 0640".to_owned(),
                };
                let protected = sink.body.has("wrap_ttl") || sink.body.has("dh_type");
                let f = out.report(
                    Location::new(doc.path.clone(), span),
                    format!("auto-auth file sink {path} has {how}: group{} members can read the agent's Vault token{}",
                        if eff & 0o007 != 0 { " and other" } else { "" },
                        if protected { " (wrapped or encrypted, so not usable as is)" } else { "" }),
                );
                f.in_hcl_doc(doc, &format!("auto_auth.sink[{i}].config.mode"));
                if protected {
                    f.severity(Severity::Info);
                }
            }
        }
    }
}
