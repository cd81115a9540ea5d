//! VSO004 — VaultAuth uses the `default` ServiceAccount: Kubernetes auth (`method:
//! kubernetes`, or no method — then a VaultAuthGlobal's default applies) with
//! `kubernetes.serviceAccount: default`, on a `VaultAuth` or `VaultAuthGlobal`. VSO does not
//! default an absent `serviceAccount` to `default` (it looks up the named account in the
//! consuming secret's namespace, `credentials/vault/kubernetes.go`), so only an explicit
//! `default` is flagged.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct VaultAuthDefaultSa;

impl Rule for VaultAuthDefaultSa {
    fn id(&self) -> &'static str {
        "VSO004"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for a in super::of_kind(inv, &["VaultAuth", "VaultAuthGlobal"]) {
            let method_key = if a.kind == "VaultAuth" {
                "method"
            } else {
                "defaultAuthMethod"
            };
            let method = a.get(&["spec", method_key]).and_then(Node::as_str);
            if method.is_some_and(|m| m != "kubernetes") {
                continue;
            }
            let Some(e) = a
                .get(&["spec", "kubernetes"])
                .and_then(|k| k.entry("serviceAccount"))
            else {
                continue;
            };
            if e.value.as_str() != Some("default") {
                continue;
            }
            out.report(
                a.location(e.value.span),
                format!("{} logs in to Vault as the `default` ServiceAccount: every pod of the consuming namespace without its own ServiceAccount shares the identity bound to role", a.display()),
            )
            .identity(format!("{}/kubernetes/serviceAccount", a.identity()));
        }
    }
}
