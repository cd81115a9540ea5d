//! The Vault collector (`--vault`).

use super::{LiveInput, LiveOptions};

/// Reads the Vault server's state.
pub async fn collect(_opts: &LiveOptions) -> LiveInput {
    LiveInput::failed("vault://", "the Vault collector is not written yet")
}
