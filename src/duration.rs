//! Durations the way the readers of each input parse them (RULES-SPEC §0.2), in one place:
//!
//! * [`parse_go`] — Go `time.ParseDuration` (Kubernetes, cert-manager, and the fallback of
//!   Vault's parser): an optionally signed sequence of decimal numbers, each with an optional
//!   fraction and a unit (`ns us µs μs ms s m h`), e.g. `1h30m`, `1.5h`, `-2m`; `0` alone needs
//!   no unit; overflow of an `int64` nanosecond count is an error.
//! * [`parse_vault`] — `parseutil.ParseDurationSecond` (Vault/OpenBao API, CLI `key=value`
//!   arguments, server config): empty = unset; a bare integer = seconds; `<int>d` = days, only
//!   when everything before the `d` is an integer (`7d12h` is an error); else `parse_go`.
//! * [`parse_tf_seconds`] — Terraform vault provider TTL arguments: integer seconds.
//!
//! Every parser returns the exact value or a [`DurationError`] that says why the tool that
//! reads the value would reject it, so rules can show a precise diagnostic.

use std::fmt;

/// A signed duration in nanoseconds (Go's `time.Duration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    pub nanos: i64,
}

pub const SECOND: i64 = 1_000_000_000;
pub const HOUR: i64 = 3600 * SECOND;

impl Duration {
    pub const ZERO: Duration = Duration { nanos: 0 };
    pub fn from_secs(s: i64) -> Duration {
        Duration {
            nanos: s.saturating_mul(SECOND),
        }
    }
    pub fn from_hours(h: i64) -> Duration {
        Duration::from_secs(h.saturating_mul(3600))
    }
    pub fn is_zero(self) -> bool {
        self.nanos == 0
    }
    pub fn secs(self) -> i64 {
        self.nanos / SECOND
    }
}

/// Go's `Duration.String` shape, shortened: `768h`, `1h30m`, `90s`, `1.5s`, `0s`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0s");
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let n = self.nanos.unsigned_abs();
        let s = SECOND as u64;
        if n % s != 0 {
            if n < 1_000 {
                return write!(f, "{sign}{n}ns");
            }
            let frac = format!("{:09}", n % s);
            return write!(f, "{sign}{}.{}s", n / s, frac.trim_end_matches('0'));
        }
        let total = n / s;
        let (h, m, sec) = (total / 3600, total / 60 % 60, total % 60);
        let mut out = String::from(sign);
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if m > 0 {
            out.push_str(&format!("{m}m"));
        }
        if sec > 0 {
            out.push_str(&format!("{sec}s"));
        }
        f.write_str(&out)
    }
}

/// Why a value is not a duration for the tool that reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    /// A unit that Go does not know (`d` inside a compound, `w`, `sec`).
    UnknownUnit(String),
    MissingUnit,
    /// Vault's `<int>d` form with something other than an integer before the `d` (`7d12h`,
    /// `1.5d`).
    DaysNotInteger,
    Overflow,
    /// Not a number at all where Terraform wants integer seconds.
    NotInteger,
    Invalid,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Empty => f.write_str("empty duration"),
            DurationError::UnknownUnit(u) => write!(f, "unknown unit `{u}` (Go durations know ns, us, ms, s, m, h)"),
            DurationError::MissingUnit => f.write_str("a number without a unit"),
            DurationError::DaysNotInteger => f.write_str("the `d` (days) form takes only an integer before the `d`; days cannot be combined with other units"),
            DurationError::Overflow => f.write_str("the duration overflows 64-bit nanoseconds"),
            DurationError::NotInteger => f.write_str("not an integer number of seconds"),
            DurationError::Invalid => f.write_str("not a duration"),
        }
    }
}

fn unit_nanos(u: &str) -> Option<i64> {
    Some(match u {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => SECOND,
        "m" => 60 * SECOND,
        "h" => HOUR,
        _ => return None,
    })
}

