//! The shared readings every rule stands on (RULES-SPEC §0.1 booleans, §0.6 addresses).
//! Each system reads a value its own way; rules must use the reading of the system that
//! consumes the value.

/// How a boolean setting reads, under one parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolReading {
    True,
    False,
    /// Empty or absent: the setting is treated as unset.
    Unset,
    /// The consumer rejects it (e.g. Go's ParseBool on `yes`).
    Invalid,
    /// A placeholder or template: not evaluated.
    Unknown,
}

/// §0.1 (1): Go `strconv.ParseBool`, as the Vault/OpenBao API client reads
/// `VAULT_SKIP_VERIFY`. Empty means unset.
pub fn go_parse_bool(v: &str) -> BoolReading {
    match v {
        "" => BoolReading::Unset,
        "1" | "t" | "T" | "TRUE" | "true" | "True" => BoolReading::True,
        "0" | "f" | "F" | "FALSE" | "false" | "False" => BoolReading::False,
        _ if is_placeholder(v) => BoolReading::Unknown,
        _ => BoolReading::Invalid,
    }
}

/// §0.1 (2): `parseutil.ParseBool` (mapstructure weak decode) for a string, as Vault reads
/// HCL config values and the injector reads annotations: `""` is false, otherwise ParseBool.
pub fn weak_parse_bool_str(v: &str) -> BoolReading {
    match go_parse_bool(v) {
        BoolReading::Unset => BoolReading::False,
        r => r,
    }
}

/// Weak decode of a number: non-zero is true.
pub fn weak_parse_bool_num(n: f64) -> BoolReading {
    if n != 0.0 {
        BoolReading::True
    } else {
        BoolReading::False
    }
}

/// The permissive reading many applications use for their own flags (K8S002):
/// case-insensitive `1 t true y yes on`.
pub fn lenient_truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "t" | "true" | "y" | "yes" | "on"
    )
}

/// True for values that are templates or placeholders, never evaluated (§0.6).
pub fn is_placeholder(v: &str) -> bool {
    v.contains("{{")
        || v.contains("${")
        || v.contains("$(")
        || v.starts_with('$')
        || v.contains("[[")
        || v.contains("%(")
        || (v.starts_with('<') && v.ends_with('>'))
        || v.contains("__")
}

/// How a URL-like address classifies (§0.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// `http://` to a host not known to be loopback: traffic crosses the network in clear.
    Plaintext { host: String },
    /// `http://` to loopback (in-pod agent/proxy listeners).
    PlaintextLoopback,
    /// `https://` or another encrypted scheme.
    Encrypted,
    /// `unix://` sockets.
    Unix,
    /// No scheme, or not evaluable (a template, a variable): never a finding.
    Unknown,
}

/// Classifies an address as a Vault/AWS client would use it (§0.6).
pub fn classify_address(raw: &str) -> Address {
    let v = raw.trim();
    // Shell-style default `${VAR:-http://localhost:8200}`, bare variables and templates that
    // hide the scheme are not evaluated.
    let Some((scheme, rest)) = v.split_once("://") else {
        return Address::Unknown;
    };
    if is_placeholder(scheme) || scheme.is_empty() {
        return Address::Unknown;
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" => {
            let host = host_of(rest);
            if is_loopback_host(&host) {
                Address::PlaintextLoopback
            } else {
                Address::Plaintext { host }
            }
        }
        "unix" => Address::Unix,
        "https" | "tcp+tls" => Address::Encrypted,
        _ => Address::Unknown,
    }
}

/// True when an address is plaintext to a non-loopback host.
pub fn is_plaintext_remote(raw: &str) -> bool {
    matches!(classify_address(raw), Address::Plaintext { .. })
}

/// The host part of `host:port/path` (IPv6 in brackets kept without them).
pub fn host_of(authority_and_path: &str) -> String {
    let authority = authority_and_path
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_ascii_lowercase();
    }
    authority
        .split(':')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// `localhost`, `127.0.0.0/8`, `::1`, and `0.0.0.0`/`::` (as a client destination they
/// connect to the local host).
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if h == "localhost" || h.ends_with(".localhost") || h == "::1" || h == "0.0.0.0" || h == "::" {
        return true;
    }
    if let Ok(ip) = h.parse::<std::net::IpAddr>() {
        return ip.is_loopback() || ip.is_unspecified();
    }
    false
}

/// True when a listener bind address (`host:port`, no scheme) is reachable only from the
/// host itself. `0.0.0.0` and `[::]` bind every interface, so they are reachable.
pub fn is_loopback_bind(addr: &str) -> bool {
    let a = addr.trim();
    let host = if let Some(rest) = a.strip_prefix('[') {
        rest.split(']').next().unwrap_or("").to_owned()
    } else if a.matches(':').count() > 1 {
        a.to_owned()
    } else {
        a.split(':').next().unwrap_or("").to_owned()
    };
    let h = host.to_ascii_lowercase();
    if h == "localhost" {
        return true;
    }
    h.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parse_bool_matches_strconv() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(go_parse_bool(t), BoolReading::True, "{t}");
        }
        for f in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(go_parse_bool(f), BoolReading::False, "{f}");
        }
        assert_eq!(go_parse_bool(""), BoolReading::Unset);
        assert_eq!(go_parse_bool("yes"), BoolReading::Invalid);
        assert_eq!(go_parse_bool("tRUE"), BoolReading::Invalid);
        assert_eq!(go_parse_bool("${SKIP}"), BoolReading::Unknown);
        assert_eq!(weak_parse_bool_str(""), BoolReading::False);
    }

    #[test]
    fn addresses_classify_per_spec() {
        assert!(is_plaintext_remote("http://vault:8200"));
        assert!(is_plaintext_remote("HTTP://vault.example.com"));
        assert!(is_plaintext_remote("http://EXTERNAL_VAULT_ADDR:8200"));
        assert!(is_plaintext_remote("http://${VAULT_HOST}:8200"));
        assert_eq!(
            classify_address("http://127.0.0.1:8100"),
            Address::PlaintextLoopback
        );
        assert_eq!(
            classify_address("http://[::1]:8200"),
            Address::PlaintextLoopback
        );
        assert_eq!(
            classify_address("http://0.0.0.0:8200"),
            Address::PlaintextLoopback
        );
        assert_eq!(
            classify_address("http://localhost:8200"),
            Address::PlaintextLoopback
        );
        assert_eq!(classify_address("https://vault:8200"), Address::Encrypted);
        assert_eq!(classify_address("unix:///tmp/agent.sock"), Address::Unix);
        assert_eq!(classify_address("vault:8200"), Address::Unknown);
        assert_eq!(classify_address("${VAULT_ADDR}"), Address::Unknown);
        assert_eq!(
            classify_address("${VAULT_ADDR:-http://localhost:8200}"),
            Address::Unknown
        );
        assert_eq!(classify_address("{{ .Values.addr }}"), Address::Unknown);
        assert_eq!(classify_address("<VAULT URL>"), Address::Unknown);
    }

    #[test]
    fn bind_addresses() {
        assert!(is_loopback_bind("127.0.0.1:8200"));
        assert!(is_loopback_bind("[::1]:8200"));
        assert!(!is_loopback_bind("[::]:8200"));
        assert!(!is_loopback_bind("0.0.0.0:8200"));
        assert!(!is_loopback_bind("10.0.0.5:8200"));
    }
}
