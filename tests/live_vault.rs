//! `--vault` end to end: the same world served by the reference server and seeded into a real
//! OpenBao dev server must give identical findings (addresses normalised); the minimal scanner
//! policy in `deploy/` must be enough to read everything; faults (429 + Retry-After, 500s,
//! malformed bodies, 403, timeouts) must end as visible incomplete diagnostics, never a hang
//! or a silent pass.
//!
//! `bao` comes from PATH or `./.venv/bin/bao` (`scripts/install-test-deps`); without it the
//! parity tests are skipped loudly, and fail when `CI` is set.
#![cfg(all(feature = "live-vault", feature = "refserver"))]

mod common;

use sealant::engine::scan::{self, ScanOptions};
use sealant::live::vault::client::VaultTarget;
use sealant::live::LiveInput;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SCANNER_POLICY: &str = include_str!("../deploy/vault-scanner-policy.hcl");

fn runtime() -> tokio::runtime::Runtime {
    sealant::live::install_crypto_provider();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Serves a router on 127.0.0.1:0; returns its base URL.
fn serve(rt: &tokio::runtime::Runtime, router: axum::Router) -> String {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

fn collect(rt: &tokio::runtime::Runtime, addr: &str, token: &str, timeout: Duration) -> LiveInput {
    rt.block_on(sealant::live::vault::collect_target(VaultTarget {
        addr: addr.to_owned(),
        token: Some(token.to_owned()),
        timeout,
        backoff: Duration::from_millis(20),
        ..Default::default()
    }))
}

/// Findings of a scan of nothing but `input`, one line each, with the address normalised.
fn findings(input: &LiveInput) -> Vec<String> {
    let addr = &input.facts.vault[0].base;
    let r = scan::run(&ScanOptions {
        live: input.clone(),
        ..Default::default()
    });
    let mut out: Vec<String> = r
        .findings
        .iter()
        .map(|f| {
            let s = f.location.span;
            format!(
                "{} {}:{}:{}-{}:{} {} {} [{}]",
                f.rule_id,
                f.location.path,
                s.start.line,
                s.start.col,
                s.end.line,
                s.end.col,
                f.severity,
                f.message,
                f.identity
            )
            .replace(addr.as_str(), "vault://ADDR")
        })
        .collect();
    out.sort();
    out
}

fn errors(input: &LiveInput) -> Vec<String> {
    input
        .diagnostics
        .iter()
        .map(|d| format!("{} {}: {}", d.code, d.path, d.message))
        .collect()
}

const AUDIT_FILE: &str = "/dev/null";

/// The world both servers hold. `default` is the server's own default policy (taken from bao
/// so both hold the same text).
fn world() -> Value {
    json!({
        "policies": {
            "app-read": "path \"secret/data/app/*\" {\n  capabilities = [\"read\"]\n}\n",
            "ops-everything": "path \"*\" {\n  capabilities = [\"create\", \"read\", \"update\", \"delete\", \"list\", \"sudo\"]\n}\n",
            "kv-lister": "path \"secret/data/*\" {\n  capabilities = [\"list\"]\n}\n",
            "kv1-v2-style": "path \"kv1/data/app\" {\n  capabilities = [\"read\"]\n}\n",
            "policy-admin": "path \"sys/policies/acl/*\" {\n  capabilities = [\"create\", \"update\"]\n}\n",
            "sealant-scanner": SCANNER_POLICY,
        },
        "mounts": {
            "secret/": {"type": "kv", "options": {"version": "2"}, "description": "key/value secret storage"},
            "kv1/": {"type": "kv", "options": {"version": "1"}},
            "db/": {"type": "database", "config": {"max_lease_ttl": 259200}},
        },
        "auth": {
            "kubernetes/": {"type": "kubernetes"},
            "approle/": {"type": "approle", "config": {"max_lease_ttl": 86400}},
            "jwt/": {"type": "jwt"},
        },
        "roles": {
            "kubernetes": {
                "web": {"bound_service_account_names": ["web"], "bound_service_account_namespaces": ["*"],
                        "token_policies": ["app-read"], "token_ttl": 3600},
                "eso": {"bound_service_account_names": ["external-secrets"],
                        "bound_service_account_namespaces": ["external-secrets"],
                        "token_policies": ["app-read"], "token_period": 86400, "audience": "vault"},
            },
            "approle": {"ci": {"token_policies": ["app-read"], "secret_id_num_uses": 0}},
            "jwt": {"gh": {"role_type": "jwt", "user_claim": "sub",
                           "bound_audiences": ["https://github.com/acme"],
                           "token_policies": ["app-read"], "token_max_ttl": 7200}},
        },
        "audit": {"file/": {"type": "file", "options": {"file_path": AUDIT_FILE, "log_raw": "true"}}},
        "secrets": {
            "secret/app/db": {"version": 2, "data": {"password": "hunter2-not-for-reports"}},
            "secret/app/api/key": {"data": {"k": "v"}},
        },
    })
}

const ROOT: &str = "sealant-live-root";

/// The OpenBao dev server the parity tests read.
type Bao = common::bao::DevServer;

impl Bao {
    /// A dev server that lets the API enable audit devices (OpenBao only allows that when
    /// its config says so).
    fn start_for_parity(bao: &Path) -> Bao {
        Bao::start(bao, ROOT, Some("unsafe_allow_api_audit_creation = true\n"))
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let url = format!("{}/v1/{path}", self.addr);
        let mut resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("X-Vault-Token", ROOT).call(),
            ("PUT", Some(b)) => self
                .agent
                .put(&url)
                .header("X-Vault-Token", ROOT)
                .send_json(b),
            ("POST", Some(b)) => self
                .agent
                .post(&url)
                .header("X-Vault-Token", ROOT)
                .send_json(b),
            _ => unreachable!(),
        }
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn write(&self, method: &str, path: &str, body: Value) {
        let (s, b) = self.call(method, path, Some(&body));
        assert!(matches!(s, 200 | 204), "{method} {path}: HTTP {s} {b}");
    }

    /// Seeds the world through the HTTP API, as an operator would.
    fn seed(&self, w: &Value) {
        let ttl = |m: &Value| {
            let mut c = serde_json::Map::new();
            for k in ["default_lease_ttl", "max_lease_ttl"] {
                if let Some(n) = m.pointer(&format!("/config/{k}")).and_then(Value::as_i64) {
                    c.insert(k.into(), json!(format!("{n}s")));
                }
            }
            Value::Object(c)
        };
        for (name, text) in w["policies"].as_object().unwrap() {
            self.write(
                "PUT",
                &format!("sys/policies/acl/{name}"),
                json!({"policy": text}),
            );
        }
        for (path, m) in w["mounts"].as_object().unwrap() {
            if path == "secret/" {
                continue; // the dev server's own KV v2 mount
            }
            let mut body = json!({"type": m["type"], "config": ttl(m)});
            if let Some(o) = m.get("options") {
                body["options"] = o.clone();
            }
            self.write(
                "POST",
                &format!("sys/mounts/{}", path.trim_end_matches('/')),
                body,
            );
        }
        for (path, m) in w["auth"].as_object().unwrap() {
            self.write(
                "POST",
                &format!("sys/auth/{}", path.trim_end_matches('/')),
                json!({"type": m["type"], "config": ttl(m)}),
            );
        }
        for (mount, roles) in w["roles"].as_object().unwrap() {
            for (name, data) in roles.as_object().unwrap() {
                self.write("POST", &format!("auth/{mount}/role/{name}"), data.clone());
            }
        }
        for (path, d) in w["audit"].as_object().unwrap() {
            self.write(
                "PUT",
                &format!("sys/audit/{}", path.trim_end_matches('/')),
                d.clone(),
            );
        }
        for (path, s) in w["secrets"].as_object().unwrap() {
            let (mount, key) = path.split_once('/').unwrap();
            for _ in 0..s.get("version").and_then(Value::as_u64).unwrap_or(1) {
                self.write(
                    "POST",
                    &format!("{mount}/data/{key}"),
                    json!({"data": s["data"]}),
                );
            }
        }
    }

    fn token_with(&self, policies: &[&str]) -> String {
        let (s, b) = self.call(
            "POST",
            "auth/token/create",
            Some(&json!({"policies": policies, "no_default_policy": true, "ttl": "10m"})),
        );
        assert_eq!(s, 200, "{b}");
        b["auth"]["client_token"].as_str().unwrap().to_owned()
    }
}

/// The reference-server world matching a seeded bao: its default policy and version.
fn reference_world(bao: &Bao) -> Value {
    let mut w = world();
    let (_, d) = bao.call("GET", "sys/policies/acl/default", None);
    w["policies"]["default"] = d["data"]["policy"].clone();
    let (_, h) = bao.call("GET", "sys/health", None);
    w["health"] = json!({"version": h["version"]});
    w["tokens"] = json!({"root-token": ["root"], "scanner-token": ["sealant-scanner"]});
    w
}

#[test]
fn reference_server_and_openbao_give_identical_findings() {
    let Some(bin) = common::bao::find_or_skip("live_vault parity") else {
        return;
    };
    let bao = Bao::start_for_parity(&bin);
    bao.seed(&world());
    let rt = runtime();
    let reference = serve(
        &rt,
        sealant::refserver::vault::router(&reference_world(&bao)).unwrap(),
    );
    let t = Duration::from_secs(10);

    let from_bao = collect(&rt, &bao.addr, ROOT, t);
    let from_ref = collect(&rt, &reference, "root-token", t);
    assert_eq!(
        errors(&from_bao),
        Vec::<String>::new(),
        "bao scan incomplete"
    );
    assert_eq!(
        errors(&from_ref),
        Vec::<String>::new(),
        "reference scan incomplete"
    );
    let (a, b) = (findings(&from_bao), findings(&from_ref));
    eprintln!("{} findings from both:\n{}", a.len(), a.join("\n"));
    assert_eq!(
        a,
        b,
        "findings differ:\n--- bao\n{}\n--- reference\n{}",
        a.join("\n"),
        b.join("\n")
    );

    // The scan really judged live objects: LVT rules, POL on live policies, ROL on live roles,
    // the KV mount model from sys/mounts (ROL009, POL011, XSR005).
    for rule in [
        "LVT002 ", "LVT003 ", "LVT004 ", "LVT006 ", "POL001 ", "POL002 ", "POL011 ", "XSR005 ",
        "ROL001 ", "ROL003 ", "ROL005 ", "ROL006 ", "ROL009 ",
    ] {
        assert!(
            a.iter().any(|f| f.starts_with(rule)),
            "no {rule}finding:\n{}",
            a.join("\n")
        );
    }
    assert!(
        a.iter()
            .any(|f| f.starts_with("POL001 vault://ADDR/sys/policies/acl/ops-everything:1:")),
        "{a:#?}"
    );
    assert!(
        a.iter()
            .any(|f| f.starts_with("ROL001 vault://ADDR/auth/kubernetes/role/web:")),
        "{a:#?}"
    );
    // Values are never read: the secret written into the world appears nowhere.
    for f in &from_bao.files {
        assert!(
            !f.text.contains("hunter2"),
            "{} holds a secret value",
            f.path
        );
    }
    let calls = from_bao.api_calls.iter().map(|(_, n)| n).sum::<u64>();
    assert!(calls > 10 && calls < 60, "{calls} API calls");

    // The shipped minimal policy reads everything the root token does.
    let scanner = bao.token_with(&["sealant-scanner"]);
    let limited = collect(&rt, &bao.addr, &scanner, t);
    assert_eq!(
        errors(&limited),
        Vec::<String>::new(),
        "deploy/vault-scanner-policy.hcl is not enough"
    );
    assert_eq!(findings(&limited), a);
    // …and the reference server's ACL agrees.
    let limited_ref = collect(&rt, &reference, "scanner-token", t);
    assert_eq!(errors(&limited_ref), Vec::<String>::new());
    assert_eq!(findings(&limited_ref), a);

    // A policy without sudo on sys/audit: a visible 403, no LVT001.
    let no_audit = bao.token_with(&["app-read", "kv-lister"]);
    let denied = collect(&rt, &bao.addr, &no_audit, t);
    let errs = errors(&denied);
    assert!(
        errs.iter()
            .any(|e| e.contains("sys/audit") && e.contains("403")),
        "{errs:#?}"
    );
    assert!(!findings(&denied).iter().any(|f| f.starts_with("LVT001")));
}

/// A test-only fault layer: the first `times` requests whose path starts with `prefix` get
/// `status` (with `Retry-After`), a malformed body, or a delay.
#[derive(Clone)]
struct Fault {
    prefix: &'static str,
    status: u16,
    retry_after: Option<u64>,
    times: usize,
    malformed: bool,
    latency: Duration,
}

fn with_faults(
    router: axum::Router,
    faults: Vec<Fault>,
) -> (axum::Router, Arc<Mutex<Vec<String>>>) {
    use axum::response::IntoResponse;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(Mutex::new(faults));
    let log = seen.clone();
    let layer = axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let state = state.clone();
            let log = log.clone();
            async move {
                let path = req.uri().path().to_owned();
                log.lock().unwrap().push(path.clone());
                let hit = {
                    let mut fs = state.lock().unwrap();
                    fs.iter_mut()
                        .find(|f| path.starts_with(f.prefix) && f.times > 0)
                        .map(|f| {
                            f.times -= 1;
                            f.clone()
                        })
                };
                let Some(f) = hit else {
                    return next.run(req).await;
                };
                tokio::time::sleep(f.latency).await;
                if f.malformed {
                    return (axum::http::StatusCode::OK, "{\"data\": {\"keys\": [").into_response();
                }
                if f.status == 0 {
                    return next.run(req).await;
                }
                let mut r = (
                    axum::http::StatusCode::from_u16(f.status).unwrap(),
                    "{\"errors\":[\"injected\"]}",
                )
                    .into_response();
                if let Some(s) = f.retry_after {
                    r.headers_mut()
                        .insert("retry-after", s.to_string().parse().unwrap());
                }
                r
            }
        },
    );
    (router.layer(layer), seen)
}