/// Go `time.ParseDuration`.
pub fn parse_go(s: &str) -> Result<Duration, DurationError> {
    let mut rest = s;
    let mut neg = false;
    if let Some(r) = rest.strip_prefix('-') {
        neg = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err(if s.is_empty() {
            DurationError::Empty
        } else {
            DurationError::Invalid
        });
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, after) = rest.split_at(int_len);
        let (frac_part, after) = match after.strip_prefix('.') {
            Some(a) => {
                let n = a.bytes().take_while(u8::is_ascii_digit).count();
                a.split_at(n)
            }
            None => ("", after),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(DurationError::Invalid);
        }
        let unit_len = after
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(after.len(), |(i, _)| i);
        let (unit, after) = after.split_at(unit_len);
        if unit.is_empty() {
            return Err(DurationError::MissingUnit);
        }
        let Some(scale) = unit_nanos(unit) else {
            return Err(DurationError::UnknownUnit(unit.to_owned()));
        };
        let mut v: u128 = 0;
        for d in int_part.bytes() {
            v = v * 10 + u128::from(d - b'0');
            if v > i64::MAX as u128 {
                return Err(DurationError::Overflow);
            }
        }
        let mut value = v * scale as u128;
        // Fraction: digits past 18 cannot change a nanosecond count of these units.
        let digits = &frac_part[..frac_part.len().min(18)];
        if !digits.is_empty() {
            let f: u128 = digits.parse().map_err(|_| DurationError::Invalid)?;
            value += f * scale as u128 / 10u128.pow(digits.len() as u32);
        }
        total += value;
        if total > i64::MAX as u128 {
            return Err(DurationError::Overflow);
        }
        rest = after;
    }
    let n = total as i64;
    Ok(Duration {
        nanos: if neg { -n } else { n },
    })
}

/// Go `strconv.ParseInt(s, 10, 64)`: optional sign, ASCII digits only.
fn parse_int(s: &str) -> Option<Result<i64, DurationError>> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.parse::<i64>().map_err(|_| DurationError::Overflow))
}

/// Vault's `parseutil.ParseDurationSecond` on a string. `Ok(None)` = empty (unset, inherit).
pub fn parse_vault(s: &str) -> Result<Option<Duration>, DurationError> {
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(r) = parse_int(s) {
        let secs = r?;
        return secs
            .checked_mul(SECOND)
            .map(|n| Some(Duration { nanos: n }))
            .ok_or(DurationError::Overflow);
    }
    if let Some(days) = s.strip_suffix('d') {
        return match parse_int(days) {
            Some(r) => r?
                .checked_mul(24 * HOUR)
                .map(|n| Some(Duration { nanos: n }))
                .ok_or(DurationError::Overflow),
            None => Err(DurationError::DaysNotInteger),
        };
    }
    parse_go(s).map(Some).map_err(|e| match e {
        // `7d12h`: the only reason a `d` appears is someone expecting days to combine.
        DurationError::UnknownUnit(u) if u == "d" => DurationError::DaysNotInteger,
        e => e,
    })
}

