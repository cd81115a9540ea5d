//! K8S002 — Application-specific skip-verify variables (`VAULT_TLS_SKIP_VERIFY`,
//! `QUARKUS_VAULT_TLS_SKIP_VERIFY`, `VAULT_INSECURE`, …): not read by the official client but
//! by many applications and SDK wrappers. Only Vault/OpenBao-scoped names count.

use super::env_checks::app_skip_verify;
use super::{each_env, finish, who};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct AppSkipVerifyEnv;

impl Rule for AppSkipVerifyEnv {
    fn id(&self) -> &'static str {
        "K8S002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        each_env(inv, |site, v, _| {
            let Some(value) = v.value.as_deref() else {
                return;
            };
            if app_skip_verify(&v.name, value) {
                let Some((w, c)) = site.resolve() else { return };
                let f = out.report(
                    w.object.location(v.span),
                    format!(
                        "{} sets {}={value}: the application's Vault client skips TLS verification",
                        who(w, c),
                        v.name
                    ),
                );
                finish(f, w, c, v);
            }
        });
    }
}
