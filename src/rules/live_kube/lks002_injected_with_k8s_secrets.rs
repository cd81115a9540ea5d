//! LKS002 — Secrets in the cluster for Vault-injected workloads (info): a Pod the Vault Agent
//! injector has mutated (`vault.hashicorp.com/agent-inject-status: injected`) that still
//! reads Kubernetes Secrets with secret-like keys (secret volumes, projected secrets,
//! `secretKeyRef`, `envFrom.secretRef`). One finding per workload (a Pod's top controller)
//! and Secret, on the workload; the Secret's keys are a related location. Inventory for the
//! migration to Vault (seed002); key names only, never values.

use super::{pods, PodSource};
use crate::engine::live_locations::is_live;
use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::report::mask::is_secret_name;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::yaml::Node;
use std::collections::{BTreeMap, HashMap};

pub struct InjectedWithK8sSecrets;

/// Secret-like keys of a Secret object (`data` and `stringData`).
fn secret_like_keys(secret: &K8sObject) -> Vec<(&str, Span)> {
    ["data", "stringData"]
        .into_iter()
        .filter_map(|s| secret.get(&[s]))
        .flat_map(Node::entries)
        .filter(|(k, _)| is_secret_name(k))
        .map(|(k, e)| (k, e.key.span))
        .collect()
}

impl Rule for InjectedWithK8sSecrets {
    fn id(&self) -> &'static str {
        "LKS002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let all = pods(inv);
        if !all.iter().any(|(p, _)| p.vault_injected) {
            return;
        }
        // Secrets by (namespace, name); a live copy wins over a file (it is what runs).
        let mut secrets: HashMap<(&str, &str), &K8sObject> = HashMap::new();
        for s in inv.objects_of_kind(&["Secret"]) {
            let key = (s.namespace.as_str(), s.name.as_str());
            if is_live(&s.path) || !secrets.contains_key(&key) {
                secrets.insert(key, s);
            }
        }
        // (namespace, workload kind, workload name, secret) → where to report.
        let mut seen: BTreeMap<(String, String, String, String), Location> = BTreeMap::new();
        for (pod, source) in &all {
            if !pod.vault_injected {
                continue;
            }
            let (kind, name, at) = match source {
                PodSource::File(o) => {
                    let span = o
                        .get(&["metadata", "annotations"])
                        .and_then(|a| a.entry("vault.hashicorp.com/agent-inject-status"))
                        .map_or(o.kind_span(), |e| e.key.span);
                    ("Pod".to_owned(), pod.name.clone(), o.location(span))
                }
                PodSource::Live => {
                    let Some(facts) = &inv.live.kube else {
                        continue;
                    };
                    let (kind, name) = facts.top_owner(pod);
                    let path = format!("k8s://{}/{}/{kind}/{name}", facts.context, pod.namespace);
                    let at = inv.file(&path).and_then(|f| f.objects.first()).map_or_else(
                        || Location::new(path.as_str().into(), Span::file_start()),
                        |o| o.location(o.kind_span()),
                    );
                    (kind, name, at)
                }
            };
            for secret in &pod.secret_refs {
                seen.entry((
                    pod.namespace.clone(),
                    kind.clone(),
                    name.clone(),
                    secret.clone(),
                ))
                .or_insert_with(|| at.clone());
            }
        }
        for ((ns, kind, name, secret), at) in seen {
            let Some(obj) = secrets.get(&(ns.as_str(), secret.as_str())) else {
                continue;
            };
            let keys = secret_like_keys(obj);
            let Some((_, first)) = keys.first() else {
                continue;
            };
            let names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
            let f = out.report(
                at,
                format!(
                    "{kind} {ns}/{name} is Vault-injected but still reads the Kubernetes Secret {secret} ({}): migrate these keys to Vault and stop mounting the Secret",
                    names.join(", ")
                ),
            );
            f.related(
                obj.location(*first),
                format!("secret-like keys of Secret {ns}/{secret}"),
            )
            .identity(format!("{ns}/{kind}/{name}/secret/{secret}"));
        }
    }
}
