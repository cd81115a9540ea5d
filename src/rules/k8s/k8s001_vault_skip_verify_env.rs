//! K8S001 — Vault client TLS verification disabled via env.
//!
//! A container whose resolved `VAULT_SKIP_VERIFY`/`BAO_SKIP_VERIFY` is `strconv.ParseBool`-true
//! accepts any certificate from "Vault". `BAO_SKIP_VERIFY` set (even empty) masks a truthy
//! `VAULT_SKIP_VERIFY` only for OpenBao clients, so that override counts only when the image
//! is an OpenBao one. Values the client cannot parse (`yes`) make it fail to start: a low
//! finding of its own.

use super::env_checks::{skip_verify, SkipVerify};
use super::{each_env, finish, who};
use crate::model::env::Origin;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct VaultSkipVerifyEnv;

impl Rule for VaultSkipVerifyEnv {
    fn id(&self) -> &'static str {
        "K8S001"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        each_env(inv, |site, v, all| {
            if !super::env_checks::SKIP_VERIFY_VARS.contains(&v.name.as_str()) {
                return;
            }
            let Some((w, c)) = site.resolve() else { return };
            let Some(value) = v.value.as_deref() else {
                let from = if v.origin == Origin::SecretRef {
                    "a Secret"
                } else {
                    "a ConfigMap or field"
                };
                out.not_evaluated(
                    w.object.location(v.span),
                    format!(
                        "{} of {} comes from {from} that is not in the scan set",
                        v.name,
                        who(w, c)
                    ),
                );
                return;
            };
            match skip_verify(&v.name, value) {
                Some(SkipVerify::Disabled) => {
                    let openbao_image = c
                        .node
                        .get("image")
                        .and_then(|i| i.as_str())
                        .is_some_and(|i| i.contains("openbao"));
                    if v.name == "VAULT_SKIP_VERIFY"
                        && openbao_image
                        && all.iter().any(|x| x.name == "BAO_SKIP_VERIFY")
                    {
                        return;
                    }
                    let f = out.report(
                        w.object.location(v.span),
                        format!("{} runs with {}={value}: its Vault client accepts any server certificate", who(w, c), v.name),
                    );
                    finish(f, w, c, v);
                }
                Some(SkipVerify::Invalid) => {
                    let f = out.report(
                        w.object.location(v.span),
                        format!("{} sets {} to `{value}`, which is not a Go boolean: the Vault client fails to start (\"could not parse {}\")", who(w, c), v.name, v.name),
                    );
                    f.severity(Severity::Low);
                    finish(f, w, c, v);
                }
                None => {}
            }
        });
    }
}
