//! SRV002 — Weak TLS floor: a TLS-serving `listener "tcp"` with `tls_min_version` `tls10` or
//! `tls11` (the values Vault/OpenBao's `tlsutil.TLSLookup` accepts besides `tls12`, the
//! default, and `tls13`), or a `tls_max_version` that caps every handshake at those. A
//! listener with TLS disabled is SRV001's fact, not this one.

use super::{tcp_listeners, tls_off};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::rules::{Context, Emitter, Rule};

pub struct WeakTlsFloor;

impl Rule for WeakTlsFloor {
    fn id(&self) -> &'static str {
        "SRV002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Server) {
            for (i, l) in tcp_listeners(&doc.body) {
                if tls_off(l) {
                    continue;
                }
                for (key, what) in [
                    ("tls_min_version", "accepts"),
                    ("tls_max_version", "is capped at"),
                ] {
                    let Some(a) = l.body.attr(key) else { continue };
                    let Some(v) = a.value.as_str().filter(|v| matches!(*v, "tls10" | "tls11"))
                    else {
                        continue;
                    };
                    let ver = if v == "tls10" { "1.0" } else { "1.1" };
                    let f = out.report(
                        Location::new(doc.path.clone(), a.value_span),
                        format!("listener \"tcp\" {key} = \"{v}\": the server {what} TLS {ver}, deprecated (RFC 8996) and weaker than the tls12 default"),
                    );
                    f.in_hcl_doc(doc, &format!("listener[{i}].{key}"));
                }
            }
        }
    }
}
