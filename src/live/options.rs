//! What to read from live systems: the `--kube`, `--aws` and `--vault` flags.

use std::path::PathBuf;
use std::time::Duration;

/// Live-scan options, shared by every collector.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LiveOptions {
    /// Read live Kubernetes state (kubeconfig or in-cluster config).
    #[arg(long)]
    pub kube: bool,
    /// Kubeconfig context to use (default: the current context).
    #[arg(long, value_name = "NAME")]
    pub kube_context: Option<String>,
    /// Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// List objects in every namespace (default for live scans unless --namespace is given).
    #[arg(long)]
    pub all_namespaces: bool,
    /// Read live AWS networking state (standard credential chain).
    #[arg(long)]
    pub aws: bool,
    /// AWS region to read (repeatable; default: every enabled region).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Only these VPCs (repeatable).
    #[arg(long = "vpc", value_name = "VPC_ID")]
    pub vpcs: Vec<String>,
    /// Read live Vault/OpenBao state (VAULT_ADDR/BAO_ADDR, VAULT_TOKEN, VAULT_CACERT,
    /// VAULT_NAMESPACE).
    #[arg(long)]
    pub vault: bool,
    /// Accept any Vault server certificate (reported as a finding itself).
    #[arg(long)]
    pub vault_insecure: bool,
    /// Timeout for each API request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub live_timeout: u64,
    /// Write every fetched object as YAML under DIR and point findings at those files.
    #[arg(long, value_name = "DIR")]
    pub snapshot_dir: Option<PathBuf>,
    /// The namespace to list (set from `--namespace` by the CLI).
    #[arg(skip)]
    pub namespace: Option<String>,
}

impl LiveOptions {
    /// True when any live source was asked for.
    pub fn any(&self) -> bool {
        self.kube || self.aws || self.vault
    }
    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.live_timeout.max(1))
    }
}