fn fault(prefix: &'static str) -> Fault {
    Fault {
        prefix,
        status: 0,
        retry_after: None,
        times: usize::MAX,
        malformed: false,
        latency: Duration::ZERO,
    }
}

fn reference_only_world() -> Value {
    let mut w = world();
    w["tokens"] = json!({"root-token": ["root"]});
    w
}

#[test]
fn retry_after_is_honoured_then_the_read_succeeds() {
    let rt = runtime();
    let (router, seen) = with_faults(
        sealant::refserver::vault::router(&reference_only_world()).unwrap(),
        vec![Fault {
            status: 429,
            retry_after: Some(1),
            times: 1,
            ..fault("/v1/sys/mounts")
        }],
    );
    let addr = serve(&rt, router);
    let started = Instant::now();
    let input = collect(&rt, &addr, "root-token", Duration::from_secs(5));
    assert_eq!(errors(&input), Vec::<String>::new());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 not honoured"
    );
    let mounts = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| *p == "/v1/sys/mounts")
        .count();
    assert_eq!(mounts, 2, "one 429, one retry");
    assert!(
        findings(&input).iter().any(|f| f.starts_with("ROL009 ")),
        "mounts were read after the retry"
    );
    let calls: u64 = input.api_calls.iter().map(|(_, n)| n).sum();
    assert_eq!(
        calls as usize,
        seen.lock().unwrap().len(),
        "every request is counted"
    );
}

