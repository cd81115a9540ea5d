//! One audit-log line (RULES-SPEC §1(j)) parsed into a borrowed, minimal view: only the fields
//! the detectors read; every other field is skipped without being built. Strings borrow from
//! the line unless they contain escapes.
//!
//! `parse_line` is the fuzzing entry point: any byte slice gives `Ok` or `Err`, never a panic.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// A JSON string, borrowed from the line when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl Str<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// `auth.accessor` as the brief's detector keys it: absent → `"unauthenticated"`, JSON `null`
/// → its own key, a string → itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AccessorField<'a> {
    #[default]
    Absent,
    Null,
    Value(Str<'a>),
}

impl<'de: 'a, 'a> Deserialize<'de> for AccessorField<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<Str<'a>>::deserialize(d)? {
            None => AccessorField::Null,
            Some(s) => AccessorField::Value(s),
        })
    }
}

/// Python truthiness of an arbitrary JSON value, computed without building it (the brief's
/// `if response.get('errors'):`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Truthy(pub bool);

impl<'de> Deserialize<'de> for Truthy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Truthy;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Truthy, E> {
                Ok(Truthy(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Truthy, E> {
                Ok(Truthy(v != 0))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Truthy, E> {
                Ok(Truthy(v != 0))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Truthy, E> {
                Ok(Truthy(v != 0.0))
            }
            fn visit_str<E>(self, v: &str) -> Result<Truthy, E> {
                Ok(Truthy(!v.is_empty()))
            }
            fn visit_unit<E>(self) -> Result<Truthy, E> {
                Ok(Truthy(false))
            }
            fn visit_none<E>(self) -> Result<Truthy, E> {
                Ok(Truthy(false))
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Truthy, D2::Error> {
                Truthy::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Truthy, A::Error> {
                let mut any = false;
                while a.next_element::<IgnoredAny>()?.is_some() {
                    any = true;
                }
                Ok(Truthy(any))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Truthy, A::Error> {
                let mut any = false;
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
                    any = true;
                }
                Ok(Truthy(any))
            }
        }
        d.deserialize_any(V)
    }
}

/// A string map (`auth.metadata`); non-string values are skipped, not errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrMap<'a>(pub Vec<(Str<'a>, Str<'a>)>);

impl<'a> StrMap<'a> {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| v.as_str())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for StrMap<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = StrMap<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(StrMap::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = a.next_key::<Str<'a>>()? {
                    if let Loose::Str(v) = a.next_value::<Loose<'a>>()? {
                        out.push((k, v));
                    }
                }
                Ok(StrMap(out))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A string list (`auth.policies`); `null` is empty, non-string items are skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrList<'a>(pub Vec<Str<'a>>);

impl StrList<'_> {
    pub fn contains(&self, s: &str) -> bool {
        self.0.iter().any(|x| x.as_str() == s)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for StrList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = StrList<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(StrList::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = a.next_element::<Loose<'a>>()? {
                    if let Loose::Str(s) = item {
                        out.push(s);
                    }
                }
                Ok(StrList(out))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A value that is a string or anything else (skipped).
enum Loose<'a> {
    Str(Str<'a>),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Loose<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Str(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Str(Cow::Owned(v.to_owned()))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `auth` (of the caller) or `response.auth` (of a newly issued token).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Auth<'a> {
    #[serde(borrow, default)]
    pub accessor: AccessorField<'a>,
    #[serde(borrow, default)]
    pub display_name: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub policies: StrList<'a>,
    #[serde(borrow, default)]
    pub token_policies: StrList<'a>,
    #[serde(borrow, default)]
    pub metadata: StrMap<'a>,
    #[serde(borrow, default)]
    pub entity_id: Option<Str<'a>>,
}

/// `request`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Request<'a> {
    #[serde(borrow, default)]
    pub id: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub operation: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub path: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub mount_type: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub mount_point: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub remote_address: Option<Str<'a>>,
}

/// `response.data`: only whether it carries an `error`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResponseData {
    #[serde(default)]
    pub error: Option<IgnoredAny>,
}

/// `response`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Response<'a> {
    #[serde(borrow, default)]
    pub auth: Option<Auth<'a>>,
    #[serde(default)]
    pub data: Option<ResponseData>,
    /// Not in the audit schema; the brief's detector tests it, so it counts as a failure too.
    #[serde(default)]
    pub errors: Truthy,
}

/// One audit entry (request or response).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Record<'a> {
    #[serde(borrow, default)]
    pub time: Option<Str<'a>>,
    #[serde(borrow, default, rename = "type")]
    pub kind: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub auth: Option<Auth<'a>>,
    #[serde(borrow, default)]
    pub request: Option<Request<'a>>,
    #[serde(borrow, default)]
    pub response: Option<Response<'a>>,
    #[serde(borrow, default)]
    pub error: Option<Str<'a>>,
}

