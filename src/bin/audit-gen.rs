//! Deterministic synthetic Vault audit logs for `sealant audit` tests and benchmarks.
//!
//! `audit-gen --seed 7 --bytes 1G --out audit.log` writes request/response pairs in the
//! §1(j) shape (HMAC'd tokens and accessors, Kubernetes identities, realistic field sets)
//! with planted detections: bulk reads (AUD001), a token used from a new address in the last
//! hour (AUD002), root token use and creation (AUD003), list enumeration (AUD004),
//! permission-denied bursts (AUD005) and an audit device disable (AUD006).
//!
//! `--profile edge` writes compact, adversarial logs for differential tests against the
//! brief's detector: few accessors (absent, null and empty ones included), times on a coarse
//! grid (equal timestamps, events exactly at window boundaries), failures in every form,
//! noise paths, mild disorder, optional malformed lines and bad times; `--nodes K` splits the
//! output into K files (`OUT.0` …) as K cluster nodes would write them.

use std::io::{self, BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(n);
        s
    }
    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

/// Microseconds since the epoch → RFC 3339 (Vault writes nanoseconds; the last three digits
/// vary so parsers must truncate like Python does).
fn rfc3339(us: i64, nanos_extra: u64) -> String {
    let micros = sealant::audit::record::format_time(us);
    format!("{}{:03}Z", micros.trim_end_matches('Z'), nanos_extra % 1000)
}

/// A token: who it is and where it is used from.
struct Token {
    accessor: String,
    client_token: String,
    display_name: String,
    policies: Vec<String>,
    sa: Option<(String, String)>,
    entity: String,
    addr: String,
    paths: Vec<String>,
}

fn token(
    rng: &mut Rng,
    name: &str,
    ns: &str,
    policies: &[&str],
    addr: String,
    npaths: usize,
) -> Token {
    Token {
        accessor: format!("hmac-sha256:{}", rng.hex(64)),
        client_token: format!("hmac-sha256:{}", rng.hex(64)),
        display_name: format!("kubernetes-{ns}-{name}"),
        policies: policies.iter().map(|s| s.to_string()).collect(),
        sa: Some((ns.to_owned(), name.to_owned())),
        entity: rng.uuid(),
        addr,
        paths: (0..npaths)
            .map(|i| format!("secret/data/{ns}/{name}/key{i}"))
            .collect(),
    }
}

struct Out<'a> {
    rng: Rng,
    w: &'a mut dyn Write,
    written: u64,
}

