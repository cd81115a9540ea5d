//! Facts read from live systems that are not file-shaped (Vault server state, AWS networking,
//! cluster-wide Kubernetes facts). Live Kubernetes objects and Vault policies are *not* here:
//! collectors hand them to the pipeline as [`crate::live::VirtualFile`]s, so every static rule
//! applies to them unchanged. These types are plain data, compiled with or without the live
//! features, so rules can read them in every build.

pub mod aws;
pub mod kube;
pub mod vault;

/// Everything the live collectors learned that rules read directly.
#[derive(Debug, Clone, Default)]
pub struct LiveFacts {
    /// One entry per Vault/OpenBao server read (`--vault`).
    pub vault: Vec<vault::VaultState>,
    /// AWS networking state (`--aws`), all regions and accounts read.
    pub aws: Option<aws::AwsState>,
    /// Cluster-level facts (`--kube`) that are not objects.
    pub kube: Option<kube::KubeFacts>,
}
