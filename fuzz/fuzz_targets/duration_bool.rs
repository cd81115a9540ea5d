//! Durations and booleans (RULES-SPEC §0.1, §0.2): the parsers never panic, a parsed Go
//! duration prints in a form that parses back to the same value, Vault's integer-seconds
//! and days forms agree with plain arithmetic, and the Go ParseBool reading matches Go's
//! fixed table.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealant::duration::{parse_go, parse_tf_seconds, parse_vault, SECOND};
use sealant::semantics::{go_parse_bool, weak_parse_bool_str, BoolReading};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = parse_go(s) {
        let printed = d.to_string();
        let again = parse_go(&printed)
            .unwrap_or_else(|e| panic!("{s:?} parsed to {printed:?} which does not parse: {e}"));
        assert_eq!(again, d, "{s:?} -> {printed:?} -> {again:?}");
    }
    let vault = parse_vault(s);
    if let Ok(n) = s.parse::<i64>() {
        match n.checked_mul(SECOND) {
            Some(nanos) => assert_eq!(vault.clone().ok().flatten().map(|d| d.nanos), Some(nanos)),
            None => assert!(vault.is_err()),
        }
        assert_eq!(
            parse_tf_seconds(s).ok().map(|d| d.nanos),
            Some(n.saturating_mul(SECOND))
        );
    }
    if let Some(days) = s.strip_suffix('d').and_then(|d| d.parse::<i64>().ok()) {
        if let Some(nanos) = days.checked_mul(24 * 3600 * SECOND) {
            assert_eq!(vault.ok().flatten().map(|d| d.nanos), Some(nanos));
        }
    }
    let go = go_parse_bool(s);
    let table = match s {
        "" => Some(BoolReading::Unset),
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(BoolReading::True),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(BoolReading::False),
        _ => None,
    };
    match table {
        Some(t) => assert_eq!(go, t, "{s:?}"),
        None => assert!(
            matches!(go, BoolReading::Invalid | BoolReading::Unknown),
            "{s:?} -> {go:?}"
        ),
    }
    let weak = weak_parse_bool_str(s);
    assert_eq!(weak, if s.is_empty() { BoolReading::False } else { go });
});