impl Out<'_> {
    /// Writes a request/response pair.
    #[allow(clippy::too_many_arguments)]
    fn pair(
        &mut self,
        t: &Token,
        us: i64,
        op: &str,
        path: &str,
        addr: &str,
        error: Option<&str>,
        mount: (&str, &str),
        issued: Option<&Token>,
    ) -> io::Result<()> {
        let id = self.rng.uuid();
        let ns_extra = self.rng.below(1000);
        let policies = t
            .policies
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(",");
        let meta = match &t.sa {
            Some((ns, name)) => format!(
                "{{\"role\":\"{name}\",\"service_account_name\":\"{name}\",\"service_account_namespace\":\"{ns}\",\"service_account_secret_name\":\"\",\"service_account_uid\":\"{}\"}}",
                self.rng.uuid()
            ),
            None => "null".into(),
        };
        let auth = format!(
            "{{\"client_token\":\"{}\",\"accessor\":\"{}\",\"display_name\":\"{}\",\"policies\":[{policies}],\"token_policies\":[{policies}],\"policy_results\":{{\"allowed\":{},\"granting_policies\":[{{\"name\":\"{}\",\"namespace_id\":\"root\",\"type\":\"acl\"}}]}},\"metadata\":{meta},\"entity_id\":\"{}\",\"token_type\":\"service\",\"token_ttl\":3600,\"token_issue_time\":\"2024-02-29T08:00:00Z\"}}",
            t.client_token,
            t.accessor,
            t.display_name,
            error.is_none(),
            t.policies.first().map_or("default", String::as_str),
            t.entity
        );
        let request = format!(
            "{{\"id\":\"{id}\",\"client_id\":\"{}\",\"operation\":\"{op}\",\"mount_point\":\"{}\",\"mount_type\":\"{}\",\"mount_accessor\":\"{}_{}\",\"mount_running_version\":\"v0.19.0+builtin\",\"mount_class\":\"secret\",\"client_token\":\"{}\",\"client_token_accessor\":\"{}\",\"namespace\":{{\"id\":\"root\"}},\"path\":\"{path}\",\"remote_address\":\"{addr}\",\"remote_port\":{}}}",
            self.rng.hex(44),
            mount.0,
            mount.1,
            mount.1,
            self.rng.hex(8),
            t.client_token,
            t.accessor,
            30000 + self.rng.below(30000)
        );
        let err = error.map_or(String::new(), |e| format!(",\"error\":\"{e}\""));
        let req_line = format!(
            "{{\"time\":\"{}\",\"type\":\"request\",\"auth\":{auth},\"request\":{request}{err}}}\n",
            rfc3339(us, ns_extra)
        );
        let data = if error.is_some() {
            "{\"error\":\"hmac-sha256:".to_owned() + &self.rng.hex(64) + "\"}"
        } else if op == "read" {
            format!(
                "{{\"data\":{{\"password\":\"hmac-sha256:{}\",\"username\":\"hmac-sha256:{}\"}},\"metadata\":{{\"created_time\":\"hmac-sha256:{}\",\"version\":3}}}}",
                self.rng.hex(64),
                self.rng.hex(64),
                self.rng.hex(64)
            )
        } else {
            "null".into()
        };
        let resp_auth = match issued {
            Some(n) => format!(
                ",\"auth\":{{\"client_token\":\"{}\",\"accessor\":\"{}\",\"display_name\":\"{}\",\"policies\":[{}],\"token_policies\":[{}],\"metadata\":null,\"entity_id\":\"{}\",\"token_type\":\"service\",\"token_ttl\":3600}}",
                n.client_token,
                n.accessor,
                n.display_name,
                n.policies.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(","),
                n.policies.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(","),
                n.entity
            ),
            None => String::new(),
        };
        let resp_line = format!(
            "{{\"time\":\"{}\",\"type\":\"response\",\"auth\":{auth},\"request\":{request},\"response\":{{\"mount_point\":\"{}\",\"mount_type\":\"{}\",\"mount_running_plugin_version\":\"v0.19.0+builtin\"{resp_auth},\"data\":{data}}}{err}}}\n",
            rfc3339(us + 150 + (ns_extra as i64 % 700), ns_extra),
            mount.0,
            mount.1
        );
        self.w.write_all(req_line.as_bytes())?;
        self.w.write_all(resp_line.as_bytes())?;
        self.written += (req_line.len() + resp_line.len()) as u64;
        Ok(())
    }
}

const KV: (&str, &str) = ("secret/", "kv");
const SYS: (&str, &str) = ("sys/", "system");
const TOKEN: (&str, &str) = ("auth/token/", "token");
const K8S: (&str, &str) = ("auth/kubernetes/", "kubernetes");

