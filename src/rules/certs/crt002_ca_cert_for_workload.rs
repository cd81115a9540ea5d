//! CRT002 — CA certificate requested for a workload: `spec.isCA: true` on a Certificate whose
//! secret an application workload mounts (a `secret` volume or projected source, or the
//! injector's `vault.hashicorp.com/tls-secret`) in the same namespace. Certificates that an
//! `Issuer`/`ClusterIssuer` uses as `spec.ca.secretName` are CAs by design and not flagged.

use super::{certificates, is_ca, secret_name};
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct CaCertForWorkload;

fn mounted_by(inv: &Inventory, cert: &K8sObject, secret: &str) -> Option<String> {
    for w in inv.workloads() {
        if w.object.namespace != cert.namespace {
            continue;
        }
        for v in w.pod_spec.get("volumes").map(Node::items).unwrap_or(&[]) {
            let direct = v.path(&["secret", "secretName"]).and_then(Node::as_str) == Some(secret);
            let projected = v
                .path(&["projected", "sources"])
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .any(|s| s.path(&["secret", "name"]).and_then(Node::as_str) == Some(secret));
            if direct || projected {
                return Some(w.object.display().to_string());
            }
        }
        if w.annotation("vault.hashicorp.com/tls-secret")
            .and_then(|e| e.value.as_str())
            == Some(secret)
        {
            return Some(w.object.display().to_string());
        }
    }
    None
}

impl Rule for CaCertForWorkload {
    fn id(&self) -> &'static str {
        "CRT002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for cert in certificates(inv).filter(|c| is_ca(c)) {
            let Some(secret) = secret_name(cert) else {
                continue;
            };
            let issuer_ca = inv.objects_of_kind(&["Issuer", "ClusterIssuer"]).any(|i| {
                i.get(&["spec", "ca", "secretName"]).and_then(Node::as_str) == Some(secret)
                    && (i.kind == "ClusterIssuer" || i.namespace == cert.namespace)
            });
            if issuer_ca {
                continue;
            }
            let Some(w) = mounted_by(inv, cert, secret) else {
                continue;
            };
            let at = cert
                .get(&["spec", "isCA"])
                .map_or(cert.kind_span(), |n| n.span);
            out.report(
                cert.location(at),
                format!("{} requests a CA certificate (isCA: true) and {w} mounts its secret `{secret}`: the workload holds a CA key and can mint client certificates for any identity Vault's cert auth trusts", cert.display()),
            )
            .identity(format!("{}#spec.isCA", cert.identity()));
        }
    }
}
