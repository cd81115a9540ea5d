//! XSR008 — Client certificate objects vs consumers. The join of cert-manager `Certificate`
//! secrets with the Vault clients that use them as client certificates — the injector's
//! `vault.hashicorp.com/tls-secret` (mounted at `/vault/tls`), External Secrets'
//! `provider.vault.tls.certSecretRef`/`keySecretRef` and `auth.cert.clientCert`/`secretRef`,
//! and agent configs whose `vault.client_cert`/`client_key` a workload mounts from the
//! Secret — is what makes CRT001–CRT003 judge a certificate as a Vault client certificate
//! (see the family doc). This rule reports the one fact only the join shows: a consumer that
//! reads a key the Certificate's Secret does not have. cert-manager writes `tls.crt`,
//! `tls.key` and `ca.crt` (plus `tls-combined.pem` / `key.der` for
//! `additionalOutputFormats`); any other name leaves the client without its certificate —
//! the mTLS login fails, as with CRT003 (low).

use super::{agent_cert_uses, certificates, secret_name};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct ClientCertConsumers;

/// The keys cert-manager writes into a Certificate's Secret.
fn secret_keys(cert: &K8sObject) -> Vec<&'static str> {
    let mut keys = vec!["tls.crt", "tls.key", "ca.crt"];
    for f in cert
        .get(&["spec", "additionalOutputFormats"])
        .map(Node::items)
        .unwrap_or(&[])
    {
        match f.get("type").and_then(Node::as_str) {
            Some("CombinedPEM") => keys.push("tls-combined.pem"),
            Some("DER") => keys.push("key.der"),
            _ => {}
        }
    }
    keys
}

const INJECTOR_FILES: &[&str] = &[
    "vault.hashicorp.com/client-cert",
    "vault.hashicorp.com/client-key",
    "vault.hashicorp.com/ca-cert",
];

/// External Secrets Vault provider references to a Secret key.
const ESO_REFS: &[&[&str]] = &[
    &["tls", "certSecretRef"],
    &["tls", "keySecretRef"],
    &["auth", "cert", "clientCert"],
    &["auth", "cert", "secretRef"],
];

impl Rule for ClientCertConsumers {
    fn id(&self) -> &'static str {
        "XSR008"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let agent_uses = agent_cert_uses(inv);
        for cert in certificates(inv) {
            let Some(secret) = secret_name(cert) else {
                continue;
            };
            let keys = secret_keys(cert);
            let cert_at = cert.location(
                cert.get(&["spec"])
                    .and_then(|s| s.entry("secretName"))
                    .map_or(cert.kind_span(), |e| e.value.span),
            );
            let report = |out: &mut Emitter,
                          at: Location,
                          who: String,
                          file: &str,
                          identity: String| {
                out.report(
                    at,
                    format!("{who} reads `{file}` from Secret {secret}, which {} fills with {} only: the Vault client finds no such key and its TLS login fails", cert.display(), keys.join(", ")),
                )
                .related(cert_at.clone(), "the Certificate that writes the Secret")
                .identity(identity);
            };
            for w in inv
                .workloads()
                .filter(|w| w.object.namespace == cert.namespace)
            {
                let Some(tls) = w.annotation("vault.hashicorp.com/tls-secret") else {
                    continue;
                };
                if tls.value.as_str() != Some(secret) {
                    continue;
                }
                for ann in INJECTOR_FILES {
                    let Some(e) = w.annotation(ann) else { continue };
                    let Some(file) = e.value.as_str().and_then(|p| p.strip_prefix("/vault/tls/"))
                    else {
                        continue;
                    };
                    if keys.contains(&file) {
                        continue;
                    }
                    report(
                        out,
                        w.object.location(e.value.span),
                        format!("{} annotation {ann}", w.object.display()),
                        file,
                        format!("{}#{ann}", w.object.identity()),
                    );
                }
            }
            for store in inv.objects_of_kind(&["SecretStore", "ClusterSecretStore"]) {
                if store.kind == "SecretStore" && store.namespace != cert.namespace {
                    continue;
                }
                for path in ESO_REFS {
                    let keys_path: Vec<&str> = ["spec", "provider", "vault"]
                        .iter()
                        .chain(path.iter())
                        .copied()
                        .collect();
                    let Some(r) = store.get(&keys_path) else {
                        continue;
                    };
                    let ns = r
                        .get("namespace")
                        .and_then(Node::as_str)
                        .unwrap_or(&store.namespace);
                    if r.get("name").and_then(Node::as_str) != Some(secret) || ns != cert.namespace
                    {
                        continue;
                    }
                    // Only an explicit key is judged (ESO's defaults are not assumed).
                    let Some(k) = r.entry("key") else { continue };
                    let Some(file) = k.value.as_str() else {
                        continue;
                    };
                    if keys.contains(&file) {
                        continue;
                    }
                    report(
                        out,
                        store.location(k.value.span),
                        format!("{} provider.vault.{}", store.display(), path.join(".")),
                        file,
                        format!("{}#{}.key", store.identity(), path.join(".")),
                    );
                }
            }
            for u in agent_uses
                .iter()
                .filter(|u| u.secret == secret && u.namespace == cert.namespace)
            {
                if u.key.is_some_and(|k| keys.contains(&k)) {
                    continue;
                }
                let who = format!(
                    "the agent config ({}) of {}, vault.{}",
                    u.doc.origin.as_deref().unwrap_or("agent config"),
                    u.workload,
                    u.field
                );
                let file = u.key.unwrap_or(u.file);
                report(
                    out,
                    u.location.clone(),
                    who,
                    file,
                    format!(
                        "{}/vault.{}#{}",
                        u.doc.origin.as_deref().unwrap_or(""),
                        u.field,
                        u.workload
                    ),
                );
            }
        }
    }
}
