//! Live Vault/OpenBao server state (RULES-SPEC §1(i)), filled by `crate::live::vault`.

/// What one Vault server told us.
#[derive(Debug, Clone, Default)]
pub struct VaultState {
    /// The address read, as given (`VAULT_ADDR`/`BAO_ADDR`).
    pub addr: String,
}
