//! SRV008 — Plaintext addresses advertised or used by the server: `api_addr` http:// to a
//! non-loopback host, raft `retry_join { leader_api_addr = "http://…" }`, consul storage with
//! `scheme = "http"` or an `http://` address (also under the legacy `backend`/`ha_backend`
//! names), and a transit seal `address = "http://…"`.

use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::{classify_address, Address};
use crate::syntax::hcl::Attr;

pub struct PlaintextServerAddresses;

fn plaintext(attr: &Attr) -> Option<String> {
    match classify_address(attr.value.as_text()?) {
        Address::Plaintext { host } => Some(host),
        _ => None,
    }
}

fn report(out: &mut Emitter, doc: &HclDoc, attr: &Attr, field: &str, what: String) {
    let f = out.report(Location::new(doc.path.clone(), attr.value_span), what);
    f.in_hcl_doc(doc, field);
}

impl Rule for PlaintextServerAddresses {
    fn id(&self) -> &'static str {
        "SRV008"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Server) {
            if let Some(a) = doc.body.attr("api_addr") {
                if let Some(host) = plaintext(a) {
                    report(out, doc, a, "api_addr", format!("api_addr advertises plaintext http:// (`{host}`): clients redirected to it send tokens in clear"));
                }
            }
            // `backend`/`ha_backend` are the legacy names Vault still accepts.
            let storages = ["storage", "ha_storage", "backend", "ha_backend"]
                .into_iter()
                .flat_map(|k| doc.body.blocks(k));
            for storage in storages {
                let kind = storage.labels.first().map(String::as_str).unwrap_or("");
                for (i, rj) in storage.body.blocks("retry_join").enumerate() {
                    if let Some(a) = rj.body.attr("leader_api_addr") {
                        if let Some(host) = plaintext(a) {
                            report(out, doc, a, &format!("storage.retry_join[{i}].leader_api_addr"), format!("raft retry_join joins the leader over plaintext http:// (`{host}`)"));
                        }
                    }
                }
                if kind == "consul" {
                    if let Some(a) = storage.body.attr("scheme").filter(|a| {
                        a.value
                            .as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case("http"))
                    }) {
                        report(out, doc, a, "storage.consul.scheme", "consul storage uses scheme \"http\": Vault's encrypted storage and its Consul ACL token cross the network in clear".into());
                    }
                    if let Some(a) = storage.body.attr("address") {
                        if let Some(host) = plaintext(a) {
                            report(
                                out,
                                doc,
                                a,
                                "storage.consul.address",
                                format!("consul storage address is plaintext http:// (`{host}`)"),
                            );
                        }
                    }
                }
            }
            for seal in doc
                .body
                .blocks("seal")
                .filter(|b| b.labels.first().map(String::as_str) == Some("transit"))
            {
                if let Some(a) = seal.body.attr("address") {
                    if let Some(host) = plaintext(a) {
                        report(out, doc, a, "seal.transit.address", format!("transit seal talks to its Vault over plaintext http:// (`{host}`): the unseal token crosses the network in clear"));
                    }
                }
            }
        }
    }
}
