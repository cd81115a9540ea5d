//! ESO005 — ESO AWS provider with static access keys: `spec.provider.aws.auth.secretRef`
//! (`accessKeyIDSecretRef`/`secretAccessKeySecretRef`, external-secrets
//! `apis/externalsecrets/v1/secretstore_aws_types.go`) — long-lived IAM user keys in a
//! Kubernetes Secret instead of IRSA / Pod Identity.

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct AwsStaticKeys;

impl Rule for AwsStaticKeys {
    fn id(&self) -> &'static str {
        "ESO005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for store in super::stores(inv) {
            let Some(e) = store
                .get(&["spec", "provider", "aws", "auth"])
                .and_then(|a| a.entry("secretRef"))
            else {
                continue;
            };
            out.report(
                store.location(e.key.span),
                format!("{} signs AWS requests with static access keys from a Secret (auth.secretRef): long-lived IAM credentials instead of a role", store.display()),
            )
            .identity(format!("{}/provider/aws/auth/secretRef", store.identity()));
        }
    }
}
