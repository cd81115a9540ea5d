//! Vault audit-log lines (`audit::record::parse_line`, `parse_time`).
//!
//! The first input byte picks the mode. Even: the rest is one raw line; parsing gives `Ok` or
//! `Err`, never a panic, and a parsed record's derived facts (failed, kind, time) compute.
//! Odd: the bytes choose field values — strings with quotes, backslashes, control characters
//! and non-ASCII, so JSON escapes force owned strings — and a record is serialised by
//! serde_json with those values; `parse_line` must read back exactly what was written, whether
//! a string borrowed from the line or was unescaped.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealant::audit::record::{parse_line, parse_time, AccessorField};
use sealant_fuzz::Bytes;
use serde_json::json;

/// A short string over an alphabet that needs every kind of JSON escape.
fn string(b: &mut Bytes) -> String {
    const ALPHABET: &[char] = &[
        'a', '/', '"', '\\', '\n', '\u{1}', 'é', '😀', ' ', '\u{2028}',
    ];
    (0..b.next() % 6)
        .map(|_| ALPHABET[b.next() as usize % ALPHABET.len()])
        .collect()
}

fn raw(line: &[u8]) {
    if let Ok(Some(r)) = parse_line(line) {
        let _ = (r.failed(), r.is_request(), r.is_response(), r.micros());
        let _ = r.req(|q| q.path.as_ref().map(|p| p.as_str().len()));
    }
    if let Ok(s) = std::str::from_utf8(line) {
        let _ = parse_time(s);
    }
}

fn structured(b: &mut Bytes) {
    let path = string(b);
    let op = string(b);
    let addr = string(b);
    let accessor = string(b);
    let policies: Vec<String> = (0..b.next() % 3).map(|_| string(b)).collect();
    let error = string(b);
    let kind = if b.next() & 1 == 1 {
        "request"
    } else {
        "response"
    };
    let line = json!({
        "time": "2026-11-30T03:04:05.123456Z",
        "type": kind,
        "auth": {"accessor": accessor, "policies": policies, "metadata": {"role": path}},
        "request": {"operation": op, "path": path, "remote_address": addr, "data": {"k": [1, {"x": null}]}},
        "error": error,
    });
    let bytes = serde_json::to_vec(&line).unwrap();
    let r = parse_line(&bytes)
        .unwrap_or_else(|e| panic!("serde_json's own output must parse: {e}"))
        .expect("a non-blank line");
    let req = r.request.as_ref().expect("request");
    assert_eq!(req.path.as_ref().map(|s| s.as_str()), Some(path.as_str()));
    assert_eq!(
        req.operation.as_ref().map(|s| s.as_str()),
        Some(op.as_str())
    );
    assert_eq!(
        req.remote_address.as_ref().map(|s| s.as_str()),
        Some(addr.as_str())
    );
    let auth = r.auth.as_ref().expect("auth");
    match &auth.accessor {
        AccessorField::Value(s) => assert_eq!(s.as_str(), accessor),
        other => panic!("accessor {other:?}"),
    }
    assert_eq!(auth.policies.0.len(), policies.len());
    for p in &policies {
        assert!(auth.policies.contains(p));
    }
    assert_eq!(auth.metadata.get("role"), Some(path.as_str()));
    assert_eq!(r.is_request(), kind == "request");
    assert_eq!(r.failed(), !error.is_empty());
    assert_eq!(r.micros(), Some(1_796_007_845_123_456));
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 1 {
        structured(&mut Bytes(rest));
    } else {
        raw(rest);
    }
});