#[test]
fn persistent_500_ends_as_an_incomplete_diagnostic() {
    let rt = runtime();
    let (router, seen) = with_faults(
        sealant::refserver::vault::router(&reference_only_world()).unwrap(),
        vec![Fault {
            status: 500,
            ..fault("/v1/sys/audit")
        }],
    );
    let addr = serve(&rt, router);
    let input = collect(&rt, &addr, "root-token", Duration::from_secs(5));
    let errs = errors(&input);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].starts_with("live-incomplete vault://")
            && errs[0].contains("/sys/audit: GET /v1/sys/audit: HTTP 500"),
        "{errs:#?}"
    );
    let tries = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| *p == "/v1/sys/audit")
        .count();
    assert_eq!(
        tries,
        sealant::live::vault::client::ATTEMPTS as usize,
        "bounded retries"
    );
    let f = findings(&input);
    assert!(
        !f.iter()
            .any(|f| f.starts_with("LVT001") || f.starts_with("LVT002") || f.starts_with("LVT003")),
        "an unread audit table is not judged: {f:#?}"
    );
    // The rest of the scan went on.
    assert!(f.iter().any(|f| f.starts_with("POL001 ")));
    let r = scan::run(&ScanOptions {
        live: input,
        ..Default::default()
    });
    assert!(r.incomplete());
}

