//! Stable fingerprints: a hash of the rule, the file and the finding's logical identity
//! (object and field path), never the line number, so unrelated edits that shift lines keep
//! the fingerprint (SARIF `partialFingerprints`, baselines).

/// 64-bit FNV-1a: tiny, stable across versions and platforms (std's hasher is not).
pub fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The fingerprint of a finding.
pub fn of(f: &crate::rules::Finding) -> String {
    fnv1a(&[f.rule_id, &f.location.path, &f.identity])
}
