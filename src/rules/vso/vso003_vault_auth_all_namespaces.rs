//! VSO003 — VaultAuth shared with all namespaces: `spec.allowedNamespaces` of a `VaultAuth`
//! (or `VaultAuthGlobal`) contains `"*"` ("wildcard, all namespaces", VSO
//! `api/v1beta1/vaultauth_types.go`): any namespace's VaultStaticSecret/VaultDynamicSecret can
//! sync through it.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct VaultAuthAllNamespaces;

impl Rule for VaultAuthAllNamespaces {
    fn id(&self) -> &'static str {
        "VSO003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for a in super::of_kind(inv, &["VaultAuth", "VaultAuthGlobal"]) {
            let items = a
                .get(&["spec", "allowedNamespaces"])
                .map(Node::items)
                .unwrap_or(&[]);
            if let Some(star) = items.iter().find(|i| i.as_str() == Some("*")) {
                out.report(
                    a.location(star.span),
                    format!("{} allows every namespace (`*`): any namespace can sync secrets with its Vault identity", a.display()),
                )
                .identity(format!("{}/allowedNamespaces", a.identity()));
            }
        }
    }
}