#[test]
fn malformed_body_and_timeout_are_diagnostics() {
    let rt = runtime();
    let (router, _) = with_faults(
        sealant::refserver::vault::router(&reference_only_world()).unwrap(),
        vec![
            Fault {
                malformed: true,
                ..fault("/v1/sys/policies/acl/app-read")
            },
            Fault {
                latency: Duration::from_secs(3),
                ..fault("/v1/auth/jwt/role/gh")
            },
        ],
    );
    let addr = serve(&rt, router);
    let started = Instant::now();
    let input = collect(&rt, &addr, "root-token", Duration::from_secs(1));
    assert!(started.elapsed() < Duration::from_secs(20), "no hang");
    let errs = errors(&input);
    assert!(
        errs.iter()
            .any(|e| e.contains("sys/policies/acl/app-read") && e.contains("malformed JSON")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("auth/jwt/role/gh") && e.contains("timed out")),
        "{errs:#?}"
    );
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let f = findings(&input);
    assert!(!f.iter().any(|f| f.contains("/auth/jwt/role/gh")));
    assert!(f.iter().any(|f| f.contains("/auth/kubernetes/role/web")));
}

#[test]
fn reference_server_speaks_the_vault_api() {
    let rt = runtime();
    let mut w = reference_only_world();
    w["health"] = json!({"standby": true, "version": "2.7.2"});
    let addr = serve(&rt, sealant::refserver::vault::router(&w).unwrap());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let get = |path: &str, token: Option<&str>| {
        let mut r = agent.get(format!("{addr}/v1/{path}"));
        if let Some(t) = token {
            r = r.header("X-Vault-Token", t);
        }
        let mut resp = r.call().unwrap();
        let s = resp.status().as_u16();
        (
            s,
            serde_json::from_str::<Value>(&resp.body_mut().read_to_string().unwrap())
                .unwrap_or(Value::Null),
        )
    };
    assert_eq!(get("sys/health", None).0, 429);
    assert_eq!(get("sys/health?standbyok=true", None).0, 200);
    assert_eq!(
        get("sys/mounts", None),
        (403, json!({"errors": ["permission denied"]}))
    );
    assert_eq!(get("sys/mounts", Some("wrong")).0, 403);
    let (s, m) = get("sys/mounts", Some("root-token"));
    assert_eq!(s, 200);
    assert_eq!(m["data"]["kv1/"]["options"]["version"], "1");
    assert_eq!(m["kv1/"], m["data"]["kv1/"], "legacy top-level copy");
    let (_, l) = get("sys/policies/acl?list=true", Some("root-token"));
    assert!(l["data"]["keys"]
        .as_array()
        .unwrap()
        .contains(&json!("root")));
    assert!(
        l.get("app-read").is_none(),
        "sys/policies/acl is not a legacy route"
    );
    // The LIST method itself, as the Vault CLI sends it.
    let keys: Value = rt.block_on(async {
        reqwest::Client::new()
            .request(
                reqwest::Method::from_bytes(b"LIST").unwrap(),
                format!("{addr}/v1/secret/metadata/app"),
            )
            .header("X-Vault-Token", "root-token")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(keys["data"]["keys"], json!(["api/", "db"]));
    assert_eq!(
        get("auth/nothing/role?list=true", Some("root-token")),
        (
            404,
            json!({"errors": ["no handler for route \"auth/nothing/role/\". route entry not found."]})
        )
    );
    assert_eq!(
        get("auth/jwt/role/none", Some("root-token")),
        (404, json!({"errors": []}))
    );
    let (_, r) = get("auth/kubernetes/role/web", Some("root-token"));
    assert_eq!(r["data"]["token_type"], "default");
    assert_eq!(r["data"]["alias_name_source"], "serviceaccount_uid");
    assert!(r["data"].get("audience").is_none());
    let (_, t) = get("sys/auth/approle/tune", Some("root-token"));
    assert_eq!(
        (
            t["data"]["max_lease_ttl"].as_i64(),
            t["data"]["default_lease_ttl"].as_i64()
        ),
        (Some(86400), Some(2764800))
    );
}

#[test]
fn stale_secrets_on_the_reference_server() {
    std::env::set_var("SEALANT_TODAY", "2026-06-01");
    let rt = runtime();
    let mut w = reference_only_world();
    w["secrets"]["secret/old/token"] =
        json!({"version": 4, "created_time": "2025-01-10T08:00:00Z"});
    let addr = serve(&rt, sealant::refserver::vault::router(&w).unwrap());
    let input = collect(&rt, &addr, "root-token", Duration::from_secs(5));
    let f = findings(&input);
    let stale: Vec<_> = f.iter().filter(|f| f.starts_with("LVT005")).collect();
    assert_eq!(stale.len(), 1, "{f:#?}");
    assert!(
        stale[0].contains("vault://ADDR/secret/metadata/old/token")
            && stale[0].contains("507 days"),
        "{stale:#?}"
    );
}

/// YAML (sealant's own parser, YAML 1.1 typing) to JSON, for the demo world file.
fn yaml_to_json(n: &sealant::syntax::yaml::Node) -> Value {
    use sealant::syntax::yaml::{Typed, Value as Y};
    match &n.value {
        Y::Scalar(s) => match s.typed() {
            Typed::Null => Value::Null,
            Typed::Bool(b) => json!(b),
            Typed::Int(i) => json!(i),
            Typed::Float(f) => json!(f),
            Typed::Str(s) => json!(s),
        },
        Y::Seq(xs) => Value::Array(xs.iter().map(yaml_to_json).collect()),
        Y::Map(es) => Value::Object(
            es.iter()
                .map(|e| {
                    (
                        e.key.as_str().unwrap_or("").to_owned(),
                        yaml_to_json(&e.value),
                    )
                })
                .collect(),
        ),
    }
}

#[test]
fn the_demo_world_serves_and_scans() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/live/world.yaml"),
    )
    .unwrap();
    let stream = sealant::syntax::yaml::parse(&text);
    assert!(stream.issues.is_empty(), "{:?}", stream.issues);
    let world = yaml_to_json(&stream.documents[0].root);
    let rt = runtime();
    let addr = serve(
        &rt,
        sealant::refserver::vault::router(&world["vault"]).unwrap(),
    );
    for token in ["root-token", "scanner-token"] {
        let input = collect(&rt, &addr, token, Duration::from_secs(5));
        assert_eq!(errors(&input), Vec::<String>::new(), "{token}");
        let f = findings(&input);
        for rule in [
            "LVT002 ", "LVT003 ", "LVT004 ", "LVT005 ", "LVT006 ", "POL001 ", "XSR005 ", "ROL001 ",
            "ROL005 ", "ROL006 ", "ROL009 ",
        ] {
            assert!(
                f.iter().any(|x| x.starts_with(rule)),
                "{token}: no {rule}in\n{}",
                f.join("\n")
            );
        }
    }
}

