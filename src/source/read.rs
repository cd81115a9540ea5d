//! Reading one file as text: binary and non-UTF-8 content is detected, never guessed at.

use std::path::Path;

/// What reading a file gave.
pub enum ReadOutcome {
    Text(String),
    Binary,
    Failed(String),
}

/// Reads a file; a NUL byte in the first 8 KiB means binary.
pub fn read_text(path: &Path) -> ReadOutcome {
    match std::fs::read(path) {
        Ok(bytes) => decode(bytes),
        Err(e) => ReadOutcome::Failed(e.to_string()),
    }
}

pub fn decode(bytes: Vec<u8>) -> ReadOutcome {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return ReadOutcome::Binary;
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(s) => ReadOutcome::Text(s),
        Err(e) => ReadOutcome::Failed(format!(
            "not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        )),
    }
}
