//! AUD002's saved state: accessor → addresses (with their sighting summary) and login
//! address, written by `--write-baseline` and read by `--baseline`, so a cron job can analyse
//! each new stretch of log against what earlier runs saw.

use crate::audit::detect::aud002_new_address::Token;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

const KIND: &str = "sealant-audit-address-baseline";

#[derive(Serialize, Deserialize)]
struct File {
    kind: String,
    version: u32,
    /// The `now` of the run that wrote it (RFC 3339).
    now: String,
    tokens: BTreeMap<String, Token>,
}

/// Reads a baseline file.
pub fn load(path: &Path) -> Result<HashMap<Arc<str>, Token>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let f: File = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not an audit baseline: {e}", path.display()))?;
    if f.kind != KIND || f.version != 1 {
        return Err(format!("{}: not a version 1 {KIND} file", path.display()));
    }
    Ok(f.tokens
        .into_iter()
        .map(|(k, v)| (Arc::from(k.as_str()), v))
        .collect())
}

/// Writes a baseline file (accessors sorted, so runs diff cleanly).
pub fn save(path: &Path, tokens: &HashMap<Arc<str>, Token>, now: i64) -> Result<(), String> {
    let f = File {
        kind: KIND.into(),
        version: 1,
        now: crate::audit::record::format_time(now),
        tokens: tokens
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    };
    let text = serde_json::to_string_pretty(&f).expect("serializes") + "\n";
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