/// The realistic profile: `bytes` of log over one day ending at `end` (µs).
fn realistic(seed: u64, bytes: u64, w: &mut dyn Write) -> io::Result<()> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let end: i64 = 1_709_294_400_000_000; // 2024-03-01T12:00:00Z
    let start = end - 86_400_000_000;
    let namespaces = ["shop", "payments", "search", "identity", "ledger", "mail"];
    let mut apps: Vec<Token> = (0..240)
        .map(|i| {
            let ns = namespaces[i % namespaces.len()];
            let addr = format!("10.{}.{}.{}", 20 + i % 8, (i * 7) % 250, 10 + i % 200);
            token(
                &mut rng,
                &format!("app{i}"),
                ns,
                &["default", &format!("{ns}-read")],
                addr,
                6 + i % 10,
            )
        })
        .collect();
    let eso = token(
        &mut rng,
        "external-secrets",
        "external-secrets",
        &["default", "eso-read-all"],
        "10.30.0.5".into(),
        120,
    );
    let attacker_paths: Vec<String> = apps.iter().flat_map(|a| a.paths.iter().cloned()).collect();
    let mut root = token(&mut rng, "root", "", &["root"], "10.9.9.9".into(), 0);
    root.display_name = "root".into();
    root.sa = None;
    // Average pair size ~2.4 KB: pairs needed to reach the size.
    let pairs = (bytes / 2400).max(200);
    let step = (end - start) / pairs as i64;
    let mut out = Out {
        rng: Rng(seed ^ 0xABCD),
        w,
        written: 0,
    };
    let mut t = start;
    let mut k: u64 = 0;
    // Planted detections repeat every `period` pairs (at least four times in any log).
    let period = (pairs / 4).clamp(100, 100_000);
    let at = |pct: u64| period * pct / 100;
    let (mut home_seen, mut stolen_used) = (false, false);
    while out.written < bytes {
        k += 1;
        // Time follows the bytes written, so any size spans the whole day.
        let due = start + ((end - start) as f64 * out.written as f64 / bytes as f64) as i64;
        t = (t + 1 + rng.below(step.max(1) as u64) as i64)
            .max(due)
            .min(end);
        let phase = k % period;
        // AUD002: app 42 is used from home early on, and from outside in the last hour.
        if !home_seen && t > start + 3_600_000_000 {
            home_seen = true;
            let a = &apps[42];
            out.pair(a, t, "read", &a.paths[0], &a.addr, None, KV, None)?;
            continue;
        }
        if !stolen_used && t > end - 1_800_000_000 {
            stolen_used = true;
            let a = &apps[42];
            out.pair(a, t, "read", &a.paths[1], "203.0.113.50", None, KV, None)?;
            continue;
        }
        // Planted detections, spread over the day.
        if phase == at(5) {
            // AUD001: one app's token reads 80 secrets of others in ~2 minutes.
            let thief = &apps[17];
            for i in 0..80 {
                let p = &attacker_paths[(i * 31) % attacker_paths.len()];
                out.pair(
                    thief,
                    t + i as i64 * 1_500_000,
                    "read",
                    p,
                    &thief.addr,
                    None,
                    KV,
                    None,
                )?;
            }
            t += 80 * 1_500_000;
            continue;
        }
        if phase == at(6) {
            // AUD004: enumeration of the mount root and 25 metadata lists.
            let e = &apps[23];
            out.pair(e, t, "list", "secret/metadata/", &e.addr, None, KV, None)?;
            for i in 0..25 {
                let p = format!("secret/metadata/{}/", namespaces[i % namespaces.len()]);
                out.pair(
                    e,
                    t + i as i64 * 2_000_000,
                    "list",
                    &p,
                    &e.addr,
                    None,
                    KV,
                    None,
                )?;
            }
            t += 25 * 2_000_000;
            continue;
        }
        if phase == at(7) {
            // AUD005: 30 denials for one token.
            let d = &apps[31];
            for i in 0..30 {
                out.pair(
                    d,
                    t + i as i64 * 1_000_000,
                    "read",
                    "secret/data/payments/admin/key0",
                    &d.addr,
                    Some("1 error occurred:\\n\\t* permission denied\\n\\n"),
                    KV,
                    None,
                )?;
            }
            t += 30 * 1_000_000;
            continue;
        }
        if phase == at(8) {
            // AUD003 + AUD006: root token use and an audit device disable.
            out.pair(
                &root,
                t,
                "update",
                "sys/policies/acl/shop-read",
                &root.addr,
                None,
                SYS,
                None,
            )?;
            out.pair(
                &root,
                t + 1_000_000,
                "delete",
                "sys/audit/file",
                &root.addr,
                None,
                SYS,
                None,
            )?;
            t += 1_000_000;
            continue;
        }
        if phase == at(9) {
            // ESO's periodic refresh: a legitimate bulk reader (allow-list it by identity).
            for (i, p) in eso.paths.iter().enumerate().take(90) {
                out.pair(
                    &eso,
                    t + i as i64 * 200_000,
                    "read",
                    p,
                    &eso.addr,
                    None,
                    KV,
                    None,
                )?;
            }
            t += 90 * 200_000;
            continue;
        }
        if phase == at(10) {
            // A login: a new token born at the pod's address.
            let i = rng.below(apps.len() as u64) as usize;
            let mut fresh = token(
                &mut rng,
                &format!("app{i}"),
                namespaces[i % namespaces.len()],
                &["default"],
                apps[i].addr.clone(),
                6,
            );
            fresh.paths = apps[i].paths.clone();
            let anon = Token {
                accessor: String::new(),
                client_token: String::new(),
                display_name: String::new(),
                policies: vec![],
                sa: None,
                entity: String::new(),
                addr: fresh.addr.clone(),
                paths: vec![],
            };
            out.pair(
                &anon,
                t,
                "update",
                "auth/kubernetes/login",
                &fresh.addr,
                None,
                K8S,
                Some(&fresh),
            )?;
            apps[i] = fresh;
            continue;
        }
        let a = &apps[rng.below(apps.len() as u64) as usize];
        let addr = a.addr.as_str();
        match rng.below(20) {
            0 => out.pair(
                a,
                t,
                "read",
                "auth/token/lookup-self",
                addr,
                None,
                TOKEN,
                None,
            )?,
            1 => out.pair(
                a,
                t,
                "update",
                "auth/token/renew-self",
                addr,
                None,
                TOKEN,
                None,
            )?,
            2 | 3 => {
                let p = format!("sys/internal/ui/mounts/{}", a.paths[0]);
                out.pair(a, t, "read", &p, addr, None, SYS, None)?
            }
            4 => {
                let p = format!(
                    "secret/metadata/{}/",
                    a.paths[0]
                        .rsplit_once('/')
                        .map_or("", |x| x.0)
                        .trim_start_matches("secret/data/")
                );
                out.pair(a, t, "list", &p, addr, None, KV, None)?
            }
            _ => {
                let p = &a.paths[rng.below(a.paths.len() as u64) as usize];
                out.pair(a, t, "read", p, addr, None, KV, None)?
            }
        }
    }
    Ok(())
}

