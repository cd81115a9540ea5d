//! Kubernetes manifest rules (RULES-SPEC §1(a)): what a container's resolved environment and
//! the ConfigMaps it reads tell Vault and AWS clients to do.

pub mod env_checks;
mod k8s001_vault_skip_verify_env;
mod k8s002_app_skip_verify_env;
mod k8s003_plaintext_vault_addr;
mod k8s004_static_vault_token;
mod k8s005_plaintext_secret_env;
mod k8s006_plaintext_secrets_manager_endpoint;
mod k8s007_configmap_tls_bypass;
mod k8s008_secret_inline_data;
mod k8s015_default_service_account_vault_auth;
mod k8s016_production_without_secret_store;

use crate::model::env::{ContainerEnv, EnvVar};
use crate::model::inventory::Inventory;
use crate::model::k8s::{Container, K8sObject, Workload};
use crate::rules::{Finding, Rule};
use std::cell::OnceCell;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(k8s001_vault_skip_verify_env::VaultSkipVerifyEnv),
        Box::new(k8s002_app_skip_verify_env::AppSkipVerifyEnv),
        Box::new(k8s003_plaintext_vault_addr::PlaintextVaultAddr),
        Box::new(k8s004_static_vault_token::StaticVaultToken),
        Box::new(k8s006_plaintext_secrets_manager_endpoint::PlaintextSecretsManagerEndpoint),
        Box::new(k8s007_configmap_tls_bypass::ConfigMapTlsBypass),
        Box::new(k8s005_plaintext_secret_env::PlaintextSecretEnv),
        Box::new(k8s008_secret_inline_data::SecretInlineData),
        Box::new(k8s015_default_service_account_vault_auth::DefaultServiceAccountVaultAuth),
        Box::new(k8s016_production_without_secret_store::ProductionWithoutSecretStore),
    ]
}

/// Where one container's environment is set: its object, and its workload and container,
/// which are looked up in the tree only when a rule asks (most variables match no rule, and
/// at scale every such lookup is a cache miss).
pub struct EnvSite<'i> {
    pub object: &'i K8sObject,
    env: &'i ContainerEnv,
    resolved: OnceCell<Option<(Workload<'i>, Container<'i>)>>,
}

impl<'i> EnvSite<'i> {
    fn new(inv: &'i Inventory, env: &'i ContainerEnv) -> EnvSite<'i> {
        EnvSite {
            object: env.object_in(inv),
            env,
            resolved: OnceCell::new(),
        }
    }

    /// The workload and the container the environment belongs to. `None` only if the
    /// object no longer reads as the workload the environment was resolved from; a rule
    /// then reports nothing for it, as it never could name the container.
    pub fn resolve(&self) -> Option<(&Workload<'i>, &Container<'i>)> {
        self.resolved
            .get_or_init(|| {
                let w = self.object.workload()?;
                let c = w.container(self.env.group, self.env.index)?;
                Some((w, c))
            })
            .as_ref()
            .map(|(w, c)| (w, c))
    }
}

/// Calls `f` for every resolved environment variable of every container of every workload,
/// with the container's whole resolved environment (resolved once per scan, shared by rules).
pub fn each_env(inv: &Inventory, mut f: impl FnMut(&EnvSite<'_>, &EnvVar, &[EnvVar])) {
    for ce in inv.container_envs() {
        let site = EnvSite::new(inv, ce);
        for v in &ce.vars {
            f(&site, v, &ce.vars);
        }
    }
}

/// "container `app` of Deployment prod/api".
pub fn who(w: &Workload<'_>, c: &Container<'_>) -> String {
    let group = match c.group {
        "initContainers" => "init container",
        "ephemeralContainers" => "ephemeral container",
        _ => "container",
    };
    format!("{group} `{}` of {}", c.name, w.object.display())
}

/// Identity and related location common to every env finding.
pub fn finish(f: &mut Finding, w: &Workload<'_>, c: &Container<'_>, v: &EnvVar) {
    f.identity(format!("{}/{}/env/{}", w.object.identity(), c.name, v.name));
    if let Some(src) = &v.source {
        f.related(src.clone(), format!("{} is set here", v.name));
    }
}
