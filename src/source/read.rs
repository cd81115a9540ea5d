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
    // UTF-16 with a byte-order mark is valid YAML (and what some Windows editors write);
    // its NUL bytes must not make it look binary.
    if let Some(text) = utf16_with_bom(&bytes) {
        return text;
    }
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

/// Decodes UTF-16 text that starts with a byte-order mark; `None` for anything else.
fn utf16_with_bom(bytes: &[u8]) -> Option<ReadOutcome> {
    let le = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    if body.len() % 2 != 0 {
        return Some(ReadOutcome::Failed(
            "not valid UTF-16 (odd number of bytes)".into(),
        ));
    }
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        match char::decode_utf16(units).collect::<Result<String, _>>() {
            Ok(s) if s.contains('\0') => ReadOutcome::Binary,
            Ok(s) => ReadOutcome::Text(s),
            Err(e) => ReadOutcome::Failed(format!("not valid UTF-16 ({e})")),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_byte_order_mark_is_text() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: é\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(matches!(decode(le), ReadOutcome::Text(t) if t == "a: é\n"));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("k: v".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert!(matches!(decode(be), ReadOutcome::Text(t) if t == "k: v"));
        assert!(matches!(
            decode(vec![0xFF, 0xFE, 0x41]),
            ReadOutcome::Failed(_)
        ));
        // NUL without a BOM is still binary.
        assert!(matches!(decode(b"a\0b".to_vec()), ReadOutcome::Binary));
    }
}
