//! Live Vault/OpenBao server state (RULES-SPEC §1(i)), filled by `crate::live::vault`.
//!
//! Every API response a finding can point at is also a [`crate::live::VirtualFile`]
//! (`vault://<host:port>/sys/audit`, `…/sys/mounts`, `…/sys/auth/<path>/tune`, …), so the
//! facts here only carry the logical path of the file that holds them; rules find the exact
//! span of a key in that file (`Inventory::file(path)`). A `None` section was not read (the
//! collector reported why as an incomplete diagnostic) — never "empty".

/// What one Vault server told us.
#[derive(Debug, Clone, Default)]
pub struct VaultState {
    /// The address read, as given (`VAULT_ADDR`/`BAO_ADDR`).
    pub addr: String,
    /// `vault://<host:port>`: the prefix of every virtual file of this server.
    pub base: String,
    /// The scan ran with `--vault-insecure` (server certificate not verified).
    pub insecure: bool,
    /// `GET sys/health`.
    pub health: Option<Health>,
    /// `GET sys/audit` (needs `sudo`).
    pub audit: Option<Vec<AuditDevice>>,
    /// `GET sys/mounts`, with each mount's tune.
    pub secret_mounts: Option<Vec<LiveMount>>,
    /// `GET sys/auth`, with each mount's tune.
    pub auth_mounts: Option<Vec<LiveMount>>,
    /// Roles of the kubernetes/approle/jwt auth mounts.
    pub roles: Vec<LiveRole>,
    /// Current versions of KV v2 secrets (metadata only; values are never read).
    pub kv_secrets: Vec<KvSecret>,
}

impl VaultState {
    /// The logical path of a response, e.g. `file("sys/audit")`.
    pub fn file(&self, api_path: &str) -> String {
        format!("{}/{api_path}", self.base)
    }
}

/// `sys/health`: the status code says what the node is (§4.3).
#[derive(Debug, Clone, Default)]
pub struct Health {
    pub status: u16,
    pub initialized: bool,
    pub sealed: bool,
    pub standby: bool,
    pub performance_standby: bool,
    pub version: String,
    pub cluster_name: String,
}

/// One audit device (`sys/audit` entry); option values are strings.
#[derive(Debug, Clone, Default)]
pub struct AuditDevice {
    /// Key in `sys/audit`, with its trailing slash (`file/`).
    pub path: String,
    pub device_type: String,
    pub options: Vec<(String, String)>,
}

impl AuditDevice {
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A secrets or auth mount with its lease settings.
#[derive(Debug, Clone, Default)]
pub struct LiveMount {
    /// Mount path without slashes at either end (`secret`, `kubernetes`, `team/kv`).
    pub path: String,
    pub mount_type: String,
    /// KV version per §1(f) decoding (`kv` + `options.version`, `kv-v1`, `kv-v2`); `None`
    /// for other engines.
    pub kv_version: Option<u8>,
    /// `config.default_lease_ttl` / `config.max_lease_ttl` from the listing (0 = system).
    pub default_lease_ttl: i64,
    pub max_lease_ttl: i64,
    /// The tune endpoint's effective values (seconds), when it could be read.
    pub tune: Option<(i64, i64)>,
}

/// An auth role read from `auth/<mount>/role/<name>`.
#[derive(Debug, Clone, Default)]
pub struct LiveRole {
    /// The auth method type (`kubernetes`, `approle`, `jwt`, `oidc`).
    pub method: String,
    pub mount: String,
    pub name: String,
}

/// A KV v2 secret's metadata: its current version and when that version was written.
#[derive(Debug, Clone, Default)]
pub struct KvSecret {
    pub mount: String,
    /// The key below the mount (`app/db`).
    pub key: String,
    pub current_version: u64,
    /// RFC 3339 `created_time` of the current version.
    pub created_time: String,
    pub destroyed: bool,
}