/// The edge profile: compact lines for differential tests (see the module docs).
fn edge(
    seed: u64,
    lines: u64,
    nodes: usize,
    malformed: bool,
    outs: &mut [Box<dyn Write>],
) -> io::Result<()> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let base: i64 = 1_709_294_400_000_000;
    let auths = [
        r#","auth":{"accessor":"hmac-sha256:aaaa","display_name":"app-a","policies":["default"]}"#,
        r#","auth":{"accessor":"hmac-sha256:bbbb","display_name":"app-b","metadata":{"service_account_name":"b","service_account_namespace":"ns"}}"#,
        r#","auth":{"accessor":"hmac-sha256:cccc"}"#,
        r#","auth":{"accessor":""}"#,
        r#","auth":{"accessor":null}"#,
        r#","auth":{"display_name":"no-accessor"}"#,
        "",
        r#","auth":{"accessor":"unauthenticated"}"#,
    ];
    let paths = [
        "secret/data/a",
        "secret/data/b",
        "secret/metadata/",
        "kv/x",
        "sys/internal/ui/mounts/secret/a",
        "auth/token/lookup-self",
        "cubbyhole/t",
        "secret/data/c",
        "secret/data/d\\u00e9",
        "",
    ];
    let ops = ["read", "read", "read", "list", "update", "create", "delete"];
    let mut t = base;
    let mut buffered: Vec<(String, usize)> = Vec::new();
    for i in 0..lines {
        // Coarse steps: many equal times, and steps of exactly the default and test windows.
        t += match rng.below(100) {
            0..=39 => 0,
            40..=74 => 1_000_000,
            75..=89 => rng.below(5) as i64 * 500_000,
            90..=94 => 60_000_000,
            95..=97 => 300_000_000,
            _ => rng.below(90_000_000) as i64,
        };
        let ts = if rng.chance(0.05) {
            // The same instant with an offset, or nanoseconds that truncate.
            let secs = t / 1_000_000;
            let local = rfc3339((secs + 7200) * 1_000_000 + t % 1_000_000, 0);
            local.strip_suffix("000Z").unwrap_or(&local).to_owned() + "+02:00"
        } else if rng.chance(0.3) {
            rfc3339(t, rng.below(1000))
        } else {
            rfc3339(t, 0)
        };
        let ts = if malformed && rng.chance(0.01) {
            "yesterday".to_owned()
        } else {
            ts
        };
        let kind = if rng.chance(0.15) {
            "request"
        } else {
            "response"
        };
        let auth = auths[rng.below(auths.len() as u64) as usize];
        let op = ops[rng.below(ops.len() as u64) as usize];
        let path = paths[rng.below(paths.len() as u64) as usize];
        let mount = if path.starts_with("sys/") {
            r#","mount_type":"system""#
        } else if path.starts_with("auth/token") {
            r#","mount_type":"token""#
        } else {
            ""
        };
        let fail = match rng.below(12) {
            0 => r#","error":"permission denied""#.to_owned(),
            1 => r#","error":"""#.to_owned(),
            2 => r#","response":{"data":{"error":"hmac-sha256:ee"}}"#.to_owned(),
            3 => r#","response":{"errors":["x"]}"#.to_owned(),
            4 => r#","response":{"errors":[]}"#.to_owned(),
            5 => r#","response":{"data":{"error":null}}"#.to_owned(),
            _ => String::new(),
        };
        let mut line = format!(
            r#"{{"time":"{ts}","type":"{kind}"{auth},"request":{{"id":"req-{seed}-{i}","operation":"{op}","path":"{path}","remote_address":"10.0.0.{}"{mount}}}{fail}}}"#,
            rng.below(4)
        );
        if malformed && rng.chance(0.01) {
            line.truncate(line.len() / 2);
        }
        let node = rng.below(nodes as u64) as usize;
        buffered.push((line, node));
        // Mild disorder: swap with a recent line now and then.
        if buffered.len() > 1 && rng.chance(0.1) {
            let n = buffered.len();
            let j = n - 1 - rng.below(n.min(4) as u64) as usize;
            buffered.swap(n - 1, j);
        }
    }
    if malformed {
        buffered.insert(buffered.len() / 2, ("{\"time\":".into(), 0));
        buffered.insert(buffered.len() / 3, (String::new(), 0));
    }
    for (line, node) in buffered {
        writeln!(outs[node], "{line}")?;
    }
    Ok(())
}

