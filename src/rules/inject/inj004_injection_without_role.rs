//! INJ004 — Injection enabled without a role: with `agent-inject` true, `auth-type` absent or
//! `kubernetes` and neither `vault.hashicorp.com/role` nor `auth-config-role`, the injector
//! refuses the pod ("no Vault role found", vault-k8s `Agent.Validate`). The check only runs
//! when the pod does not bring its own agent config (`agent-configmap`), as in vault-k8s. Partial manifests without a pod spec (patches) are not judged.

use super::injection_enabled;
use crate::model::consumers::{injector_auth, pod_spec_key};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct InjectionWithoutRole;

impl Rule for InjectionWithoutRole {
    fn id(&self) -> &'static str {
        "INJ004"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        // A partial manifest (no pod spec, e.g. a kustomize patch) may get its role from
        // the base it patches: a missing role is not judged there.
        for w in inv
            .workloads()
            .filter(injection_enabled)
            .filter(|w| pod_spec_key(w).is_some())
        {
            let own_config = w
                .annotation("vault.hashicorp.com/agent-configmap")
                .and_then(|e| e.value.as_str())
                .is_some_and(|v| !v.is_empty());
            if own_config {
                continue;
            }
            let auth = injector_auth(&w);
            if auth.auth_type != "kubernetes" || auth.role.is_some() {
                continue;
            }
            let Some(e) = w.annotation("vault.hashicorp.com/agent-inject") else {
                continue;
            };
            out.report(
                w.object.location(e.key.span),
                format!("{}: Vault injection is enabled with Kubernetes auth but no vault.hashicorp.com/role: the injector rejects the pod (\"no Vault role found\")", w.object.display()),
            )
            .identity(format!("{}/annotations/role", w.object.identity()));
        }
    }
}