#[test]
fn the_namespace_header_selects_the_namespace() {
    let rt = runtime();
    let mut w = reference_only_world();
    w["namespaces"] = json!({"team-a": {
        "policies": {"team-everything": "path \"*\" {\n  capabilities = [\"sudo\", \"read\"]\n}\n"},
        "audit": {},
    }});
    let addr = serve(&rt, sealant::refserver::vault::router(&w).unwrap());
    let input = rt.block_on(sealant::live::vault::collect_target(VaultTarget {
        addr: addr.clone(),
        token: Some("root-token".into()),
        namespace: Some("team-a".into()),
        timeout: Duration::from_secs(5),
        ..Default::default()
    }));
    assert_eq!(errors(&input), Vec::<String>::new());
    let f = findings(&input);
    assert!(
        f.iter().any(|x| x.contains("acl/team-everything")),
        "{f:#?}"
    );
    assert!(
        !f.iter().any(|x| x.contains("acl/ops-everything")),
        "{f:#?}"
    );
    assert!(f.iter().any(|x| x.starts_with("LVT001 ")), "{f:#?}");
    let unknown = rt.block_on(sealant::live::vault::collect_target(VaultTarget {
        addr,
        token: Some("root-token".into()),
        namespace: Some("nope".into()),
        timeout: Duration::from_secs(5),
        ..Default::default()
    }));
    assert!(
        errors(&unknown)
            .iter()
            .any(|e| e.contains("404") || e.contains("namespace not found")),
        "{:#?}",
        errors(&unknown)
    );
}