fn parse_size(s: &str) -> Option<u64> {
    let (n, mult) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1u64 << 10),
        'M' | 'm' => (&s[..s.len() - 1], 1 << 20),
        'G' | 'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    n.parse::<u64>().ok().map(|n| n * mult)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut seed = 1u64;
    let mut bytes = 10u64 << 20;
    let mut lines = 2000u64;
    let mut out: Option<String> = None;
    let mut profile = "realistic".to_owned();
    let mut nodes = 1usize;
    let mut malformed = false;
    let mut i = 0;
    let usage = "usage: audit-gen [--seed N] [--bytes SIZE] [--profile realistic|edge] [--lines N] [--nodes K] [--malformed] [--out FILE]";
    while i < args.len() {
        let val = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--seed" => seed = val.parse().expect("--seed N"),
            "--bytes" => bytes = parse_size(&val).expect("--bytes SIZE (e.g. 1G)"),
            "--lines" => lines = val.parse().expect("--lines N"),
            "--out" => out = Some(val),
            "--profile" => profile = val,
            "--nodes" => nodes = val.parse().expect("--nodes K"),
            "--malformed" => {
                malformed = true;
                i += 1;
                continue;
            }
            _ => {
                eprintln!("{usage}");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let open = |name: Option<String>| -> Box<dyn Write> {
        match name {
            Some(p) if p != "-" => Box::new(BufWriter::with_capacity(
                1 << 20,
                std::fs::File::create(&p).expect("create output"),
            )),
            _ => Box::new(BufWriter::new(io::stdout())),
        }
    };
    let result = match profile.as_str() {
        "edge" => {
            let mut outs: Vec<Box<dyn Write>> = if nodes <= 1 {
                vec![open(out.clone())]
            } else {
                let base = out.clone().expect("--nodes needs --out");
                (0..nodes)
                    .map(|k| open(Some(format!("{base}.{k}"))))
                    .collect()
            };
            let r = edge(seed, lines, nodes.max(1), malformed, &mut outs);
            outs.iter_mut().try_for_each(|o| o.flush()).and(r)
        }
        "realistic" => {
            let mut w = open(out);
            let r = realistic(seed, bytes, &mut *w);
            w.flush().and(r)
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("audit-gen: {e}");
        std::process::exit(1);
    }
}