impl<'a> Record<'a> {
    /// §1(j): failed iff a non-empty top-level `error` or a `response.data.error` (and, for
    /// the brief's sake, a truthy `response.errors`).
    pub fn failed(&self) -> bool {
        self.error.as_ref().is_some_and(|e| !e.0.is_empty())
            || self
                .response
                .as_ref()
                .is_some_and(|r| r.errors.0 || r.data.as_ref().is_some_and(|d| d.error.is_some()))
    }
    pub fn is_response(&self) -> bool {
        self.kind.as_ref().is_some_and(|k| k.as_str() == "response")
    }
    pub fn is_request(&self) -> bool {
        self.kind.as_ref().is_some_and(|k| k.as_str() == "request")
    }
    /// The request's field, or `None`.
    pub fn req<T>(&self, f: impl FnOnce(&Request<'a>) -> Option<T>) -> Option<T> {
        self.request.as_ref().and_then(f)
    }
    /// The time in microseconds since the epoch, when it parses (see `parse_time`).
    pub fn micros(&self) -> Option<i64> {
        self.time.as_ref().and_then(|t| parse_time(t.as_str()))
    }
}

/// Parses one line (without its newline). Blank lines are `Ok(None)`; anything that is not a
/// JSON object in the audit shape is `Err` with serde_json's message.
pub fn parse_line(line: &[u8]) -> Result<Option<Record<'_>>, String> {
    let line = trim_ascii(line);
    if line.is_empty() {
        return Ok(None);
    }
    // serde would also read a JSON array as a struct; an audit entry is always an object.
    if line[0] != b'{' {
        return Err("not a JSON object".into());
    }
    serde_json::from_slice::<Record<'_>>(line)
        .map(Some)
        .map_err(|e| e.to_string())
}