#[test]
fn an_unreachable_server_is_one_clear_diagnostic() {
    let rt = runtime();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // the listener is dropped: nothing listens there any more
    let started = Instant::now();
    let input = collect(
        &rt,
        &format!("http://127.0.0.1:{port}"),
        "t",
        Duration::from_secs(5),
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let errs = errors(&input);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].contains("sys/health") && errs[0].contains("request failed"),
        "{errs:#?}"
    );
    let r = scan::run(&ScanOptions {
        live: input,
        ..Default::default()
    });
    assert!(r.incomplete());
}

#[test]
fn the_cli_scans_vault_in_every_format_and_sarif_validates() {
    let rt = runtime();
    let (router, _) = with_faults(
        sealant::refserver::vault::router(&reference_only_world()).unwrap(),
        vec![Fault {
            status: 500,
            ..fault("/v1/auth/jwt/role/gh")
        }],
    );
    let addr = serve(&rt, router);
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let run = Command::new(env!("CARGO_BIN_EXE_sealant"))
        .args(["scan", "--vault", "--live-timeout", "5"])
        .args(["--format", &format!("sarif={}", out("r.sarif").display())])
        .args(["--format", &format!("json={}", out("r.json").display())])
        .args(["--format", &format!("human={}", out("r.txt").display())])
        .env_remove("BAO_ADDR")
        .env_remove("BAO_TOKEN")
        .env("VAULT_ADDR", &addr)
        .env("VAULT_TOKEN", "root-token")
        .current_dir(dir.path())
        .output()
        .unwrap();
    // Incomplete (the jwt role could not be read) wins over findings.
    assert_eq!(
        run.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(out("r.sarif")).unwrap()).unwrap();
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/sarif-schema-2.1.0.json"),
    )
    .unwrap()
    .replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    let validator =
        jsonschema::validator_for(&serde_json::from_str(&schema_text).unwrap()).unwrap();
    let bad: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    let run0 = &sarif["runs"][0];
    let uris: Vec<&str> = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            r.pointer("/locations/0/physicalLocation/artifactLocation/uri")?
                .as_str()
        })
        .collect();
    assert!(
        uris.iter()
            .any(|u| u.contains("sys/policies/acl/ops-everything")),
        "{uris:#?}"
    );
    let notes = run0["invocations"][0]["toolExecutionNotifications"].to_string();
    assert!(
        notes.contains("auth/jwt/role/gh") && notes.contains("HTTP 500"),
        "{notes}"
    );
    let json = std::fs::read_to_string(out("r.json")).unwrap();
    assert!(json.contains("vault://127.0.0.1") && json.contains("live-incomplete"));
    let human = std::fs::read_to_string(out("r.txt")).unwrap();
    assert!(
        human.contains("LVT002") && human.contains("auth/jwt/role/gh"),
        "{human}"
    );
    assert!(!format!("{json}{human}").contains("hunter2"));
}