/// Terraform integer seconds (a number literal, or a string Terraform converts to one).
pub fn parse_tf_seconds(s: &str) -> Result<Duration, DurationError> {
    match parse_int(s.trim()) {
        Some(r) => Ok(Duration::from_secs(r?)),
        None => Err(DurationError::NotInteger),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(s: &str) -> i64 {
        parse_go(s).unwrap_or_else(|e| panic!("{s}: {e}")).nanos
    }

    #[test]
    fn go_examples() {
        assert_eq!(go("0"), 0);
        assert_eq!(go("-0"), 0);
        assert_eq!(go("1h30m"), 90 * 60 * SECOND);
        assert_eq!(go("1.5h"), 90 * 60 * SECOND);
        assert_eq!(go(".5s"), SECOND / 2);
        assert_eq!(go("5.s"), 5 * SECOND);
        assert_eq!(go("-2m"), -120 * SECOND);
        assert_eq!(go("+3s"), 3 * SECOND);
        assert_eq!(go("24h0m0s"), 24 * HOUR);
        assert_eq!(go("1µs"), 1000);
        assert_eq!(go("1μs"), 1000);
        assert_eq!(go("2562047h47m16.854775807s"), i64::MAX);
        assert_eq!(parse_go(""), Err(DurationError::Empty));
        assert_eq!(parse_go("1"), Err(DurationError::MissingUnit));
        assert_eq!(parse_go("1d"), Err(DurationError::UnknownUnit("d".into())));
        assert_eq!(parse_go("."), Err(DurationError::Invalid));
        assert_eq!(parse_go("-"), Err(DurationError::Invalid));
        assert_eq!(
            parse_go("1h "),
            Err(DurationError::UnknownUnit("h ".into()))
        );
        assert_eq!(parse_go("2562048h"), Err(DurationError::Overflow));
    }

    #[test]
    fn vault_examples() {
        let v = |s: &str| parse_vault(s).unwrap().map(|d| d.nanos);
        assert_eq!(v(""), None);
        assert_eq!(v("0"), Some(0));
        assert_eq!(v("3600"), Some(HOUR));
        assert_eq!(v("+60"), Some(60 * SECOND));
        assert_eq!(v("7d"), Some(7 * 24 * HOUR));
        assert_eq!(v("1h"), Some(HOUR));
        assert_eq!(v("1.5h"), Some(90 * 60 * SECOND));
        assert_eq!(parse_vault("7d12h"), Err(DurationError::DaysNotInteger));
        assert_eq!(parse_vault("1.5d"), Err(DurationError::DaysNotInteger));
        assert_eq!(parse_vault("d"), Err(DurationError::DaysNotInteger));
        assert_eq!(
            parse_vault("1w"),
            Err(DurationError::UnknownUnit("w".into()))
        );
        assert_eq!(parse_vault("ten"), Err(DurationError::Invalid));
        assert_eq!(parse_tf_seconds("3600"), Ok(Duration::from_hours(1)));
        assert_eq!(parse_tf_seconds("1h"), Err(DurationError::NotInteger));
    }

    #[test]
    fn display() {
        assert_eq!(Duration::from_hours(768).to_string(), "768h");
        assert_eq!(Duration::from_secs(5400).to_string(), "1h30m");
        assert_eq!(Duration::from_secs(90).to_string(), "1m30s");
        assert_eq!(Duration { nanos: SECOND / 2 }.to_string(), "0.5s");
        assert_eq!(Duration::ZERO.to_string(), "0s");
    }

    /// A small deterministic generator (xorshift), so the property tests need no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    const UNITS: &[(&str, i64)] = &[
        ("ns", 1),
        ("us", 1_000),
        ("µs", 1_000),
        ("ms", 1_000_000),
        ("s", SECOND),
        ("m", 60 * SECOND),
        ("h", HOUR),
    ];

    /// Property: any string of the documented grammar (sign? (int | int.frac | .frac) unit)+
    /// parses to the sum of its parts, truncated to nanoseconds per part, in both parsers
    /// (Vault falls back to Go when the value is neither an integer nor `<int>d`).
    #[test]
    fn property_go_grammar_round_trip() {
        let mut rng = Rng(0x05EA_1A27);
        for _ in 0..5000 {
            let mut s = String::new();
            let neg = rng.below(4) == 0;
            if neg {
                s.push('-');
            } else if rng.below(8) == 0 {
                s.push('+');
            }
            let mut want: i128 = 0;
            for _ in 0..=rng.below(4) {
                let (unit, scale) = UNITS[rng.below(UNITS.len() as u64) as usize];
                let int = rng.below(1000);
                let form = rng.below(3);
                let frac_digits = 1 + rng.below(4) as u32;
                let frac = rng.below(10u64.pow(frac_digits));
                match form {
                    0 => s.push_str(&format!("{int}")),
                    1 => s.push_str(&format!("{int}.{frac:0w$}", w = frac_digits as usize)),
                    _ => s.push_str(&format!(".{frac:0w$}", w = frac_digits as usize)),
                }
                s.push_str(unit);
                let i = if form == 2 { 0 } else { int as i128 };
                let f = if form == 0 { 0 } else { frac as i128 };
                want += i * scale as i128 + f * scale as i128 / 10i128.pow(frac_digits);
            }
            let want = if neg { -want } else { want } as i64;
            assert_eq!(parse_go(&s).map(|d| d.nanos), Ok(want), "{s}");
            assert_eq!(parse_vault(&s).map(|d| d.unwrap().nanos), Ok(want), "{s}");
        }
    }

    /// Property: bare integers are seconds and `<int>d` are days in Vault's parser and are
    /// rejected by Go's; `<int>d<more>` is always rejected by Vault; display round-trips.
    #[test]
    fn property_vault_forms() {
        let mut rng = Rng(0xD1A7);
        for _ in 0..5000 {
            let n = rng.below(100_000) as i64;
            assert_eq!(
                parse_vault(&n.to_string()),
                Ok(Some(Duration::from_secs(n)))
            );
            assert_eq!(parse_go(&n.to_string()).is_err(), n != 0);
            assert_eq!(
                parse_vault(&format!("{n}d")),
                Ok(Some(Duration::from_secs(n * 86400)))
            );
            let (unit, _) = UNITS[rng.below(UNITS.len() as u64) as usize];
            let tail = rng.below(100);
            assert_eq!(
                parse_vault(&format!("{n}d{tail}{unit}")),
                Err(DurationError::DaysNotInteger)
            );
            let d = Duration::from_secs(n);
            assert_eq!(parse_go(&d.to_string()), Ok(d));
        }
    }
}
