//! K8S006 — Plaintext AWS Secrets Manager endpoint override. `AWS_ENDPOINT_URL_SECRETS_MANAGER`
//! over http:// to a non-loopback host; the generic `AWS_ENDPOINT_URL` (which redirects every
//! service) only when it names Secrets Manager or the container also sets a Secrets
//! Manager-specific variable — LocalStack-style S3/SQS overrides are not findings.

use super::env_checks::{is_sm_specific, plaintext_sm_endpoint};
use super::{each_env, finish, who};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct PlaintextSecretsManagerEndpoint;

impl Rule for PlaintextSecretsManagerEndpoint {
    fn id(&self) -> &'static str {
        "K8S006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        each_env(inv, |site, v, all| {
            let Some(value) = v.value.as_deref() else {
                return;
            };
            let sm_specific = || {
                all.iter()
                    .any(|x| x.name != v.name && is_sm_specific(&x.name))
            };
            if let Some(host) = plaintext_sm_endpoint(&v.name, value, sm_specific) {
                let Some((w, c)) = site.resolve() else { return };
                let f = out.report(
                    w.object.location(v.span),
                    format!("{} reaches Secrets Manager over plaintext http:// (`{host}` via {}): secret values cross the network in clear", who(w, c), v.name),
                );
                finish(f, w, c, v);
            }
        });
    }
}