/// Scale check (run with `--ignored --nocapture`): 500 policies, 2,000 kubernetes roles and
/// 4,990 KV v2 secrets in 250 folders (under the 5,000 per-mount cap); prints the wall time and the API calls (no N+1 beyond
/// the one read per object the API forces).
#[test]
#[ignore]
fn scale_500_policies_2000_roles_4990_secrets() {
    let rt = runtime();
    let mut w = reference_only_world();
    for i in 0..500 {
        w["policies"][format!("p{i}")] = json!(format!(
            "path \"secret/data/team{i}/*\" {{\n  capabilities = [\"read\"]\n}}\n"
        ));
    }
    for i in 0..2000 {
        w["roles"]["kubernetes"][format!("r{i}")] = json!({"bound_service_account_names": [format!("sa{i}")], "bound_service_account_namespaces": [format!("ns{i}")], "token_ttl": 3600, "token_max_ttl": 7200, "audience": "vault"});
    }
    for i in 0..4990 {
        w["secrets"][format!("secret/f{}/s{i}", i % 250)] = json!({});
    }
    let addr = serve(&rt, sealant::refserver::vault::router(&w).unwrap());
    let t = Instant::now();
    let input = collect(&rt, &addr, "root-token", Duration::from_secs(10));
    let collected = t.elapsed();
    assert_eq!(errors(&input), Vec::<String>::new());
    let t = Instant::now();
    let n = findings(&input).len();
    let calls: u64 = input.api_calls.iter().map(|(_, n)| n).sum();
    eprintln!(
        "collect {collected:?}, {calls} API calls, {} files; scan {:?}, {n} findings",
        input.files.len(),
        t.elapsed()
    );
    assert!(calls < 7_900, "{calls}");
}

