//! Cluster-level Kubernetes facts (RULES-SPEC §1(h)) that are not objects, filled by
//! `crate::live::kube`.

/// What the cluster told us beyond its objects.
#[derive(Debug, Clone, Default)]
pub struct KubeFacts {
    /// The kubeconfig context (or `in-cluster`) read.
    pub context: String,
}