fn trim_ascii(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// Parses a timestamp the way the brief's detector does (`datetime.fromisoformat(t.replace('Z',
/// '+00:00'))`, Python 3.11): `YYYY-MM-DD` or `YYYYMMDD`, optionally followed by one separator
/// character and `HH[:MM[:SS[(.|,)fraction]]]` (or the basic `HHMMSS`), then `Z`, `±HH[:MM]`
/// or nothing (read as UTC). Fractions beyond microseconds are truncated, as Python does.
/// Returns microseconds since 1970-01-01T00:00:00Z.
pub fn parse_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |b: &[u8]| -> Option<i64> {
        if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(b.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (y, mo, d, rest) = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?, &b[10..])
    } else if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) {
        (num(&b[0..4])?, num(&b[4..6])?, num(&b[6..8])?, &b[8..])
    } else {
        return None;
    };
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || y < 1 {
        return None;
    }
    let mut micros = days_from_civil(y, mo, d) * 86_400_000_000;
    if rest.is_empty() {
        return Some(micros);
    }
    // One separator character (Python accepts any), then the time.
    let rest = rest.get(1..)?;
    let tz_at = rest
        .iter()
        .position(|c| matches!(c, b'Z' | b'+' | b'-'))
        .unwrap_or(rest.len());
    let (time, tz) = rest.split_at(tz_at);
    let (hms, frac) = match time.iter().position(|c| matches!(c, b'.' | b',')) {
        Some(i) => (&time[..i], Some(&time[i + 1..])),
        None => (time, None),
    };
    let parts: Vec<&[u8]> = if hms.contains(&b':') {
        hms.split(|c| *c == b':').collect()
    } else {
        hms.chunks(2).collect()
    };
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let h = num(parts[0])?;
    let mi = parts.get(1).map_or(Some(0), |p| num(p))?;
    let sec = parts.get(2).map_or(Some(0), |p| num(p))?;
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let mut us = 0;
    if let Some(f) = frac {
        if parts.len() != 3 || f.is_empty() || !f.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut scale = 100_000;
        for d in f.iter().take(6) {
            us += i64::from(d - b'0') * scale;
            scale /= 10;
        }
    }
    micros += ((h * 60 + mi) * 60 + sec) * 1_000_000 + us;
    match tz {
        [] => Some(micros),
        [b'Z'] => Some(micros),
        [sign @ (b'+' | b'-'), off @ ..] => {
            let off_parts: Vec<&[u8]> = if off.contains(&b':') {
                off.split(|c| *c == b':').collect()
            } else {
                off.chunks(2).collect()
            };
            if off_parts.is_empty() || off_parts.len() > 2 || off_parts.iter().any(|p| p.len() != 2)
            {
                return None;
            }
            let oh = num(off_parts[0])?;
            let om = off_parts.get(1).map_or(Some(0), |p| num(p))?;
            if oh > 23 || om > 59 {
                return None;
            }
            let off_us = (oh * 60 + om) * 60_000_000;
            Some(if *sign == b'+' {
                micros - off_us
            } else {
                micros + off_us
            })
        }
        _ => None,
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats microseconds since the epoch as RFC 3339 UTC with six fractional digits.
pub fn format_time(micros: i64) -> String {
    let days = micros.div_euclid(86_400_000_000);
    let rem = micros.rem_euclid(86_400_000_000);
    // Inverse of days_from_civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let secs = rem / 1_000_000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        rem % 1_000_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_match_python_fromisoformat() {
        let t = |s| parse_time(s).map(format_time);
        assert_eq!(
            t("2024-03-01T12:34:56.789012345Z").as_deref(),
            Some("2024-03-01T12:34:56.789012Z")
        );
        assert_eq!(
            t("2024-03-01T12:34:56.7Z").as_deref(),
            Some("2024-03-01T12:34:56.700000Z")
        );
        assert_eq!(
            t("2024-03-01T12:34Z").as_deref(),
            Some("2024-03-01T12:34:00.000000Z")
        );
        assert_eq!(
            t("2024-03-01 14:34:56+02:00").as_deref(),
            Some("2024-03-01T12:34:56.000000Z")
        );
        assert_eq!(
            t("20240301T123456Z").as_deref(),
            Some("2024-03-01T12:34:56.000000Z")
        );
        assert_eq!(
            t("2024-03-01").as_deref(),
            Some("2024-03-01T00:00:00.000000Z")
        );
        assert_eq!(
            t("1969-12-31T23:59:59.5Z").as_deref(),
            Some("1969-12-31T23:59:59.500000Z")
        );
        for bad in [
            "",
            "yesterday",
            "2024-02-30T00:00:00Z",
            "2024-03-01T25:00:00Z",
            "2024-03-01T12:34:56.Z",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn failures_follow_the_spec_and_the_brief() {
        let failed = |l: &str| parse_line(l.as_bytes()).unwrap().unwrap().failed();
        assert!(failed(r#"{"error":"permission denied"}"#));
        assert!(!failed(r#"{"error":""}"#));
        assert!(failed(r#"{"response":{"data":{"error":"x"}}}"#));
        assert!(!failed(r#"{"response":{"data":{"value":"x"}}}"#));
        assert!(failed(r#"{"response":{"errors":["x"]}}"#));
        assert!(!failed(r#"{"response":{"errors":[]}}"#));
    }

    #[test]
    fn accessor_absent_null_and_value_differ() {
        fn acc(l: &str) -> Option<AccessorField<'_>> {
            parse_line(l.as_bytes())
                .unwrap()
                .unwrap()
                .auth
                .map(|a| a.accessor)
        }
        assert_eq!(acc(r#"{"auth":{}}"#), Some(AccessorField::Absent));
        assert_eq!(
            acc(r#"{"auth":{"accessor":null}}"#),
            Some(AccessorField::Null)
        );
        assert!(matches!(
            acc(r#"{"auth":{"accessor":"hmac-sha256:ab\u0063"}}"#),
            Some(AccessorField::Value(Str(Cow::Owned(s)))) if s == "hmac-sha256:abc"
        ));
    }

    #[test]
    fn unknown_fields_and_odd_types_are_tolerated_where_harmless() {
        let r = parse_line(br#" {"type":"response","x":[1,{"y":2}],"auth":{"policies":["a",1,null],"metadata":{"role":"r","n":3}},"request":{"path":"p","data":{"k":"v"}}} "#)
            .unwrap()
            .unwrap();
        assert!(r.is_response());
        assert_eq!(r.auth.as_ref().unwrap().policies.0.len(), 1);
        assert_eq!(r.auth.as_ref().unwrap().metadata.get("role"), Some("r"));
        assert!(parse_line(b"   ").unwrap().is_none());
        assert!(parse_line(b"{\"type\":").is_err());
        assert!(parse_line(b"[1,2]").is_err());
        assert!(parse_line(b"{\"time\":12}").is_err());
    }
}
