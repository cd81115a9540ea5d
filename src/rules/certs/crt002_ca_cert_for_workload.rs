//! CRT002 — CA certificate requested for a workload: `spec.isCA: true` on a Certificate whose
//! secret an application workload mounts (a `secret` volume or projected source, or the
//! injector's `vault.hashicorp.com/tls-secret`) in the same namespace. Certificates that an
//! `Issuer`/`ClusterIssuer` uses as `spec.ca.secretName` are CAs by design and not flagged.

use std::collections::{HashMap, HashSet};

use super::{certificates, is_ca, secret_name, NsName};
use crate::model::inventory::Inventory;
use crate::model::k8s::Workload;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;

pub struct CaCertForWorkload;

/// The first workload, in scan order, that mounts each (namespace, Secret): a `secret` volume,
/// a projected `secret` source or the injector's `vault.hashicorp.com/tls-secret`. Built once
/// per check, so each CA Certificate is a lookup, not a pass over every workload.
fn first_mounters(inv: &Inventory) -> HashMap<NsName<'_>, Workload<'_>> {
    let mut out = HashMap::new();
    for w in inv.workloads() {
        let ns = w.object.namespace.as_str();
        for v in w.pod_spec.get("volumes").map(Node::items).unwrap_or(&[]) {
            let direct = v.path(&["secret", "secretName"]).and_then(Node::as_str);
            let projected = v
                .path(&["projected", "sources"])
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|s| s.path(&["secret", "name"]).and_then(Node::as_str));
            for secret in direct.into_iter().chain(projected) {
                out.entry((ns, secret)).or_insert(w);
            }
        }
        let tls = w.annotation("vault.hashicorp.com/tls-secret");
        if let Some(secret) = tls.and_then(|e| e.value.as_str()) {
            out.entry((ns, secret)).or_insert(w);
        }
    }
    out
}

/// The Secrets issuers sign with (`spec.ca.secretName`): a `ClusterIssuer`'s in every
/// namespace, an `Issuer`'s in its own.
struct IssuerCas<'a> {
    cluster: HashSet<&'a str>,
    namespaced: HashSet<NsName<'a>>,
}

impl<'a> IssuerCas<'a> {
    fn new(inv: &'a Inventory) -> Self {
        let mut cas = IssuerCas {
            cluster: HashSet::new(),
            namespaced: HashSet::new(),
        };
        for i in inv.objects_of_kind(&["Issuer", "ClusterIssuer"]) {
            let Some(secret) = i.get(&["spec", "ca", "secretName"]).and_then(Node::as_str) else {
                continue;
            };
            if i.kind == "ClusterIssuer" {
                cas.cluster.insert(secret);
            } else {
                cas.namespaced.insert((i.namespace.as_str(), secret));
            }
        }
        cas
    }

    fn signs_with(&self, namespace: &'a str, secret: &'a str) -> bool {
        self.cluster.contains(secret) || self.namespaced.contains(&(namespace, secret))
    }
}

impl Rule for CaCertForWorkload {
    fn id(&self) -> &'static str {
        "CRT002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        if certificates(inv).next().is_none() {
            return;
        }
        let mounters = first_mounters(inv);
        let issuer_cas = IssuerCas::new(inv);
        for cert in certificates(inv).filter(|c| is_ca(c)) {
            let Some(secret) = secret_name(cert) else {
                continue;
            };
            if issuer_cas.signs_with(&cert.namespace, secret) {
                continue;
            }
            let Some(w) = mounters.get(&(cert.namespace.as_str(), secret)) else {
                continue;
            };
            let w = w.object.display();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::k8s::K8sObject;

    /// The first mounter and the issuer test answer, for every Certificate, what the
    /// per-Certificate passes over workloads and issuers answered.
    #[test]
    fn indexes_answer_as_the_full_scan() {
        let inv = super::super::test_inventory();
        let mounters = first_mounters(&inv);
        let cas = IssuerCas::new(&inv);
        let mounted_by = |cert: &K8sObject, secret: &str| {
            inv.workloads().find_map(|w| {
                let vols = w.pod_spec.get("volumes").map(Node::items).unwrap_or(&[]);
                let hit = w.object.namespace == cert.namespace
                    && (vols.iter().any(|v| {
                        v.path(&["secret", "secretName"]).and_then(Node::as_str) == Some(secret)
                            || v.path(&["projected", "sources"])
                                .map(Node::items)
                                .unwrap_or(&[])
                                .iter()
                                .any(|s| {
                                    s.path(&["secret", "name"]).and_then(Node::as_str)
                                        == Some(secret)
                                })
                    }) || w
                        .annotation("vault.hashicorp.com/tls-secret")
                        .and_then(|e| e.value.as_str())
                        == Some(secret));
                hit.then(|| w.object.display().to_string())
            })
        };
        let (mut mounted, mut signed) = (0, 0);
        for cert in certificates(&inv) {
            let secret = secret_name(cert).unwrap();
            let want = mounted_by(cert, secret);
            let got = mounters.get(&(cert.namespace.as_str(), secret));
            assert_eq!(got.map(|w| w.object.display().to_string()), want);
            let issuer_ca = inv.objects_of_kind(&["Issuer", "ClusterIssuer"]).any(|i| {
                i.get(&["spec", "ca", "secretName"]).and_then(Node::as_str) == Some(secret)
                    && (i.kind == "ClusterIssuer" || i.namespace == cert.namespace)
            });
            assert_eq!(cas.signs_with(&cert.namespace, secret), issuer_ca);
            mounted += usize::from(want.is_some());
            signed += usize::from(issuer_ca);
        }
        assert!(mounted >= 4 && signed >= 4, "{mounted} {signed}");
    }
}
