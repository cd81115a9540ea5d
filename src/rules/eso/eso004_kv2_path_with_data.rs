//! ESO004 — KV v2 store path already contains `/data`: for `version: v2` (the default) ESO's
//! `buildPath` always inserts `data` after `spec.provider.vault.path`, so `path: secret/data`
//! reads `secret/data/data/<key>` and fails (contrary to the field's doc comment).

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct Kv2PathWithData;

impl Rule for Kv2PathWithData {
    fn id(&self) -> &'static str {
        "ESO004"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for store in super::stores(inv) {
            let Some(vault) = store.get(&["spec", "provider", "vault"]) else {
                continue;
            };
            let version = vault.get("version").and_then(Node::as_str).unwrap_or("v2");
            if version != "v2" {
                continue;
            }
            let Some(e) = vault.entry("path") else {
                continue;
            };
            let Some(path) = e.value.as_str() else {
                continue;
            };
            let p = path.trim_end_matches('/');
            if !(p.ends_with("/data") || p.contains("/data/")) {
                continue;
            }
            let mount = &p[..p.find("/data").unwrap_or(p.len())];
            out.report(
                store.location(e.value.span),
                format!("{}: KV v2 store path `{path}` already contains `/data`; ESO appends `data` itself and requests `{p}/data/<key>`, which does not exist — set path to the mount (`{mount}`)", store.display()),
            )
            .identity(format!("{}/provider/vault/path", store.identity()));
        }
    }
}
