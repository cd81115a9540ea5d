//! Rules of the `certs` family (RULES-SPEC §1(a-4)): cert-manager `Certificate` objects
//! (cert-manager.io/v1) that serve as Vault client certificates or CAs.
//!
//! A Certificate is a *Vault client certificate* when its `usages` contain `client auth`, or
//! when its `spec.secretName` is referenced by a Vault client setting in the same namespace:
//! the injector annotation `vault.hashicorp.com/tls-secret`, or an External Secrets
//! `SecretStore`/`ClusterSecretStore` Vault provider's `tls.certSecretRef` or
//! `auth.cert.clientCert`.

mod crt001_long_lived_client_cert;
mod crt002_ca_cert_for_workload;
mod crt003_client_cert_without_client_auth;
mod crt004_private_key_rotation;

use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::rules::Rule;
use crate::syntax::yaml::{Node, Typed};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(crt001_long_lived_client_cert::LongLivedClientCert),
        Box::new(crt002_ca_cert_for_workload::CaCertForWorkload),
        Box::new(crt003_client_cert_without_client_auth::ClientCertWithoutClientAuth),
        Box::new(crt004_private_key_rotation::PrivateKeyRotation),
    ]
}

/// cert-manager `Certificate` objects.
pub(crate) fn certificates(inv: &Inventory) -> impl Iterator<Item = &K8sObject> {
    inv.objects_of_kind(&["Certificate"])
        .filter(|o| o.api_group() == "cert-manager.io")
}

pub(crate) fn secret_name(cert: &K8sObject) -> Option<&str> {
    cert.get(&["spec", "secretName"]).and_then(Node::as_str)
}

pub(crate) fn usages(cert: &K8sObject) -> Option<Vec<&str>> {
    cert.get(&["spec", "usages"])
        .map(|u| u.items().iter().filter_map(Node::as_str).collect())
}

pub(crate) fn is_ca(cert: &K8sObject) -> bool {
    cert.get(&["spec", "isCA"])
        .and_then(Node::typed)
        .is_some_and(|t| t == Typed::Bool(true))
}

/// Where a Vault client setting names this certificate's secret, if anywhere.
pub(crate) fn vault_client_reference(inv: &Inventory, cert: &K8sObject) -> Option<String> {
    let secret = secret_name(cert)?;
    for w in inv.workloads() {
        if w.object.namespace != cert.namespace {
            continue;
        }
        if let Some(e) = w.annotation("vault.hashicorp.com/tls-secret") {
            if e.value.as_str() == Some(secret) {
                return Some(format!(
                    "{} annotation vault.hashicorp.com/tls-secret",
                    w.object.display()
                ));
            }
        }
    }
    for store in inv.objects_of_kind(&["SecretStore", "ClusterSecretStore"]) {
        if store.kind == "SecretStore" && store.namespace != cert.namespace {
            continue;
        }
        let vault = ["spec", "provider", "vault"];
        for (path, what) in [
            (&["tls", "certSecretRef"][..], "tls.certSecretRef"),
            (&["auth", "cert", "clientCert"][..], "auth.cert.clientCert"),
        ] {
            let keys: Vec<&str> = vault.iter().chain(path.iter()).copied().collect();
            let Some(r) = store.get(&keys) else { continue };
            let name = r.get("name").and_then(Node::as_str);
            let ns = r
                .get("namespace")
                .and_then(Node::as_str)
                .unwrap_or(&store.namespace);
            if name == Some(secret) && (store.kind == "SecretStore" || ns == cert.namespace) {
                return Some(format!("{} provider.vault.{what}", store.display()));
            }
        }
    }
    None
}

/// True when the certificate is a Vault client certificate (see the module doc); the reason.
pub(crate) fn vault_client(inv: &Inventory, cert: &K8sObject) -> Option<String> {
    if let Some(r) = vault_client_reference(inv, cert) {
        return Some(format!("used as a Vault client certificate by {r}"));
    }
    usages(cert)
        .is_some_and(|u| u.contains(&"client auth"))
        .then(|| "usages include client auth".to_owned())
}
