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

use std::collections::HashMap;

use super::{certificates, secret_name, vault_store_ref, ClientRefs, NsName};
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

/// One [`ESO_REFS`] setting of a store, with the reference node.
type EsoRef<'a> = (&'a K8sObject, &'static [&'static str], &'a Node);

/// Every [`ESO_REFS`] setting by the (namespace, Secret) it reads, in store then `ESO_REFS`
/// order: the Secret's namespace is the reference's (the store's when unset), and a
/// `SecretStore` reads only its own namespace. Built once, so each Certificate looks its
/// consumers up instead of walking every store.
fn eso_key_refs(inv: &Inventory) -> HashMap<NsName<'_>, Vec<EsoRef<'_>>> {
    let mut out: HashMap<NsName<'_>, Vec<EsoRef<'_>>> = HashMap::new();
    for store in inv.objects_of_kind(&["SecretStore", "ClusterSecretStore"]) {
        for path in ESO_REFS {
            let Some(r) = vault_store_ref(store, path) else {
                continue;
            };
            let Some(name) = r.get("name").and_then(Node::as_str) else {
                continue;
            };
            let ns = r
                .get("namespace")
                .and_then(Node::as_str)
                .unwrap_or(&store.namespace);
            if store.kind == "SecretStore" && store.namespace != ns {
                continue;
            }
            out.entry((ns, name)).or_default().push((store, path, r));
        }
    }
    out
}

impl Rule for ClientCertConsumers {
    fn id(&self) -> &'static str {
        "XSR008"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        if certificates(inv).next().is_none() {
            return;
        }
        let refs = ClientRefs::new(inv);
        let store_refs = eso_key_refs(inv);
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
            for w in refs.tls_secret_workloads(&cert.namespace, secret) {
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
            let refs_here = store_refs
                .get(&(cert.namespace.as_str(), secret))
                .map_or(&[][..], Vec::as_slice);
            for &(store, path, r) in refs_here {
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
            for u in refs.agent_uses_of(&cert.namespace, secret) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::k8s::Workload;

    /// For every Certificate, the indexes list the injector workloads, store settings and
    /// agent uses the per-Certificate passes listed, in the same order.
    #[test]
    fn consumers_answer_as_the_full_scan() {
        let inv = super::super::test_inventory();
        let refs = ClientRefs::new(&inv);
        let stores = eso_key_refs(&inv);
        let mut total = 0;
        for cert in certificates(&inv) {
            let secret = secret_name(cert).unwrap();
            let ns = cert.namespace.as_str();
            let want: Vec<Workload> = inv
                .workloads()
                .filter(|w| w.object.namespace == ns)
                .filter(|w| {
                    w.annotation("vault.hashicorp.com/tls-secret")
                        .and_then(|e| e.value.as_str())
                        == Some(secret)
                })
                .collect();
            let got = refs.tls_secret_workloads(ns, secret);
            assert!(want
                .iter()
                .map(|w| w.object.identity().to_string())
                .eq(got.iter().map(|w| w.object.identity().to_string())));
            let mut want = Vec::new();
            for store in inv.objects_of_kind(&["SecretStore", "ClusterSecretStore"]) {
                if store.kind == "SecretStore" && store.namespace != ns {
                    continue;
                }
                for path in ESO_REFS {
                    let Some(r) = vault_store_ref(store, path) else {
                        continue;
                    };
                    let rns = r
                        .get("namespace")
                        .and_then(Node::as_str)
                        .unwrap_or(&store.namespace);
                    if r.get("name").and_then(Node::as_str) == Some(secret) && rns == ns {
                        want.push((store.identity().to_string(), path.join(".")));
                    }
                }
            }
            let got: Vec<_> = stores
                .get(&(ns, secret))
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|(s, p, _)| (s.identity().to_string(), p.join(".")))
                .collect();
            assert_eq!(got, want, "{}", cert.display());
            total += want.len();
            let all = super::super::agent_cert_uses(&inv);
            let want = all
                .iter()
                .filter(|u| u.secret == secret && u.namespace == ns);
            let got = refs.agent_uses_of(ns, secret);
            assert!(want
                .map(|u| (&u.workload, u.field, u.file))
                .eq(got.map(|u| (&u.workload, u.field, u.file))));
        }
        assert!(total >= 5, "{total}");
    }
}