/// `--vault` over real TLS: an OpenBao `-dev-tls` server with its own generated CA. Trusted
/// through `VAULT_CACERT` the scan reads Vault; without it the certificate is refused (a
/// clear, incomplete result, never a silent downgrade); `--vault-insecure` reads it and is
/// itself a finding.
#[test]
fn vault_cacert_is_trusted_over_real_tls_and_nothing_else_is() {
    let Some(bao) =
        common::bao::find_or_skip("vault_cacert_is_trusted_over_real_tls_and_nothing_else_is")
    else {
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = tempfile::tempdir().unwrap();
    let certs = home.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    let log = std::fs::File::create(home.path().join("bao.log")).unwrap();
    let mut child = Command::new(bao)
        .args([
            "server",
            "-dev-tls",
            "-dev-no-store-token",
            &format!("-dev-tls-cert-dir={}", certs.display()),
            &format!("-dev-root-token-id={ROOT}"),
            &format!("-dev-listen-address=127.0.0.1:{port}"),
        ])
        .env("HOME", home.path())
        .env_remove("BAO_ADDR")
        .env_remove("VAULT_ADDR")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("start bao server -dev-tls");
    struct Kill(Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let ca = certs.join("vault-ca.pem");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ca.is_file() || std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(home.path().join("bao.log")).unwrap_or_default();
            panic!("bao exited early ({status}):\n{log}");
        }
        assert!(Instant::now() < deadline, "bao -dev-tls not up after 60s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _server = Kill(child);
    let addr = format!("https://127.0.0.1:{port}");
    let scan = |extra: &[&str], cacert: Option<&Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sealant"));
        cmd.args(["scan", "--vault", "--no-config", "--live-timeout", "10"])
            .args(["--format", "json"])
            .args(extra)
            .env_remove("BAO_ADDR")
            .env_remove("BAO_TOKEN")
            .env_remove("BAO_CACERT")
            .env_remove("VAULT_CACERT")
            .env("VAULT_ADDR", &addr)
            .env("VAULT_TOKEN", ROOT)
            .current_dir(home.path());
        if let Some(ca) = cacert {
            cmd.env("VAULT_CACERT", ca);
        }
        let out = cmd.output().unwrap();
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code(), json)
    };
    let rules = |json: &Value| -> Vec<String> {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let errors = |json: &Value| -> Vec<String> {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["level"] == "error")
            .map(|d| d["message"].as_str().unwrap_or("").to_owned())
            .collect()
    };

    let (_, trusted) = scan(&[], Some(&ca));
    assert_eq!(errors(&trusted), Vec::<String>::new());
    // sys/health was read over TLS: the dev server is active and unsealed.
    assert!(
        rules(&trusted).contains(&"LVT006".to_owned()),
        "{trusted:#}"
    );

    let (code, untrusted) = scan(&[], None);
    assert_eq!(code, Some(2), "{untrusted:#}");
    let errs = errors(&untrusted).join("\n");
    assert!(
        errs.to_lowercase().contains("certificate") || errs.to_lowercase().contains("tls"),
        "{errs}"
    );
    assert!(!rules(&untrusted).contains(&"LVT006".to_owned()));

    let (_, insecure) = scan(&["--vault-insecure"], None);
    assert_eq!(errors(&insecure), Vec::<String>::new());
    assert!(rules(&insecure).contains(&"LVT006".to_owned()));
    assert!(
        rules(&insecure).contains(&"ROL008".to_owned()),
        "{insecure:#}"
    );
}
