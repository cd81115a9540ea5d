//! External Secrets Operator rules (RULES-SPEC §1(a-5)), on `SecretStore` /
//! `ClusterSecretStore` objects of external-secrets.io (v1, v1beta1).

mod eso001_plaintext_vault;
mod eso002_cluster_store_all_namespaces;
mod eso003_static_vault_token;
mod eso004_kv2_path_with_data;
mod eso005_aws_static_keys;

use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::rules::Rule;

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(eso001_plaintext_vault::EsoPlaintextVault),
        Box::new(eso002_cluster_store_all_namespaces::ClusterStoreAllNamespaces),
        Box::new(eso003_static_vault_token::StaticVaultToken),
        Box::new(eso004_kv2_path_with_data::Kv2PathWithData),
        Box::new(eso005_aws_static_keys::AwsStaticKeys),
    ]
}

/// Every ESO store of the scan set.
pub(crate) fn stores(inv: &Inventory) -> impl Iterator<Item = &K8sObject> {
    inv.objects_of_kind(&["SecretStore", "ClusterSecretStore"])
        .filter(|o| o.api_group() == "external-secrets.io")
}
